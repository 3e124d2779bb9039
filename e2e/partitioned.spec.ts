import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { currentTick, open, pause, scan, tickText } from './helpers';

/**
 * Partitioned state, as a user drives it: add a shard and watch keys move; cut one shard and
 * see only its keys fail; choose R + W <= N and see a stale read flagged.
 *
 * Keys used (md5 % 3, the reference's placement): alpha → shard0, beta → shard2; with N = 3,
 * omega's replicas are shard2, shard0, shard1.
 */

async function openPartitioned(page: Page): Promise<void> {
  await open(page);
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Partitioned' }).click();
  await expect(
    page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Partitioned' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(tickText(page)).toContainText('/ 600');
}

async function fastPlay(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('50');
  await page.getByRole('button', { name: 'Play' }).click();
}

function opLog(page: Page): Locator {
  return page.getByRole('list', { name: 'Operation log' });
}

async function asAgent(page: Page, agent: string): Promise<void> {
  await page.getByLabel('Agent', { exact: true }).selectOption(agent);
}

async function write(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
}

async function read(page: Page, key: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Read', exact: true }).click();
}

/** By keyboard, as the topology offers: the link may be scrolled away under the shards. */
async function toggleLink(page: Page, a: string, b: string): Promise<void> {
  const link = page.getByRole('button', { name: new RegExp(`^Link ${a} – ${b}:`) });
  await link.focus();
  await link.press('Enter');
}

async function inspectAgent(page: Page, agent: string): Promise<void> {
  await page.getByRole('table', { name: 'Agents' }).getByRole('button', { name: agent }).click();
}

test('add a shard and watch keys move to it, with the fraction moved', async ({ page }) => {
  await openPartitioned(page);
  await expect.poll(() => currentTick(page), { timeout: 20_000 }).toBeGreaterThan(60);
  await pause(page);
  await page.getByRole('button', { name: 'Add shard' }).click();
  const rebalance = page.getByRole('status', { name: 'Rebalancing' });
  await expect(rebalance).toContainText('md5-mod over 3 shards → md5-mod over 4 shards');
  await expect(rebalance).toContainText(
    /The same change would move \(primary owner\): md5-mod \d+ of \d+, ranges \d+ of \d+, consistent \d+ of \d+/,
  );
  await fastPlay(page);
  await expect(rebalance).toContainText(/done at tick \d+/, { timeout: 20_000 });
  await expect(rebalance).toContainText(/[1-9]\d* handed off so far/);
  await pause(page);
  await expect(page.getByRole('img', { name: 'Shards behind the coordinator' })).toHaveAccessibleDescription(
    /shard3: [1-9]\d* keys?/,
  );
});

test('cut the link to one shard: only its keys become unavailable', async ({ page }) => {
  await openPartitioned(page);
  await pause(page);
  await asAgent(page, 'agent3');
  await write(page, 'beta', 'b1');
  await read(page, 'alpha');
  await read(page, 'beta');
  await toggleLink(page, 'coordinator', 'shard0');
  await expect(page.getByRole('button', { name: /^Link coordinator – shard0: cut both ways/ })).toBeVisible();
  await fastPlay(page);
  await inspectAgent(page, 'agent3');
  const alpha = opLog(page).getByRole('listitem').filter({ hasText: 'get alpha' }).first();
  await expect(alpha).toContainText('failed', { timeout: 20_000 });
  await expect(alpha).toContainText('only 0 of the 1 replica needed answered (shard0)');
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'get beta' }).first()).toContainText('b1', {
    timeout: 20_000,
  });
  await pause(page);
  await expect(page.getByRole('img', { name: 'Shards behind the coordinator' })).toHaveAccessibleDescription(
    /shard0: \d+ keys?, \d+ requests, link cut/,
  );
});

test('choose R + W <= N and see a stale read flagged', async ({ page }) => {
  await openPartitioned(page);
  await pause(page);
  await page.getByLabel('Replication factor N').selectOption('3');
  await expect(page.getByLabel('Read quorum R')).toHaveValue('1');
  await expect(page.getByLabel('Write quorum W')).toHaveValue('1');
  await expect(page.getByText('R + W = 2 ≤ N = 3')).toBeVisible();
  await asAgent(page, 'agent1');
  await inspectAgent(page, 'agent1');
  await write(page, 'omega', 'old');
  await fastPlay(page);
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'set omega = "old"' })).toContainText('ok', {
    timeout: 20_000,
  });
  await expect(page.getByRole('status', { name: 'Rebalancing' })).toContainText(/done at tick/, { timeout: 20_000 });
  // shard0 misses the next write (W = 1 is met without it)...
  await pause(page);
  await toggleLink(page, 'coordinator', 'shard0');
  await write(page, 'omega', 'new');
  await fastPlay(page);
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'set omega = "new"' })).toContainText('ok', {
    timeout: 20_000,
  });
  // ...and then is the only replica a read (R = 1) can reach.
  await pause(page);
  await toggleLink(page, 'coordinator', 'shard0');
  await toggleLink(page, 'coordinator', 'shard1');
  await toggleLink(page, 'coordinator', 'shard2');
  await read(page, 'omega');
  await fastPlay(page);
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'get omega' }).first()).toContainText('old', {
    timeout: 20_000,
  });
  await expect(page.getByRole('status', { name: 'Stale reads' })).toContainText(/[1-9]\d* stale reads? flagged/);
  await expect(page.getByText(/agent1 read omega = "old"/)).toBeVisible();
});

test('the shards panel and its controls have no axe violations, light and dark, mid-handoff', async ({ page }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await openPartitioned(page);
    await expect.poll(() => currentTick(page), { timeout: 20_000 }).toBeGreaterThan(40);
    await pause(page);
    await page.getByRole('button', { name: 'Add shard' }).click();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await scan(page, `partitioned, ${colorScheme}`, ['.pt', '.pt-controls']);
  }
});

test('the multi-key form says what a naive update does, and what two-phase commit does', async ({ page }) => {
  await openPartitioned(page);
  await pause(page);
  await page.getByText('Several keys at once').click();
  const updates = page.getByLabel('Updates');
  // It once promised "written atomically as one version", which naive writes are not.
  await expect(updates).not.toHaveAccessibleDescription(/atomically as one version/);
  await expect(updates).toHaveAccessibleDescription(/independently \(naive\): not atomic/);
  await page.getByLabel('Cross-shard update').selectOption('2pc');
  await expect(updates).toHaveAccessibleDescription(/Two-phase commit across shards: all or nothing/);
});
