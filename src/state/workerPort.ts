import type { FromWorker, ToWorker } from './protocol';

/** What the store needs of a worker: a browser Worker fits, and so does the in-process fake. */
export interface WorkerPort {
  postMessage(m: ToWorker): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  terminate(): void;
}

/**
 * A module worker, or null where the page cannot start one. `make` holds the literal
 * `new Worker(new URL(…, import.meta.url))`: that is what Vite looks for to bundle the file.
 */
export function startWorker(make: () => Worker): WorkerPort | null {
  if (typeof Worker === 'undefined') return null;
  try {
    return make() as unknown as WorkerPort;
  } catch {
    return null;
  }
}

/** The real one: the engine in a module worker (Vite bundles it as a separate file). */
export function browserWorker(): WorkerPort | null {
  return startWorker(
    () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'statelab-sim' }),
  );
}

/** What runs a worker's jobs: messages in, and work in short slices (jobs.ts, compareJobs.ts). */
export interface Jobs {
  handle(m: ToWorker): void;
  work(budgetMs: number, now: () => number): boolean;
}

/**
 * Jobs in this thread, sliced with setTimeout, behind the worker's interface: for tests, and
 * as the fallback where workers are unavailable (slower, but it still answers). Messages are
 * copied both ways as a real worker's would be: the jobs keep their own worlds.
 */
export function inProcessPort(
  makeJobs: (post: (m: FromWorker) => void) => Jobs,
  schedule: (cb: () => void) => void = (cb) => setTimeout(cb, 0),
): WorkerPort {
  let scheduled = false;
  let dead = false;
  const port: WorkerPort = {
    onmessage: null,
    postMessage(m) {
      if (dead) return;
      jobs.handle(structuredClone(m));
      kick();
    },
    terminate() {
      dead = true;
    },
  };
  const jobs = makeJobs((m) => {
    if (!dead) port.onmessage?.({ data: structuredClone(m) });
  });
  const run = (): void => {
    scheduled = false;
    if (!dead && jobs.work(8, () => Date.now())) kick();
  };
  const kick = (): void => {
    if (scheduled || dead) return;
    scheduled = true;
    schedule(run);
  };
  return port;
}
