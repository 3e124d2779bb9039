import { gradeAttempt } from '../sim/challenge/grade';
import type { FromWorker, ToWorker } from './protocol';
import { inProcessPort, startWorker, type WorkerPort } from './workerPort';

/**
 * Grading a challenge attempt off the main thread (protocol.ts: `grade` → `graded`): a replay
 * from scratch and the checker can take longer than a frame. Only an open challenge starts
 * this worker. The newest request wins; an older one still pending is dropped.
 */
export class GradeJobs {
  private job: Extract<ToWorker, { type: 'grade' }> | null = null;

  constructor(private readonly post: (m: FromWorker) => void) {}

  handle(m: ToWorker): void {
    if (m.type === 'grade') this.job = m;
  }

  work(): boolean {
    const j = this.job;
    if (j === null) return false;
    this.job = null;
    const grade = gradeAttempt([j.file], j.file.challenge.id, j.version, j.scenario, j.recorded ?? undefined);
    this.post({ type: 'graded', id: j.id, grade });
    return false;
  }
}

/** The real worker (Vite bundles grade.worker.ts as its own file), or null where there is none. */
export function gradeWorker(): WorkerPort | null {
  return startWorker(
    () => new Worker(new URL('./grade.worker.ts', import.meta.url), { type: 'module', name: 'statelab-grade' }),
  );
}

/** The same jobs in this thread: tests, and where workers are missing. */
export function inProcessGradeWorker(schedule?: (cb: () => void) => void): WorkerPort {
  return inProcessPort((post) => new GradeJobs(post), schedule);
}
