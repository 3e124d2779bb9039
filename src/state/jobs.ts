import { Timeline } from '../sim/timeline/timeline';
import type { TimelineExport } from '../sim/timeline/timeline';
import { REPLAY_BUDGET, workDone, worldHash } from '../sim/engine/engine';
import { recordTraceFrom } from '../sim/trace/trace';
import { diskMarks } from '../sim/durability/marks';
import { suspicionOnsets, type SuspicionOnset } from '../sim/health/report';
import type { HealthState } from '../sim/health/health';
import { CHECKPOINT_EVERY, SEEK_CHECKPOINTS } from './protocol';
import type { FromWorker, ToWorker } from './protocol';
import { inProcessPort, type WorkerPort } from './workerPort';

/**
 * The worker's work, without the worker: a small scheduler of sliced jobs (a far seek with
 * progress and cancel, world hashes, the markers of a whole run: failures, backups, disk
 * losses, restores, suspicions), all on one engine
 * Timeline per scenario. The worker shell calls `work()` in short slices and yields to its
 * event loop in between, which is how a Cancel message gets in. Runs in Node tests as it is.
 *
 * The jobs share the timeline's cursor, so each step first puts the cursor where it needs
 * it; that is cheap below `computedTo` (a checkpoint is never more than an interval away).
 * The summary job runs the timeline to the end in the background, which leaves
 * checkpoints behind for every later seek.
 */

interface Job {
  /** Lower runs first. */
  priority: number;
  id: number | null;
  /** Does a small piece of work; true when finished. */
  step(): boolean;
}

const SEEK = 0;
const HASH = 1;
const SUMMARY = 2;
/** Traces come after hashes (a hash names the cursor's tick), before the background run. */
const TRACE = 1.5;

export class SimJobs {
  private rev = -1;
  private timeline: Timeline | null = null;
  /** Events the replay may process (workDone): seeks and the background run stop there. */
  private budget = REPLAY_BUDGET;
  private jobs: Job[] = [];
  /**
   * Suspicion onsets the summary has seen, by observer>target@tick. The world's health
   * records are capped and a `set-health` starts them afresh, so the summary keeps what it
   * saw, and after an edit keeps what lies before the first changed tick.
   */
  private onsets = new Map<string, SuspicionOnset>();

  constructor(private readonly post: (m: FromWorker) => void) {}

  handle(m: ToWorker): void {
    switch (m.type) {
      case 'scenario':
        this.rev = m.rev;
        this.budget = m.budget;
        // Checkpoints before the first changed tick stay good for the new log.
        this.timeline = this.timeline
          ? this.timeline.derive(m.scenario)
          : new Timeline(m.scenario, { interval: CHECKPOINT_EVERY });
        // What the derived timeline kept is the same run up to computedTo (-1 for a new one).
        for (const [k, o] of this.onsets) if (o.tick > this.timeline.computedTo) this.onsets.delete(k);
        // Work for an older scenario is moot; seeks report themselves cancelled.
        for (const j of this.jobs)
          if (j.priority === SEEK && j.id !== null) this.post({ type: 'seek-cancelled', id: j.id });
        this.jobs = [];
        this.jobs.push(this.summaryJob(m.rev, this.timeline));
        return;
      case 'budget':
        if (m.rev !== this.rev || !this.timeline || m.budget <= this.budget) return;
        this.budget = m.budget;
        // The background run stopped at the old budget: it goes on to the new one.
        this.jobs = this.jobs.filter((j) => j.priority !== SUMMARY);
        this.jobs.push(this.summaryJob(m.rev, this.timeline));
        return;
      case 'hash': {
        if (m.rev !== this.rev || !this.timeline) return;
        // Only the newest hash request matters: the cursor has moved on from older ones.
        this.jobs = this.jobs.filter((j) => j.priority !== HASH);
        this.jobs.push(this.hashJob(m.id, m.rev, this.timeline, m.tick));
        return;
      }
      case 'seek':
        if (m.rev !== this.rev || !this.timeline) {
          this.post({ type: 'seek-cancelled', id: m.id });
          return;
        }
        this.jobs.push(this.seekJob(m.id, m.rev, this.timeline, m.tick, m.after));
        return;
      case 'trace': {
        if (m.rev !== this.rev || !this.timeline) return;
        // Only the newest window matters: the cursor or the window has moved on.
        this.jobs = this.jobs.filter((j) => j.priority !== TRACE);
        this.jobs.push(this.traceJob(m.id, m.rev, this.timeline, m.from, m.to, m.maxEvents));
        return;
      }
      case 'cancel': {
        const had = this.jobs.some((j) => j.id === m.id && j.priority === SEEK);
        this.jobs = this.jobs.filter((j) => !(j.id === m.id && j.priority === SEEK));
        if (had) this.post({ type: 'seek-cancelled', id: m.id });
        return;
      }
    }
  }

  get idle(): boolean {
    return this.jobs.length === 0;
  }

  /** Works until `budgetMs` has passed or nothing is left; returns whether work remains. */
  work(budgetMs: number, now: () => number): boolean {
    const start = now();
    while (this.jobs.length > 0 && now() - start < budgetMs) {
      this.jobs.sort((a, b) => a.priority - b.priority);
      const job = this.jobs[0]!;
      let done: boolean;
      try {
        done = job.step();
      } catch (e) {
        done = true;
        this.post({ type: 'error', id: job.id, message: e instanceof Error ? e.message : String(e) });
      }
      if (done) this.jobs = this.jobs.filter((j) => j !== job);
    }
    return this.jobs.length > 0;
  }

