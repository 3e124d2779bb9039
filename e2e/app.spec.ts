import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { currentTick, open, pause, tickText } from './helpers';
import { heldAnswers, holdWorkerAnswers, releaseWorkerAnswers } from './workerHold';

/**
 * The app, driven as a user drives it: by roles and accessible names. Each test opens the
 * default scenario (a centralized store, three agents, playing), pauses where it needs a
 * still picture, acts, and reads the outcome the engine decided from the panels.
 */

async function fastPlay(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('50');
  await page.getByRole('button', { name: 'Play' }).click();
}

function stateTable(page: Page): Locator {
  return page.getByRole('table', { name: 'State' });
}

function agentsTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Agents' });
}

async function write(page: Page, agent: string, key: string, value: string): Promise<void> {
  await page.getByLabel('Agent', { exact: true }).selectOption(agent);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
}

test('a scenario is already running when the page opens', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(tickText(page)).toContainText('/ 600');
  const t0 = await currentTick(page);
  await expect.poll(() => currentTick(page)).toBeGreaterThan(t0);
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^store v\d+ .*\. store: up/ })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Centralized' }),
  ).toHaveAttribute('aria-pressed', 'true');
});

test('spawn an agent, write a key through Key and Value, see it in the state panel', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Spawn agent' }).click();
  await expect(page.getByLabel('Agent', { exact: true })).toHaveValue('agent4');
  await expect(page.getByRole('button', { name: /^agent4[.,]/ })).toBeVisible();
  await write(page, 'agent4', 'color', 'blue');
  await fastPlay(page);
  await expect(stateTable(page).getByRole('row', { name: /^color/ })).toContainText('"blue"');
  // The op log says it succeeded, with the version the store gave it.
  const entry = page
    .getByRole('list', { name: 'Operation log' })
    .getByRole('listitem')
    .filter({ hasText: 'set color = "blue"' });
  await expect(entry).toContainText('ok');
  await expect(entry).toContainText(/now v\d+/);
});

test('update several keys at once, read one back, delete another', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByLabel('Agent', { exact: true }).selectOption('agent3');
  await page.getByText('Several keys at once').click();
  await page.getByLabel('Updates').fill('alpha = 1\nbeta = "two"');
  await page.getByRole('button', { name: 'Update many' }).click();
  await page.getByLabel('Key', { exact: true }).fill('alpha');
  await page.getByRole('button', { name: 'Read', exact: true }).click();
  await page.getByLabel('Key', { exact: true }).fill('beta');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await fastPlay(page);
  const log = page.getByRole('list', { name: 'Operation log' });
  await expect(log.getByRole('listitem').filter({ hasText: 'delete beta' })).toContainText('ok', { timeout: 20_000 });
  await pause(page);
  // The update wrote both keys as one version; the read saw it; the delete removed beta.
  const update = log.getByRole('listitem').filter({ hasText: 'update alpha = 1, beta = "two"' });
  await expect(update).toContainText('ok');
  const version = /now v(\d+)/.exec((await update.textContent()) ?? '')?.[1];
  expect(version).toBeTruthy();
  await expect(log.getByRole('listitem').filter({ hasText: 'get alpha' })).toContainText(`1 (v${version})`);
  await expect(stateTable(page).getByRole('row', { name: /^beta/ })).toHaveCount(0);
  await stateTable(page).getByRole('button', { name: 'alpha' }).click();
  await expect(page.getByRole('region', { name: 'Selected' })).toContainText(`written at version ${version}`);
});

test('a cut link times out one agent while another agent writes', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByLabel('Agent', { exact: true }).selectOption('agent2');
  await page.getByRole('button', { name: "Cut agent2's link" }).click();
  await expect(page.getByRole('button', { name: /^Link agent2 – store: cut both ways/ })).toBeVisible();
  await write(page, 'agent2', 'k2', 'lost');
  await write(page, 'agent1', 'k1', 'kept');
  await fastPlay(page);

  await expect(stateTable(page).getByRole('row', { name: /^k1/ })).toContainText('"kept"', { timeout: 20_000 });
  await agentsTable(page).getByRole('button', { name: 'agent2' }).click();
  const log = page.getByRole('list', { name: 'Operation log' });
  const lost = log.getByRole('listitem').filter({ hasText: 'set k2 = "lost"' });
  await expect(lost).toContainText('timed out', { timeout: 20_000 });
  await expect(lost).toContainText('the link agent2 → store is cut');
  await expect(stateTable(page).getByRole('row', { name: /^k2/ })).toHaveCount(0);

  await agentsTable(page).getByRole('button', { name: 'agent1' }).click();
  await expect(log.getByRole('listitem').filter({ hasText: 'set k1 = "kept"' })).toContainText('ok');
});

