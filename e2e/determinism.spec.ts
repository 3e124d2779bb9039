import { test, expect } from '@playwright/test';
import { exampleFiles, goldenHashes } from '../cli/examples';

/**
 * The determinism contract of shared/design.md: the same scenario gives the same world hash
 * in Node (examples/golden-hashes.json, written by scripts/gen-examples.ts), on Chromium's
 * main thread and in a module Web Worker.
 */
const golden = goldenHashes();
const files = exampleFiles();

test('every example hashes the same on the main thread, in a Worker and in Node', async ({ page }) => {
  expect(files.length).toBeGreaterThan(0);
  await page.goto('/harness.html');
  await expect(page.getByRole('status')).toHaveText('done', { timeout: 60_000 });

  const table = page.getByRole('table', { name: 'Determinism results' });
  // One row per example file, plus the header row.
  await expect(table.getByRole('row')).toHaveCount(files.length + 1);

  for (const file of files) {
    const want = golden.hashes[file];
    expect(want, `examples/golden-hashes.json has no hash for ${file}`).toMatch(/^[0-9a-f]{64}$/);
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: file, exact: true }) });
    // The page is final once it says done: read the cells once, compare without waiting.
    const [main, worker] = await row.getByRole('cell').allTextContents();
    expect.soft(main, `${file}: main-thread hash`).toBe(want);
    expect.soft(worker, `${file}: worker hash`).toBe(want);
    expect.soft(worker, `${file}: the worker and the main thread agree`).toBe(main);
  }
});