  private hashJob(id: number, rev: number, tl: Timeline, tick: number): Job {
    return {
      priority: HASH,
      id,
      step: () => {
        tl.seek(tick);
        this.post({ type: 'hash', id, rev, tick, hash: worldHash(tl.current) });
        return true;
      },
    };
  }

  private seekJob(id: number, rev: number, tl: Timeline, tick: number, after: number): Job {
    const target = Math.min(tl.end, Math.max(0, Math.floor(tick)));
    let steps = 0;
    return {
      priority: SEEK,
      id,
      step: () => {
        if (tl.computedTo >= target || tl.tick > target) tl.seek(target);
        else {
          // Resume from the furthest computed tick (another job may have moved the cursor).
          if (tl.tick < tl.computedTo) tl.seek(tl.computedTo);
          tl.forward(target, 1);
        }
        if (++steps % 64 === 0 || tl.tick >= target)
          this.post({ type: 'progress', id, done: Math.max(0, tl.tick), total: target });
        if (tl.tick < target && workDone(tl.current) >= this.budget) {
          const work = workDone(tl.current);
          const timeline = trimExport(tl.exportAfter(after), tl.tick);
          this.post({ type: 'seek-stopped', id, rev, tick: tl.tick, target, work, budget: this.budget, timeline });
          return true;
        }
        if (tl.tick < target) return false;
        this.post({ type: 'seek-done', id, rev, tick: target, timeline: trimExport(tl.exportAfter(after), target) });
        return true;
      },
    };
  }

  /**
   * The world just before `from` (reached in slices, like a seek, when it is not computed
   * yet), then one recording of the window: bounded by `maxEvents`, so one slice.
   */
  private traceJob(id: number, rev: number, tl: Timeline, from: number, to: number, maxEvents: number): Job {
    const end = Math.min(tl.end, Math.max(0, Math.floor(to)));
    const start = Math.max(-1, Math.min(end, Math.floor(from)) - 1);
    return {
      priority: TRACE,
      id,
      step: () => {
        if (tl.computedTo < start && tl.tick <= start) {
          if (tl.tick < tl.computedTo) tl.seek(tl.computedTo);
          tl.forward(start, 64);
          if (tl.tick < start) return false;
        }
        const w = tl.worldAt(start);
        this.post({ type: 'trace', id, rev, trace: recordTraceFrom(w, tl.scenario, end, { maxEvents }) });
        return true;
      },
    };
  }

  private summaryJob(rev: number, tl: Timeline): Job {
    let lastPost = 0;
    const failures = (): number[] => {
      const out: number[] = [];
      for (const r of tl.current.history)
        if ((r.outcome === 'fail' || r.outcome === 'info') && r.completedAt !== null) out.push(r.completedAt);
      return out.sort((a, b) => a - b);
    };
    // Every new onset counts a suspicion and a reconfiguration starts a new epoch, so the
    // records are read again only when one of the two changed.
    let seenEpoch = -2;
    let seenCount = -1;
    const collect = (h: HealthState | undefined): void => {
      if (!h || (h.epoch === seenEpoch && h.stats.suspicions === seenCount)) return;
      seenEpoch = h.epoch;
      seenCount = h.stats.suspicions;
      for (const o of suspicionOnsets(h)) this.onsets.set(`${o.observer}>${o.target}@${o.tick}`, o);
    };
    const onsetTicks = (wantFalse: boolean): number[] => {
      const out: number[] = [];
      for (const o of this.onsets.values()) if (o.false === wantFalse) out.push(o.tick);
      return out.sort((a, b) => a - b);
    };
    return {
      priority: SUMMARY,
      id: null,
      step: () => {
        if (tl.tick < tl.computedTo) tl.seek(tl.computedTo);
        collect(tl.current.health);
        // Past the budget the run waits for "Continue" (a new summary job), as a seek does.
        const stopped = workDone(tl.current) >= this.budget;
        if (!stopped) tl.forward(tl.end, 1);
        collect(tl.current.health);
        const complete = tl.tick >= tl.end;
        if (complete || stopped || tl.tick - lastPost >= 2000) {
          lastPost = tl.tick;
          const disk = diskMarks(tl.current.durability);
          this.post({
            type: 'summary',
            rev,
            failures: failures(),
            upTo: tl.tick,
            complete,
            ...disk,
            suspicions: onsetTicks(false),
            falseSuspicions: onsetTicks(true),
          });
        }
        return complete || stopped;
      },
    };
  }
}

/**
 * Of the worker's work, what a seek to `target` hands the page: the world there, the busy
 * ticks up to it, and the last few checkpoints before it (so stepping back stays local).
 * Not every checkpoint: the page pays for the structured clone on its main thread, and 200
 * checkpoints of the long scenario take ~240 ms to clone; nor anything past the target.
 */
export function trimExport(x: TimelineExport, target: number): TimelineExport {
  const from = target - SEEK_CHECKPOINTS * CHECKPOINT_EVERY;
  return {
    checkpoints: x.checkpoints.filter((w) => w.now >= from && w.now <= target),
    busy: x.busy.filter((t) => t <= target),
    busyTo: Math.min(x.busyTo, Math.max(target, x.world.now)),
    world: x.world,
  };
}

/** The simulation's jobs in this thread (see inProcessPort): here, not in workerPort.ts, so the page's first load does not carry the jobs. */
export function inProcessWorker(schedule?: (cb: () => void) => void): WorkerPort {
  return inProcessPort((post) => new SimJobs(post), schedule);
}
