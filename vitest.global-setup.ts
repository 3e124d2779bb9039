import { FIXED_SEED, FUZZ_SEED, FUZZ_TIMES } from './src/sim/core/fuzz.testkit';

/** Said once per run, so the output names the seed every property ran on. */
export default function setup(): void {
  console.log(
    FUZZ_SEED === undefined
      ? `fast-check: fixed seed ${FIXED_SEED} for every property (npm run fuzz explores fresh seeds)`
      : `fast-check: fresh seed ${FUZZ_SEED}, runs x${FUZZ_TIMES} (npm run fuzz)`,
  );
}
