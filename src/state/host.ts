import { browserFrameHost } from '../playback/driver';
import type { LabHost } from './store';
import { browserWorker } from './workerPort';

/** The store's host in a page: animation frames, idle callbacks, timers, the worker. */
export function browserHost(): LabHost {
  return {
    frames: browserFrameHost(),
    now: () => performance.now(),
    idle: (cb) => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => cb(), { timeout: 1000 });
      else setTimeout(cb, 50);
    },
    timeout: (cb, ms) => setTimeout(cb, ms),
    createWorker: browserWorker,
  };
}
