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

/**
 * The same host with a worker that runs only when the test says: `drain()` runs every slice
 * of work it has scheduled, and what that schedules, until it is idle. A test that asks for
 * "the newest answer only" then means the same however fast the machine.
 */
export function drainingHost(): { host: LabHost; drain: () => void } {
  const queue: (() => void)[] = [];
  const host: LabHost = { ...testHost(), createWorker: () => inProcessWorker((cb) => queue.push(cb)) };
  const drain = (): void => {
    for (let guard = 0; queue.length > 0; guard++) {
      if (guard > 1_000_000) throw new Error('the worker never went idle');
      queue.shift()?.();
    }
  };
  return { host, drain };
}
