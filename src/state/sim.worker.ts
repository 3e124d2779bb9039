/// <reference lib="webworker" />
import { SimJobs } from './jobs';
import type { FromWorker, ToWorker } from './protocol';

/**
 * The simulation worker: the engine off the main thread. Work runs in slices of ~12 ms
 * with a return to the event loop between them, so a Cancel arrives within a slice.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const jobs = new SimJobs((m: FromWorker) => scope.postMessage(m));
let scheduled = false;

function run(): void {
  scheduled = false;
  if (jobs.work(12, () => performance.now())) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(run, 0);
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  jobs.handle(e.data);
  schedule();
};
