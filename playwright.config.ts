import { defineConfig, devices } from '@playwright/test';

/**
 * e2e against the built site (`vite build` runs first; see scripts/test.sh) in the system
 * Chromium: Playwright's own browser download cannot be reached here, so never run
 * `playwright install`. scripts/test.sh finds Chromium and exports CHROMIUM_PATH.
 */
const CI = !!process.env.CI;
// scripts/test.sh passes a free port (4173 unless something else holds it) in E2E_PORT.
const PORT = Number(process.env.E2E_PORT ?? 4173);

const browserUse = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties outputDir at start: keep it apart from test-results/*.json.
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  forbidOnly: CI,
  retries: 0,
  // The specs are independent (each test has its own page and storage), so two browsers at
  // once, one per core. The performance spec runs alone afterwards (the 'perf' project).
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: /app-perf\.spec\.ts/, use: browserUse },
    // Long tasks are measured with nothing else running in a browser: after the rest.
    { name: 'perf', testMatch: /app-perf\.spec\.ts/, dependencies: ['chromium'], use: browserUse },
  ],
  webServer: {
    // The built dist/; --host pins IPv4 so the readiness probe and baseURL agree.
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/harness.html`,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
