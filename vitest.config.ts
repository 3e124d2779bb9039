import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'cli/**/*.test.ts'],
    environment: 'node',
    // Two cores here: forks keep memory per file bounded and the run predictable.
    pool: 'forks',
    testTimeout: 60_000,
    // One seed for every property: fixed in npm test, fresh under npm run fuzz.
    setupFiles: ['./vitest.setup.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
