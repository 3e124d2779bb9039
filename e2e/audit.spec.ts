import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { open, pause, scan } from './helpers';

/**
 * Rollback and audit, as a user meets them: write a key twice, open its audit trail in
 * Inspect, roll it back to the first version, and see the rollback itself in the trail;
 * roll the whole store back from Act. The default scenario is the centralized store.
 */

async function fastPlay(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('50');
  await page.getByRole('button', { name: 'Play' }).click();
}

async function write(page: Page, agent: string, key: string, value: string): Promise<void> {
  await page.getByLabel('Agent', { exact: true }).selectOption(agent);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
}

/** Writes, plays until the write is acknowledged, pauses. */
async function writeAndWait(page: Page, agent: string, key: string, value: string): Promise<void> {
  await write(page, agent, key, value);
  await fastPlay(page);
  const entry = page
    .getByRole('list', { name: 'Operation log' })
    .getByRole('listitem')
    .filter({ hasText: `set ${key} = "${value}"` });
  await expect(entry).toContainText('ok', { timeout: 20_000 });
  await pause(page);
}

function trail(page: Page): Locator {
  return page.getByRole('list', { name: 'Audit trail', exact: true });
}

test('roll back a key and see the audit trail, with the rollback in it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page);
  await pause(page);
  await writeAndWait(page, 'agent3', 'memo', 'first');
  await writeAndWait(page, 'agent3', 'memo', 'second');

  await page.getByRole('table', { name: 'State' }).getByRole('button', { name: 'memo' }).click();
  const selected = page.getByRole('region', { name: 'Selected' });
  await expect(trail(page).getByRole('listitem')).toHaveCount(2);
  // Newest first: who changed it, old → new.
  await expect(trail(page).getByRole('listitem').first()).toContainText('agent3');
  await expect(trail(page).getByRole('listitem').first()).toContainText('"first" → becomes "second"');
  await expect(trail(page).getByRole('listitem').last()).toContainText('absent → becomes "first"');
  await scan(page, 'a key and its audit trail');

  await selected.getByRole('button', { name: /^Roll back to this version: memo = "first"/ }).click();
  await expect(page.getByRole('status')).toContainText('roll back memo to v');
  await fastPlay(page);
  await expect(trail(page).getByRole('listitem')).toHaveCount(3, { timeout: 20_000 });
  await pause(page);
  const rollback = trail(page).getByRole('listitem').first();
  await expect(rollback).toContainText('agent3');
  await expect(rollback).toContainText(/rollback #\d+ to v\d+/);
  await expect(rollback).toContainText('"second" → becomes "first"');
  await expect(page.getByRole('table', { name: 'State' }).getByRole('row', { name: /^memo/ })).toContainText('"first"');
  await expect(selected).toContainText(/Now "first", written at version \d+/);
});

test('roll the whole store back from Act, on a phone in the dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone Act, Inspect and Timeline are tabs: open() waits for Inspect, hidden here.
  await page.goto('/');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await pause(page);
  await page.getByRole('tab', { name: 'Act' }).click();
  await page.getByText('Roll back the store').click();
  // Tick -1 is before anything happened: every key the store holds goes.
  await page.getByLabel('Back to tick').fill('-1');
  await page.getByRole('button', { name: 'Roll back store' }).click();
  await expect(page.getByRole('status')).toContainText('roll back the store to v0');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await fastPlay(page);
  await page.getByRole('tab', { name: 'Inspect' }).click();
  const done = page
    .getByRole('list', { name: 'Operation log' })
    .getByRole('listitem')
    .filter({ hasText: 'roll back the store to v0' });
  await expect(done).toContainText(/ok.*keys? restored/, { timeout: 20_000 });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await pause(page);
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await scan(page, 'after a store-wide rollback, phone, dark');
});

test('event sourcing: a rollback is compensating events, listed in the key’s audit trail', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page);
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Event sourcing' }).click();
  await pause(page);
  await page.getByRole('slider', { name: 'Tick' }).fill('300');
  await page.getByRole('list', { name: 'Keys changed so far' }).getByRole('button').first().click();
  await expect(trail(page).getByRole('listitem').first()).toContainText(/agent\d/);
  await page
    .getByRole('button', { name: /^Roll back to this version/ })
    .first()
    .click();
  await fastPlay(page);
  await expect(
    trail(page)
      .getByRole('listitem')
      .filter({ hasText: /rollback #\d+ to v\d+/ }),
  ).toHaveCount(1, { timeout: 20_000 });
  await pause(page);
  // The agents keep writing: the rollback is one change among theirs, from the log itself.
  await expect(page.getByRole('region', { name: 'Selected' })).toContainText('From the server’s own record');
});
