import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { open, pause, scan, tickText } from './helpers';
import { gradeLines, loadChallenges } from '../cli/challenge';

/**
 * A student on the ladder: opens a challenge, checks the unchanged start (not yet), opens a
 * hint, cuts a link at the right moment and heals it, checks again (passed, within par), and
 * copies the receipt link.
 */

async function seek(page: Page, tick: number): Promise<void> {
  await page.getByRole('slider', { name: 'Tick' }).fill(String(tick));
  await expect(tickText(page)).toContainText(`tick ${tick} /`);
}

async function toggleLink(page: Page, a: string, b: string): Promise<void> {
  const link = page.getByRole('button', { name: new RegExp(`^Link ${a} – ${b}:`) });
  await link.focus();
  await link.press('Enter');
}

test('the ladder: fail a challenge, open a hint, pass it within par; the receipt re-grades the same in Node and in a fresh browser', async ({
  page,
  browser,
}) => {
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Challenges' }).click();
  const ladder = page.getByRole('dialog', { name: 'Challenges' });
  await expect(ladder.getByRole('listitem')).toHaveCount(9);
  await expect(ladder.getByRole('heading', { level: 3 }).first()).toHaveText(
    '1. One replica is enough, until it is not',
  );
  await ladder.getByRole('button', { name: /^Open challenge 1,/ }).click();
  const panel = page.getByRole('region', { name: 'One replica is enough, until it is not' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('status', { name: 'Budget' })).toContainText('Faults: 0 of 2 used');

  // The start as it is: graded, not yet.
  await panel.getByRole('button', { name: 'Check' }).click();
  const gradeBox = panel.getByRole('status', { name: 'Grade' });
  await expect(gradeBox).toContainText('Not yet. Checked a stale read over the whole run: not found.');
  await panel.getByRole('button', { name: 'Show hint 1 of 3' }).click();
  await expect(panel.getByRole('listitem').first()).toContainText('A write with W = 1 is acknowledged');

  // Cut coordinator – shard2 before the second write, heal it after.
  await pause(page);
  await seek(page, 50);
  await toggleLink(page, 'coordinator', 'shard2');
  await seek(page, 80);
  await toggleLink(page, 'coordinator', 'shard2');
  await expect(panel.getByRole('status', { name: 'Budget' })).toContainText('Faults: 1 of 2 used');
  await panel.getByRole('button', { name: 'Check' }).click();
  await expect(gradeBox).toContainText('Passed, within par. Found a stale read at tick');
  await expect(gradeBox).toContainText('agent2 read x = 1');
  // The witness on the space-time diagram, at its tick.
  await panel.getByRole('button', { name: 'See it on the space-time diagram' }).click();
  await expect(page.getByRole('button', { name: 'Space-time', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(tickText(page)).toContainText(/tick 1[01]\d \//);
  const receipt = await panel.getByRole('textbox', { name: 'Receipt link' }).inputValue();
  expect(receipt).toMatch(/#receipt=z:[A-Za-z0-9_-]+$/);
  const hash = (await panel.locator('.challenge-hash').textContent()) ?? '';
  expect(hash).toMatch(/^[0-9a-f]{16}$/);

  // The teacher's side: sim grade, in Node, replays the receipt to the same verdict and hash.
  const [row] = gradeLines(`${receipt}\tstudent`, loadChallenges(), process.cwd()).slice(1);
  expect(row).toMatch(new RegExp(`^stale-read,student,pass,1,within,.*,${hash}$`));

  // A fresh browser opens the receipt and grades it again, to the same verdict.
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(receipt);
    const again = other.getByRole('region', { name: 'One replica is enough, until it is not' });
    await expect(again.getByText('Opened from a receipt: replayed and graded again from scratch.')).toBeVisible();
    await expect(again.getByRole('status', { name: 'Grade' })).toContainText('Passed, within par. Found a stale read');
    await expect(again.locator('.challenge-hash')).toHaveText(hash);
    // A damaged receipt says so.
    await other.goto(`${receipt.slice(0, -12)}`);
    await other.reload();
    await expect(other.getByRole('status').filter({ hasText: 'This receipt could not be opened' })).toBeVisible();
  } finally {
    await fresh.close();
  }

  // A reload brings the attempt back as the challenge, and the ladder remembers.
  await page.reload();
  await expect(panel.getByRole('status', { name: 'Budget' })).toContainText('Faults: 1 of 2 used');
  await page.getByRole('button', { name: 'Challenges' }).click();
  await expect(page.getByRole('dialog', { name: 'Challenges' }).getByRole('listitem').first()).toContainText(
    'passed within par',
  );
});

test('no axe violations in the challenge panel and the ladder', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Challenges' }).click();
  await scan(page, 'the ladder');
  await page
    .getByRole('dialog', { name: 'Challenges' })
    .getByRole('button', { name: /^Open challenge 8,/ })
    .click();
  const panel = page.getByRole('region', { name: 'Keep it fresh through a partition' });
  await panel.getByRole('spinbutton', { name: /^R / }).fill('2');
  await panel.getByRole('button', { name: 'Check' }).click();
  await expect(panel.getByRole('status', { name: 'Grade' })).toContainText('Passed. No stale read');
  await expect(panel.getByRole('status', { name: 'Grade' })).toContainText('What mattered: readQuorum (1 → 2)');
  await scan(page, 'the keep-it challenge, passed');
});
