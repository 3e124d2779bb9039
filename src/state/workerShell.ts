/// <reference lib="webworker" />
import type { FromWorker, ToWorker } from './protocol';
import type { Jobs } from './workerPort';

/**
 * A worker's shell around its jobs (the simulation's, the comparison's): work runs in slices
 * of ~12 ms with a return to the event loop between them, so a Cancel arrives within a slice.
 */
export function serveJobs(makeJobs: (post: (m: FromWorker) => void) => Jobs): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const jobs = makeJobs((m) => scope.postMessage(m));
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    if (jobs.work(12, () => performance.now())) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(run, 0);
  };
  scope.onmessage = (e: MessageEvent<ToWorker>) => {
    jobs.handle(e.data);
    schedule();
  };
}
