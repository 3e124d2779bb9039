/// <reference lib="webworker" />
import { CompareJobs } from './compareJobs';
import type { FromWorker, ToWorker } from './protocol';

/** The comparison worker: every panel run and scored off the main thread, in ~12 ms slices. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const jobs = new CompareJobs((m: FromWorker) => scope.postMessage(m));
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