test('crashing the store times out every agent', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Crash store' }).first().click();
  await expect(page.getByRole('button', { name: 'Crash store' }).first()).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: /^store v\d+ crashed\. store: crashed/ })).toBeVisible();
  const crashedAt = await currentTick(page);
  await fastPlay(page);
  await expect.poll(() => currentTick(page), { timeout: 20_000 }).toBeGreaterThan(crashedAt + 60);
  await pause(page);
  for (const agent of ['agent1', 'agent2', 'agent3']) {
    const row = agentsTable(page).getByRole('row', { name: new RegExp(`^${agent}`) });
    await expect(row).toContainText('timed out');
  }
  // Nothing an agent started after the crash succeeded: every outcome since is "timed out".
  await agentsTable(page).getByRole('button', { name: 'agent1' }).click();
  const items = page.getByRole('list', { name: 'Operation log' }).getByRole('listitem');
  const texts = await items.allTextContents();
  const sinceCrash = texts.filter((t) => {
    const m = /tick (\d+)/.exec(t);
    return m && Number(m[1]) > crashedAt && !/pending/.test(t);
  });
  expect(sinceCrash.length).toBeGreaterThan(0);
  for (const t of sinceCrash) expect(t).toContain('timed out');
  // Recover: the store serves again.
  await page.getByRole('button', { name: 'Crash store' }).first().click();
  await expect(page.getByRole('button', { name: /^store v\d+ .*\. store: up/ })).toBeVisible();
});

test('step forward, then step back to the same earlier states', async ({ page }) => {
  await open(page);
  await pause(page);
  // The whole State section: where the pause lands depends on the machine's speed, and before
  // the first write there is no table yet, only "0 keys".
  const state = page.getByRole('region', { name: 'State' });
  const seen: { tick: number; state: string }[] = [];
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 6; i++) {
    await step.click();
    seen.push({ tick: await currentTick(page), state: (await state.textContent()) ?? '' });
  }
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.tick).toBeGreaterThan(seen[i - 1]!.tick);
  const back = page.getByRole('button', { name: 'Step back' });
  for (let i = seen.length - 2; i >= 0; i--) {
    await back.click();
    await expect(tickText(page)).toContainText(`tick ${seen[i]!.tick} /`);
    expect((await state.textContent()) ?? '').toBe(seen[i]!.state);
  }
});

test('scrub to the start and back to the end', async ({ page }) => {
  await open(page);
  await pause(page);
  const slider = page.getByRole('slider', { name: 'Tick' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(tickText(page)).toContainText('tick 0 / 600');
  await expect(slider).toHaveAttribute('aria-valuetext', 'tick 0 of 600');
  await page.keyboard.press('End');
  await expect(tickText(page)).toContainText('tick 600 / 600');
  await expect(stateTable(page).getByRole('row')).not.toHaveCount(0);
  // At the end, Play starts again from the beginning.
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('keyboard: Space plays and pauses, arrows step, ? opens the help', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const t0 = await currentTick(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => currentTick(page)).toBeGreaterThan(t0);
  const t1 = await currentTick(page);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => currentTick(page)).toBeLessThan(t1);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const key of ['Space', '→', '←', 'Home / End', '?'])
    await expect(help.getByRole('cell', { name: key, exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('a link can be cut and healed from the keyboard', async ({ page }) => {
  await open(page);
  await pause(page);
  const link = page.getByRole('button', { name: /^Link agent3 – store: up/ });
  await link.focus();
  await page.keyboard.press('Enter');
  const cut = page.getByRole('button', { name: /^Link agent3 – store: cut both ways/ });
  await expect(cut).toBeVisible();
  await cut.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /^Link agent3 – store: up/ })).toBeVisible();
  // Two acts, two undos: back to the first cut, then to nothing.
  await page.getByRole('button', { name: 'Undo', exact: true }).first().click();
  await expect(page.getByRole('button', { name: /^Link agent3 – store: cut both ways/ })).toBeVisible();
});

test('acting in the past drops the later log and Undo restores it', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.getByRole('button', { name: 'Crash store' }).click();
  const crashedAt = await currentTick(page);
  await fastPlay(page);
  await expect.poll(() => currentTick(page)).toBeGreaterThan(crashedAt + 10);
  await pause(page);
  const slider = page.getByRole('slider', { name: 'Tick' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(tickText(page)).toContainText('tick 0 / 600');
  await page.getByRole('button', { name: "Cut agent1's link" }).click();
  await expect(page.getByRole('status')).toContainText('replaced 1 later action');
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: /^store v\d+ .*\. store: up/ })).toBeVisible();
  await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('button', { name: /^store v\d+ crashed\. store: crashed/ })).toBeVisible();
});

