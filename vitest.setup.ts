/**
 * Every file's fast-check properties run on one seed: the fixed one in `npm test` (one verdict
 * per commit), a fresh one under `npm run fuzz`. A failure prints its seed and path, so any
 * counterexample can be replayed with `{ seed, path }` and kept as a regression test.
 */
import fc from 'fast-check';
import { FIXED_SEED, FUZZ_SEED, runs } from './src/sim/core/fuzz.testkit';

fc.configureGlobal({ seed: FUZZ_SEED ?? FIXED_SEED, numRuns: runs(100) });
