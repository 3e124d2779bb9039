import type { Scenario, World } from '../sim/index';
import { Timeline, advance, initWorld, nextEventTick, worldHash } from '../sim/index';
import type { FromWorker, ToWorker } from './protocol';
import { MARK_EVERY, freeze } from './cache';

/**
 * The worker's work, without the worker: a small scheduler of sliced jobs (a far seek with
 * progress and cancel, world hashes, the failure markers of a whole run). The worker shell
 * calls `work()` in short slices and yields to its event loop in between, which is how a
 * Cancel message gets in. Runs in Node tests as it is.
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

export class SimJobs {
  private rev = -1;
  private scenario: Scenario | null = null;
  private timeline: Timeline | null = null;
  private jobs: Job[] = [];

  constructor(private readonly post: (m: FromWorker) => void) {}

  handle(m: ToWorker): void {
    switch (m.type) {
      case 'scenario':
        this.rev = m.rev;
        this.scenario = m.scenario;
        this.timeline = new Timeline(m.scenario, { interval: 500 });
        // Work for an older scenario is moot; seeks report themselves cancelled.
        for (const j of this.jobs) if (j.priority === SEEK && j.id !== null) this.post({ type: 'seek-cancelled', id: j.id });
        this.jobs = [];
        this.jobs.push(this.summaryJob(m.rev, m.scenario));
        return;
      case 'hash': {
        if (m.rev !== this.rev || !this.timeline) return;
        // Only the newest hash request matters: the cursor has moved on from older ones.
        this.jobs = this.jobs.filter((j) => j.priority !== HASH);
        this.jobs.push(this.hashJob(m.id, m.rev, m.tick));
        return;
      }
      case 'seek':
        if (m.rev !== this.rev || !this.scenario) {
          this.post({ type: 'seek-cancelled', id: m.id });
          return;
        }
        this.jobs.push(this.seekJob(m.id, m.rev, this.scenario, m.tick));
        return;
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

  private hashJob(id: number, rev: number, tick: number): Job {
    return {
      priority: HASH,
      id,
      step: () => {
        const w = this.timeline!.worldAt(tick);
        this.post({ type: 'hash', id, rev, tick, hash: worldHash(w) });
        return true;
      },
    };
  }

  private seekJob(id: number, rev: number, s: Scenario, tick: number): Job {
    const w = initWorld(s);
    const busy: number[] = [];
    const target = Math.min(s.duration, tick);
    // Marks at the last few boundaries before the target travel with the world, so that
    // stepping back from the target does not recompute from the start on the main thread.
    const marks: [number, string][] = [];
    const markFrom = target - 4 * MARK_EVERY;
    let steps = 0;
    return {
      priority: SEEK,
      id,
      step: () => {
        const before = w.now;
        stepTo(w, s, target, busy);
        if (w.now >= markFrom && w.now < target && Math.floor(w.now / MARK_EVERY) > Math.floor(before / MARK_EVERY)) marks.push([w.now, freeze(w)]);
        if (++steps % 64 === 0 || w.now >= target) this.post({ type: 'progress', id, done: Math.max(0, w.now), total: target });
        if (w.now < target) return false;
        this.post({ type: 'seek-done', id, rev, tick: target, world: freeze(w), busy, marks });
        return true;
      },
    };
  }

  private summaryJob(rev: number, s: Scenario): Job {
    const w = initWorld(s);
    let lastPost = 0;
    const failures = (): number[] => {
      const out: number[] = [];
      for (const r of w.history) if ((r.outcome === 'fail' || r.outcome === 'info') && r.completedAt !== null) out.push(r.completedAt);
      return out.sort((a, b) => a - b);
    };
    return {
      priority: SUMMARY,
      id: null,
      step: () => {
        stepTo(w, s, s.duration, null);
        const complete = w.now >= s.duration;
        if (complete || w.now - lastPost >= 2000) {
          lastPost = w.now;
          this.post({ type: 'summary', rev, failures: failures(), upTo: w.now, complete });
        }
        return complete;
      },
    };
  }
}

/** Advances to the next busy tick (or the target), recording busy ticks. */
function stepTo(w: World, s: Scenario, target: number, busy: number[] | null): void {
  const next = nextEventTick(w, s);
  const stop = next === null || next > target ? target : next;
  advance(w, s, stop, busy ? (t) => busy.push(t) : undefined);
}