test('a far seek runs in the worker with a progress bar and Cancel', async ({ page }) => {
  // The worker's answer is held until released: the bar and Cancel are there to see however
  // fast the machine, and a cancelled seek's late answer is shown to change nothing.
  await holdWorkerAnswers(page, ['seek-done']);
  await open(page);
  await page.getByLabel('Scenario', { exact: true }).selectOption('long');
  await pause(page);
  await expect(tickText(page)).toContainText('/ 50000');
  const before = await currentTick(page);
  const slider = page.getByRole('slider', { name: 'Tick' });
  const bar = page.getByRole('progressbar', { name: /Computing tick 50000/ });
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(bar).toBeVisible();
  // Cancel takes the focus as the seek starts; Esc cancels from anywhere.
  await expect(cancel).toBeFocused();
  await expect.poll(() => heldAnswers(page)).toBe(1);
  await page.keyboard.press('Escape');
  await expect(bar).toBeHidden();
  expect(await releaseWorkerAnswers(page)).toBe(1);
  expect(await currentTick(page)).toBe(before);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();

  await slider.focus();
  await page.keyboard.press('End');
  await expect(bar).toBeVisible();
  await expect.poll(() => heldAnswers(page)).toBe(1);
  await releaseWorkerAnswers(page);
  await expect(tickText(page)).toContainText('tick 50000 / 50000');
  await expect(bar).toBeHidden();
  // From there, stepping back is local (marks came with the world).
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(() => currentTick(page)).toBeLessThan(50000);
  await expect(stateTable(page).getByRole('row')).not.toHaveCount(0);
});

test('Cancel stops a far seek, even once the worker has its answer', async ({ page }) => {
  await holdWorkerAnswers(page, ['seek-done']);
  await open(page);
  await page.getByLabel('Scenario', { exact: true }).selectOption('long');
  await pause(page);
  const before = await currentTick(page);
  await page.getByRole('slider', { name: 'Tick' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByRole('progressbar')).toBeVisible();
  // The worker has finished: its answer is held, as a slow page would be late to read it.
  await expect.poll(() => heldAnswers(page)).toBe(1);
  // Cancel took the focus as the seek started, so Enter presses it.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('progressbar')).toBeHidden();
  await releaseWorkerAnswers(page);
  expect(await currentTick(page)).toBe(before);
});

test('on a phone the diagram stays on top and the panels are tabs', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const tabs = page.getByRole('tablist', { name: 'Panels' });
  await expect(tabs).toBeVisible();
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  await tabs.getByRole('tab', { name: 'Inspect' }).click();
  await expect(stateTable(page)).toBeVisible();
  await tabs.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('slider', { name: 'Tick' })).toBeVisible();
  await tabs.getByRole('tab', { name: 'Act' }).click();
  await expect(page.getByRole('button', { name: 'Spawn agent' })).toBeVisible();
  // The header's rows scroll sideways; the page itself is never wider than the phone, and
  // the diagram starts on the first screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const diagram = await page.getByRole('group', { name: 'Topology diagram' }).boundingBox();
  expect(diagram!.y).toBeLessThan(200);
  // The last architecture button is off to the side: a tap scrolls the row to it.
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: 'Compare the architectures' })).toBeVisible();
});
