import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'cli/**/*.test.ts'],
    environment: 'node',
    // Two cores here: forks keep memory per file bounded and the run predictable.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
