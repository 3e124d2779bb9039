import { SimJobs } from './jobs';
import { serveJobs } from './workerShell';

/** The simulation worker: the engine off the main thread. */
serveJobs((post) => new SimJobs(post));
