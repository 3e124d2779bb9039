/**
 * How property tests choose seeds and runs. `npm test` runs each property as written, on
 * FIXED_SEED (vitest.setup.ts gives it to fast-check), so a commit has one verdict; `npm run
 * fuzz` (scripts/fuzz.ts) sets a fresh STATELAB_FUZZ_SEED and a multiplier STATELAB_FUZZ_TIMES.
 */

/** The seed of every property in `npm test`. Change it only on purpose. */
export const FIXED_SEED = 20261208;

/** A fresh seed from `npm run fuzz`, or undefined in `npm test`. */
export const FUZZ_SEED: number | undefined =
  process.env['STATELAB_FUZZ_SEED'] === undefined ? undefined : Number(process.env['STATELAB_FUZZ_SEED']);

const times = Number(process.env['STATELAB_FUZZ_TIMES'] ?? '1');

/** The multiplier in force: 1 in `npm test`. */
export const FUZZ_TIMES = Number.isFinite(times) && times > 0 ? times : 1;

/** `n` runs, times the fuzz multiplier. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_TIMES));
}
