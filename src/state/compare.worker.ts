import { CompareJobs } from './compareJobs';
import { serveJobs } from './workerShell';

/** The comparison worker: every panel run and scored off the main thread. */
serveJobs((post) => new CompareJobs(post));
