import type { LabHost } from './store';
import { inProcessWorker } from './jobs';

/**
 * A host for store tests: a clock that ticks once a read, no animation frames (the tests
 * drive the store by its actions), idle work at once. `worker`: the simulation worker runs
 * in this thread on real timers; without it the store computes on the main thread.
 */
export function testHost(opts: { worker?: boolean } = {}): LabHost {
  let t = 0;
  return {
    frames: { now: () => t, requestFrame: () => 0, cancelFrame: () => {} },
    now: () => (t += 1),
    idle: (cb) => cb(),
    timeout: (cb, ms) => setTimeout(cb, ms),
    createWorker: () => (opts.worker ? inProcessWorker((cb) => setTimeout(cb, 0)) : null),
  };
}
