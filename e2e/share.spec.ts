import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { encodeEnvelope, makeEnvelope } from '../src/sim/scenario/codec';
import { defaultScenario, faultsScenario } from '../src/sim/scenario/builtins';
import { currentTick, open, pause, tickText } from './helpers';

/**
 * Sharing, driven by roles and accessible names: a copied link reproduces the scenario at
 * its tick in a fresh browser (no shared storage), broken links say so and leave the app
 * usable, work in progress survives a reload and a link (Recent work), files export and
 * import, and names are text.
 */

/** The world hash's short form, once it is computed for the cursor. */
/** The world hash the page shows, once it is the hash of the cursor's tick (it follows the cursor). */
async function shortHash(page: Page): Promise<string> {
  const code = page.locator('.short-hash code.hash');
  const tick = await currentTick(page);
  await expect(code).toHaveAccessibleDescription(new RegExp(`^at tick ${tick};`));
  await expect(code).toHaveText(/^[0-9a-f]{12}$/);
  return (await code.textContent()) ?? '';
}

function stateTable(page: Page): Locator {
  return page.getByRole('table', { name: 'State' });
}

async function write(page: Page, agent: string, key: string, value: string): Promise<void> {
  await page.getByLabel('Agent', { exact: true }).selectOption(agent);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
}

async function stepTimes(page: Page, n: number): Promise<void> {
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < n; i++) await step.click();
}

async function copyLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByLabel('Share link');
  await expect(field).toHaveValue(/#s=z:/);
  return field.inputValue();
}

async function expectUsable(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const t0 = await currentTick(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => currentTick(page)).toBeGreaterThan(t0);
}

test('a copied link opens the same scenario, tick, state and hash in a fresh browser', async ({
  page,
  browser,
  baseURL,
}) => {
  await open(page);
  await pause(page);
  await write(page, 'agent2', 'color', 'teal');
  await stepTimes(page, 12);
  const tick = await currentTick(page);
  const hash = await shortHash(page);
  const state = (await stateTable(page).textContent()) ?? '';
  const link = await copyLink(page);
  expect(link.startsWith(`${baseURL}/`)).toBe(true);

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await open(other, link);
    await expect(tickText(other)).toContainText(`tick ${tick} /`);
    expect(await shortHash(other)).toBe(hash);
    await expect(stateTable(other)).toHaveText(state);
    await expect(other.getByRole('alert')).toHaveCount(0);
    await expect(other.getByRole('heading', { name: 'This replay differs from the link' })).toHaveCount(0);
  } finally {
    await fresh.close();
  }
});

test('a truncated link shows a message and the app stays usable', async ({ page }) => {
  const payload = encodeEnvelope(makeEnvelope(faultsScenario(), 300));
  await open(page, `/#s=${payload.slice(0, Math.floor(payload.length / 2))}`);
  await expect(page.getByRole('alert')).toContainText('This link could not be opened');
  await pause(page);
  await expectUsable(page);
});

test('a garbage link shows a message and the app stays usable', async ({ page }) => {
  await open(page, '/#s=z:<script>alert(1)</script>%%%');
  await expect(page.getByRole('alert')).toContainText('This link could not be opened');
  await pause(page);
  await expectUsable(page);
});

test('a link whose replay differs says so plainly', async ({ page }) => {
  const e = { ...makeEnvelope(defaultScenario(), 120), engine: '0.0.1', hash: '0'.repeat(64) };
  await open(page, `/#s=${encodeEnvelope(e)}`);
  await expect(page.getByRole('heading', { name: 'This replay differs from the link' })).toBeVisible();
  await expect(page.getByText(/made with engine 0\.0\.1/)).toBeVisible();
});

/** Waits until Recent work lists an entry of this name (the autosave is debounced and asynchronous). */
async function expectSaved(page: Page, name: string): Promise<void> {
  await expect(async () => {
    await page.getByRole('button', { name: 'Recent work' }).click();
    const d = page.getByRole('dialog', { name: 'Recent work' });
    try {
      await expect(d.getByRole('listitem', { name }).first()).toBeVisible({ timeout: 1000 });
    } finally {
      await d.getByRole('button', { name: 'Close' }).click();
    }
  }).toPass({ timeout: 15_000 });
}

test('a reload restores work in progress', async ({ page }) => {
  await open(page);
  await pause(page);
  await write(page, 'agent1', 'saved', 'yes');
  await stepTimes(page, 10);
  await expect(stateTable(page).getByRole('row', { name: /^saved/ })).toContainText('"yes"');
  const hash = await shortHash(page);
  await expectSaved(page, defaultScenario().name);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  await expect(stateTable(page).getByRole('row', { name: /^saved/ })).toContainText('"yes"');
  expect(await shortHash(page)).toBe(hash);
});

test('a link over work opens at once, and the work is kept in Recent work', async ({ page }) => {
  await open(page);
  await pause(page);
  await write(page, 'agent1', 'mine', 'precious');
  await stepTimes(page, 10);
  await expect(stateTable(page).getByRole('row', { name: /^mine/ })).toContainText('"precious"');
  await expectSaved(page, defaultScenario().name);
  await page.goto(`/#s=${encodeEnvelope(makeEnvelope(faultsScenario(), 200))}`);
  await page.reload();
  await expect(tickText(page)).toContainText('tick 200 / 800');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('button', { name: 'Recent work' }).click();
  const d = page.getByRole('dialog', { name: 'Recent work' });
  await d.getByRole('listitem', { name: defaultScenario().name }).getByRole('button', { name: /^Open/ }).click();
  await expect(tickText(page)).toContainText('/ 600');
  await expect(stateTable(page).getByRole('row', { name: /^mine/ })).toContainText('"precious"');
});

test('export and import a scenario file; a broken file gets a message; names are text', async ({ page }) => {
  await open(page);
  await pause(page);
  await stepTimes(page, 5);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^statelab-centralized-store-three-agents-t\d+\.json$/);

  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const env = makeEnvelope({ ...faultsScenario(), name: hostile }, 150);
  await page
    .getByLabel('Import scenario file')
    .setInputFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(env)) });
  await expect(tickText(page)).toContainText('tick 150 / 800');
  await expect(page.getByRole('status').filter({ hasText: hostile })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page
    .getByLabel('Import scenario file')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"v":1,"scenario":') });
  await expect(page.getByRole('alert')).toContainText('This file could not be imported');
  await expect(tickText(page)).toContainText('tick 150 / 800');
  await expectUsable(page);
});

test('Show QR code puts the link on screen as a large QR code', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Show QR code' }).click();
  const dialog = page.getByRole('dialog', { name: 'QR code of this link' });
  const qr = dialog.getByRole('img', { name: 'QR code of the share link' });
  await expect(qr).toBeVisible();
  const box = await qr.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(500);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
