import { ComparisonJob } from '../sim/compare/compare';
import type { Comparison } from '../sim/compare/constants';
import type { FromWorker, ToWorker } from './protocol';
import { inProcessPort, startWorker, type WorkerPort } from './workerPort';

/**
 * The comparison's worker jobs (protocol.ts: `compare`, `cancel` → `compare-progress`,
 * `compare-panel`, `compare-done`, `compare-cancelled`), apart from SimJobs so the first
 * page does not load the checker: only the Compare view starts this worker. Each panel runs
 * in slices of ticks and is scored when it ends (one longer slice, the checker), then posted
 * at once with its end world hash (PanelResult.hash, for the comparison link's `results`),
 * so the page's scoreboard fills in panel by panel.
 */
export class CompareJobs {
  private job: { id: number; run: ComparisonJob; posted: number; steps: number } | null = null;

  constructor(private readonly post: (m: FromWorker) => void) {}

  handle(m: ToWorker): void {
    if (m.type === 'compare') {
      if (this.job) this.post({ type: 'compare-cancelled', id: this.job.id });
      this.job = { id: m.id, run: new ComparisonJob(m.comparison), posted: 0, steps: 0 };
    } else if (m.type === 'cancel' && this.job?.id === m.id) {
      this.job = null;
      this.post({ type: 'compare-cancelled', id: m.id });
    }
  }

  get idle(): boolean {
    return this.job === null;
  }

  /** Works until `budgetMs` has passed or nothing is left; returns whether work remains. */
  work(budgetMs: number, now: () => number): boolean {
    const start = now();
    while (this.job && now() - start < budgetMs) {
      const j = this.job;
      let done: boolean;
      try {
        done = j.run.step(40);
      } catch (e) {
        this.job = null;
        this.post({ type: 'error', id: j.id, message: e instanceof Error ? e.message : String(e) });
        return false;
      }
      const panels = j.run.result().panels;
      while (j.posted < panels.length) {
        this.post({ type: 'compare-panel', id: j.id, index: j.posted, result: panels[j.posted]! });
        j.posted++;
      }
      if (done || ++j.steps % 4 === 0) {
        const c: Comparison = j.run.comparison;
        const panel = c.panels[Math.min(j.posted, c.panels.length - 1)]?.label ?? '';
        this.post({ type: 'compare-progress', id: j.id, done: j.run.progress, total: j.run.total, panel });
      }
      if (done) {
        this.post({ type: 'compare-done', id: j.id });
        this.job = null;
      }
    }
    return this.job !== null;
  }
}

/** The real worker for comparisons (Vite bundles compare.worker.ts as its own file). */
export function compareWorker(): WorkerPort | null {
  return startWorker(
    () => new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module', name: 'statelab-compare' }),
  );
}

/** The same jobs in this thread (see inProcessPort): tests, and where workers are missing. */
export function inProcessCompareWorker(schedule?: (cb: () => void) => void): WorkerPort {
  return inProcessPort((post) => new CompareJobs(post), schedule);
}
