import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { currentTick, open, pause, scan, tickText } from './helpers';

/**
 * Gossip as a user meets it: stop the agents, split the cluster, write the same key on both
 * sides, heal, step round by round until every replica agrees (or, in the reference mode,
 * see the divergence named), and share the exact round as a link.
 */

async function openGossip(page: Page): Promise<void> {
  await open(page);
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Gossip (CRDTs)' }).click();
  await pause(page);
  await expect(page.getByRole('table', { name: /^Version vectors|^The reference's per-key counters/ })).toBeVisible();
}

function status(page: Page) {
  return page.getByRole('status', { name: 'Convergence' });
}

async function stepRounds(page: Page, n: number): Promise<void> {
  const step = page.getByRole('button', { name: 'Step round' });
  for (let i = 0; i < n; i++) {
    const t0 = await currentTick(page);
    await step.click();
    await expect.poll(() => currentTick(page)).toBeGreaterThan(t0);
  }
}

async function splitAndWrite(page: Page, key: string): Promise<void> {
  await page.getByRole('button', { name: "Stop the agents' writes" }).click();
  await page.getByRole('button', { name: 'Split the cluster in two' }).click();
  await page.getByLabel('Key to write on both sides (or read)').fill(key);
  await page.getByRole('button', { name: 'Write on both sides' }).click();
}

test('multi-value registers: a read of a key with siblings shows every sibling, in the operation log and the export', async ({
  page,
}) => {
  await openGossip(page);
  await page.getByRole('button', { name: "Stop the agents' writes" }).click();
  await page.getByLabel('Conflict resolution').selectOption('mv-register');
  await splitAndWrite(page, 'color');
  await stepRounds(page, 2);
  await page.getByRole('button', { name: 'Heal the split' }).click();
  // A fixed number of rounds, not "until it says converged": the status is read after a
  // render, and the rounds are what the engine counts.
  await stepRounds(page, 12);
  await expect(status(page)).toContainText('✓ Converged');
  await page.getByLabel('Reader').selectOption('agent1');
  await page.getByLabel('Read at replica').selectOption('r1');
  await page.getByRole('button', { name: 'Read the key there' }).click();
  await stepRounds(page, 3);
  await page
    .getByRole('button', { name: /^agent1\b/ })
    .first()
    .click();
  const log = page.getByRole('list', { name: 'Operation log' });
  await expect(log).toContainText(/get color → siblings \{"(left|right)@\d+" \| "(left|right)@\d+"\}/);
  await expect(log).toContainText('left@');
  await expect(log).toContainText('right@');
});

test('split, write on both sides, heal, step rounds to convergence; a link reproduces the round', async ({
  page,
  browser,
}) => {
  await openGossip(page);
  await splitAndWrite(page, 'color');
  await stepRounds(page, 3);
  await expect(status(page)).toContainText('Not converged');
  // The halves cannot reach each other: r1 and r2 never agree with r3 and r4.
  await expect(status(page)).not.toContainText('{r1, r2, r3');
  // agent1 (at r1) reads the key at r3, across the split: the app says it may be stale.
  await page.getByLabel('Reader').selectOption('agent1');
  await page.getByLabel('Read at replica').selectOption('r3');
  await page.getByRole('button', { name: 'Read the key there' }).click();
  await stepRounds(page, 1);
  await expect(page.getByRole('region', { name: 'Reads at another replica' })).toContainText(
    /agent1 read color at r3: right@\d+\. read at r3, not at your own replica: it may not have your latest writes yet \(stale\)/,
  );

  await page.getByRole('button', { name: 'Heal the split' }).click();
  const step = page.getByRole('button', { name: 'Step round' });
  for (let i = 0; i < 30 && !/✓ Converged/.test((await status(page).textContent()) ?? ''); i++)
    await stepRounds(page, 1);
  await expect(status(page)).toContainText('✓ Converged');
  await expect(status(page)).toContainText('rounds after the heal');
  // Last writer wins kept one of the two writes and says which it dropped.
  await expect(page.getByRole('note', { name: 'Discarded writes (last writer wins)' })).toContainText('color');
  // Two replicas compare equal once converged.
  await expect(page.getByRole('status', { name: 'Version vector order' })).toContainText('Equal');
  await expect(step).toBeEnabled();

  const tick = await currentTick(page);
  const text = (await status(page).textContent()) ?? '';
  const matrix = (await page.getByRole('table', { name: /^Version vectors/ }).textContent()) ?? '';
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await open(other, link);
    await expect(tickText(other)).toContainText(`tick ${tick} /`);
    await expect(status(other)).toHaveText(text);
    await expect(other.getByRole('table', { name: /^Version vectors/ })).toHaveText(matrix);
  } finally {
    await fresh.close();
  }
});

test("the reference mode's tie never converges, and the app names the flaw", async ({ page }) => {
  await openGossip(page);
  await page.getByRole('button', { name: "Stop the agents' writes" }).click();
  await page.getByLabel('Conflict resolution').selectOption('reference');
  await splitAndWrite(page, 'color');
  await stepRounds(page, 2);
  await page.getByRole('button', { name: 'Heal the split' }).click();
  await stepRounds(page, 8);
  await expect(status(page)).toContainText('Not converged');
  await expect(page.getByRole('alert', { name: "The reference's flaw: tied counters never converge" })).toContainText(
    'Never converges',
  );

  // The gossip diagram and controls pass axe in this state (flaw shown), in both themes.
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
    await scan(page, `gossip, ${theme}`, ['.gossip', '.gossip-controls']);
  }
});

test('right after a split the replicas still agree, and the status says new writes will not cross', async ({
  page,
}) => {
  await openGossip(page);
  await page.getByRole('button', { name: "Stop the agents' writes" }).click();
  for (let i = 0; i < 30 && !/✓ Converged/.test((await status(page).textContent()) ?? ''); i++)
    await stepRounds(page, 1);
  await expect(status(page)).toContainText('✓ Converged');
  await expect(status(page)).not.toContainText('split');
  await page.getByRole('button', { name: 'Split the cluster in two' }).click();
  await expect(status(page)).toContainText('✓ Converged · split: new writes will not cross');
  await page.getByRole('button', { name: 'Heal the split' }).click();
  await expect(status(page)).not.toContainText('split');
});
