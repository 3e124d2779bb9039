import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { currentTick, open, pause, scan } from './helpers';

/**
 * Backups and point-in-time recovery, as a user does it: schedule backups of the store, let
 * it run, crash it so that its disk is lost, restore it to an earlier tick from a backup,
 * and read the acknowledged writes the restore lost, write by write; then run a drill.
 */

async function playUntil(page: Page, tick: number): Promise<void> {
  await page.getByLabel('Speed').selectOption('50');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => currentTick(page), { timeout: 30_000 }).toBeGreaterThan(tick);
  await pause(page);
}

test('crash the store with its disk lost, restore it to a tick from a backup, see the lost writes', async ({
  page,
}) => {
  await open(page);
  await pause(page);
  await page.getByText('Disks, backups and restore').click();
  await page.getByLabel('Back up every').fill('20');
  await page.getByRole('button', { name: 'Schedule backups' }).click();
  const scheduled = await currentTick(page);
  await playUntil(page, scheduled + 90);

  await page.getByRole('button', { name: 'Crash and lose disk' }).click();
  const crashed = await currentTick(page);
  const inspect = page.getByRole('region', { name: 'Inspect' });
  await expect(inspect.getByText('store lost its disk')).toBeVisible();
  await expect(inspect.getByText('It comes back empty until it is restored from a backup.')).toBeVisible();

  const target = crashed - 45;
  await page.getByLabel('Restore to tick').fill(String(target));
  await page.getByRole('button', { name: 'Restore store' }).click();
  await expect(inspect.getByText(`store restored to tick ${target}`)).toBeVisible();

  const lost = inspect
    .getByRole('table', { name: new RegExp(`acknowledged writes? lost after tick ${target}`) })
    .first();
  await expect(lost).toBeVisible();
  const rows = lost.getByRole('row');
  expect(await rows.count()).toBeGreaterThan(1);
  for (const row of (await rows.all()).slice(1)) {
    const tick = Number(await row.getByRole('cell').nth(1).textContent());
    expect(tick).toBeGreaterThan(target);
    await expect(row.getByRole('cell').first()).toHaveText(/^agent\d+$/);
  }

  await page.getByRole('button', { name: 'Run restore drill' }).click();
  await expect(inspect.getByText(/Restore drill of backup #\d+: passed/)).toBeVisible();

  await scan(page, 'backups inspected');
});

test('the built-in scenario shows a power cut without a WAL, a lost disk and a point-in-time restore', async ({
  page,
}) => {
  await open(page);
  await pause(page);
  await page.getByLabel('Scenario', { exact: true }).selectOption({ label: 'Backups and point-in-time recovery' });
  await page.getByRole('button', { name: 'To end' }).click();
  await expect.poll(() => currentTick(page), { timeout: 30_000 }).toBe(500);
  const inspect = page.getByRole('region', { name: 'Inspect' });
  await expect(inspect.getByText('store lost power')).toBeVisible();
  await expect(inspect.getByText('store restored to tick 270')).toBeVisible();
  await expect(inspect.getByRole('img', { name: /Backup timeline: 5 backups/ })).toBeVisible();
  await expect(inspect.getByRole('table', { name: /lost after tick 100/ })).toBeVisible();
  // The timeline bar marks them too; its legend, the slider's description, counts them.
  const slider = page.getByRole('slider', { name: 'Tick' });
  await expect(slider).toHaveAccessibleDescription(/5 backups\s+2 crashes that lost data\s+1 restore$/);
  await expect(page.locator('.marks .mark-backups')).toHaveCount(1);
  // Each kind's Next button jumps there: nothing after the end, the first loss from the start.
  const nextLoss = page.getByRole('button', { name: 'Next crash that lost data' });
  await expect(nextLoss).toBeDisabled();
  await page.getByRole('button', { name: 'To start' }).click();
  await nextLoss.click();
  await expect.poll(() => currentTick(page)).toBe(145);
  await page.getByRole('button', { name: 'Next backup' }).click();
  await expect.poll(() => currentTick(page)).toBe(200);
  // A scenario without backups or health checks keeps the bar it had.
  await page.getByLabel('Scenario', { exact: true }).selectOption('default');
  await expect(slider).toHaveAccessibleDescription(/^\d+ actions? \d+ failed or timed-out operations?( so far)?$/);
  await expect(page.locator('.marks path:not(.mark-action):not(.mark-fail)')).toHaveCount(0);
});
