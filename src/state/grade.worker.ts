import { GradeJobs } from './gradeJobs';
import { serveJobs } from './workerShell';

/** The grade worker: a challenge attempt replayed and judged off the main thread. */
serveJobs((post) => new GradeJobs(post));
