import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { scan } from './helpers';
import { heldAnswers, holdWorkerAnswers, releaseWorkerAnswers } from './workerHold';
import { decodeComparison, encodeComparison } from '../src/sim/compare/codec';

/**
 * The Compare view, as a person uses it: open it from the header, watch the built-in
 * comparison run to its end (in a worker), read the scoreboard, click a stale read and see
 * the operations that prove it; its link reproduces the same numbers in a fresh browser, and
 * says so by checking every panel's world hash, and a link with one hash changed is caught.
 */

async function openCompare(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: 'Compare the architectures' })).toBeVisible();
}

async function finished(page: Page): Promise<void> {
  await expect(page.getByText(/All 6 panels run and scored/)).toBeVisible({ timeout: 60_000 });
}

/** Copies the comparison's link once every panel has run (so it carries their hashes), decoded. */
async function copyLink(
  page: Page,
): Promise<{ link: string; made: Extract<ReturnType<typeof decodeComparison>, { ok: true }> }> {
  await page.getByRole('button', { name: 'Copy link to this comparison' }).click();
  const field = page.getByRole('textbox', { name: 'Link to this comparison' });
  await expect(field).toHaveAccessibleDescription(/carries every panel's final world hash/);
  const link = await field.inputValue();
  const made = decodeComparison(link);
  if (!made.ok) throw new Error(made.message);
  return { link, made };
}

/** A link opened elsewhere scores the same and says its replay matched every panel. */
async function reproduces(page: Page, board: string): Promise<void> {
  await finished(page);
  expect(await scoreboardText(page)).toBe(board);
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'Reproduced exactly: all 6 panels end in the same state as when the link was made.' }),
  ).toBeVisible();
}

async function scoreboardText(page: Page): Promise<string> {
  return (await page.getByRole('region', { name: 'Scoreboard table' }).innerText()).replace(/\s+/g, ' ');
}

async function shots(page: Page, name: string): Promise<void> {
  const dir = process.env['SHOTS_DIR'];
  if (!dir) return;
  for (const y of [0, 700, 1400, 2100, 2800]) {
    await page.evaluate((top) => document.querySelector('.cmp')?.scrollTo(0, top), y);
    await page.screenshot({ path: `${dir}/compare-${name}-${y}.png` });
  }
}

// One comparison run per browser: it is the slow part (every panel, in the worker).
test('runs the built-in comparison, shows a stale read and its witness, and shares it as a link', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openCompare(page);
  await finished(page);
  const board = await scoreboardText(page);
  expect(board).toMatch(/Centralized store \d+ \/ 0 \/ \d+/);
  expect(board).not.toMatch(/running/);
  // Two measures, two columns, each defined: LWW's discarded writes are not lost updates.
  const table = page.getByRole('region', { name: 'Scoreboard table' });
  await expect(table.getByRole('columnheader', { name: 'Lost updates' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Discarded writes' })).toBeVisible();
  const lww = table.getByRole('row', { name: /^Gossip, LWW map/ }).getByRole('cell');
  await expect(lww.nth(3)).toHaveText('0');
  // "≥": a replica keeps its last 16 drop notes, so past them the count is a lower bound.
  await expect(lww.nth(4)).toHaveText(/^(≥ )?[1-9]\d*$/);
  await expect(page.getByText(/^acknowledged writes a merge dropped in favour of a concurrent write/)).toBeVisible();

  // A stale read in the event-sourcing panel: the witness names its operations.
  await page.getByRole('button', { name: /stale reads in Event sourcing: show them/ }).click();
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await expect(evidence.getByRole('heading', { name: 'stale reads · Event sourcing' })).toBeVisible();
  const first = evidence.getByRole('button', { name: /^stale-read on / }).first();
  await first.click();
  const witness = page.getByRole('region', { name: 'Witness', exact: true });
  await expect(witness).toBeVisible();
  await expect(witness.getByRole('heading', { name: 'Witness: stale-read' })).toBeVisible();
  await expect(witness.getByText(/read/).first()).toBeVisible();
  expect(await witness.getByRole('row').count()).toBeGreaterThan(2);

  // The reference's table is judged, with a sentence on each disagreement.
  await expect(page.getByRole('region', { name: 'Reference table with verdicts' })).toContainText('✗ disagrees');
  await expect(page.getByRole('heading', { name: 'Why each disagreement' })).toBeVisible();

  // One clock: scrubbing moves every panel; a cut shows on each during the partition.
  await page.getByRole('slider', { name: 'Tick' }).fill('300');
  await expect(page.getByText('tick 300 / 800')).toBeVisible();
  await expect(page.getByRole('img', { name: /Centralized store at tick 300: .*cut: west \| east/ })).toBeVisible();

  // Each panel's space-time diagram of the ticks before the cursor.
  const gossip = page.getByRole('article', { name: 'Gossip, LWW map' });
  await gossip.getByText('Space-time, ticks 240–300').click();
  const st = gossip.getByRole('group', { name: 'Space-time diagram of Gossip, LWW map' });
  await expect(st).toBeVisible();
  expect(await st.getByRole('button').count()).toBeGreaterThan(10);

  // axe finds nothing, light and desktop, then dark and phone (the panels stack).
  await page.getByText('Per window: before, during and after the fault').click();
  await scan(page, 'light, desktop');
  await shots(page, 'light-1280');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  await scan(page, 'dark, phone');
  await shots(page, 'dark-390');

  // The link, copied once every panel has run, carries their world hashes.
  const { link, made } = await copyLink(page);
  expect(link).toMatch(/#c=z:/);
  await shotsOf(page, 'link-field');
  expect(Object.keys(made.results ?? {})).toHaveLength(6);

  // The same comparison with one panel's recorded hash changed, made with the codec itself.
  const tampered = { ...made.results, 'gossip-lww': 'f'.repeat(64) };
  const badLink = `${link.split('#')[0]!}#${encodeComparison(made.comparison, tampered)}`;

  // In a fresh browser context the link reproduces it, and says so; the tampered one is
  // caught, naming the panel and both short hashes. Both run at once, to keep in budget.
  const fresh = await browser.newContext();
  try {
    // The end of each run is held until the "will be checked" notice has been seen: on a fast
    // machine the run could otherwise end before the test looks, on a slow one after.
    await holdWorkerAnswers(fresh, ['compare-done']);
    const [page2, page3] = [await fresh.newPage(), await fresh.newPage()];
    await Promise.all([page2.goto(link), page3.goto(badLink)]);
    await expect(page2.getByRole('heading', { name: 'Compare the architectures' })).toBeVisible();
    await expect(
      page2.getByRole('status').filter({ hasText: /Once every panel has run, each is checked/ }),
    ).toBeVisible();
    await expect.poll(() => heldAnswers(page2), { timeout: 60_000 }).toBe(1);
    await releaseWorkerAnswers(page2);
    await expect.poll(() => heldAnswers(page3), { timeout: 60_000 }).toBe(1);
    await releaseWorkerAnswers(page3);
    await reproduces(page2, board);
    await expect(page2.getByRole('alert')).toHaveCount(0);

    await finished(page3);
    const notice = page3.getByRole('region', { name: 'This replay differs from the link' });
    await expect(notice).toBeVisible();
    const alert = notice.getByRole('alert');
    await expect(alert).toContainText(
      `in 1 of 6 panels: Gossip, LWW map (recorded ffffffffffff, replayed here ${made.results!['gossip-lww']!.slice(0, 12)}).`,
    );
    await expect(alert).toContainText('The other 5 panels end as recorded.');
    await expect(alert).toContainText(/same engine version \(\d+\.\d+\.\d+\), so this should not happen/);
    await expect(
      page3
        .getByRole('status')
        .filter({ hasText: '✗ Not reproduced exactly: 1 panel ends in another state than the link recorded' }),
    ).toBeVisible();
    await expect(page3.getByText(/Reproduced exactly/)).toHaveCount(0);
    await scan(page3, 'the mismatch notice', ['.cmp-check', '.cmp-mismatch']);
    await shotsOf(page3, 'mismatch');
    await shotsOf(page2, 'reproduced');
  } finally {
    await fresh.close();
  }
});

/** The top of the view (where a link's check is said), light and dark, desktop and phone. */
async function shotsOf(page: Page, name: string): Promise<void> {
  const dir = process.env['SHOTS_DIR'];
  if (!dir) return;
  for (const [w, h] of [
    [1280, 720],
    [390, 844],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(() => document.querySelector('.cmp')?.scrollTo(0, 0));
      await page.screenshot({ path: `${dir}/compare-${name}-${scheme}-${w}.png` });
    }
  }
}

// Changing the comparison: the user's own schedule, network and placement, through the same
// validator as links; a short run (300 ticks) so it stays within budget.
test('changes the comparison: the store moves east, two agents in the east on two keys, the cut is 50–200, errors are said, the link carries it', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openCompare(page);
  const preset = page.getByRole('combobox', { name: 'Workload and faults' });
  await page.getByText('Change this comparison', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Change this comparison' });
  await expect(form).toBeVisible();

  await form.getByRole('textbox', { name: 'Duration' }).fill('300');
  await form.getByRole('combobox', { name: 'Centralized store: store' }).selectOption('east');
  // The built-in's "writing stops at 650" is now beyond the end: said, and nothing runs.
  await form.getByRole('button', { name: 'Run this comparison' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText("Step 3 tick: tick 650 is after the comparison's end (300)");
  await expect(preset.locator('option', { hasText: 'Your comparison' })).toHaveCount(0);
  await form.getByRole('button', { name: 'Remove step 3' }).click();
  await expect(form.getByRole('textbox', { name: 'Step 3 tick' })).toHaveCount(0);

  // A heal before the cut: said; the steps are put in tick order, so the heal is now step 1.
  await form.getByRole('textbox', { name: 'Step 1 tick' }).fill('50');
  await form.getByRole('textbox', { name: 'Step 2 tick' }).fill('40');
  await form.getByRole('button', { name: 'Run this comparison' }).click();
  await form.getByRole('textbox', { name: 'Agents in east' }).fill('-1');
  await form.getByRole('textbox', { name: 'Keys' }).fill(' , ');
  await form.getByRole('button', { name: 'Run this comparison' }).click();
  await expect(alert).toContainText('Agents in east: write 0 or more');
  await expect(alert).toContainText('Keys: write at least one key');
  await expect(alert).toContainText('Step 1: a heal at tick 40, but no cut comes before it');
  await expect(form.getByRole('combobox', { name: 'Step 1 kind' })).toHaveValue('heal');
  await expect(form.getByRole('combobox', { name: 'Step 2 kind' })).toHaveValue('cut');
  await expect(preset.locator('option', { hasText: 'Your comparison' })).toHaveCount(0);
  await scan(page, 'the open form with errors, light, desktop');
  await formShots(page, 'errors');

  await form.getByRole('textbox', { name: 'Step 1 tick' }).fill('200');
  // Two agents in the east, on two keys, writing more than reading.
  await form.getByRole('textbox', { name: 'Agents in east' }).fill('2');
  await form.getByRole('textbox', { name: 'Keys' }).fill('x, y');
  await form.getByRole('textbox', { name: 'Mix, get' }).fill('2');
  await form.getByRole('button', { name: 'Run this comparison' }).click();
  await expect(alert).toHaveCount(0);
  await expect(preset.locator('option:checked')).toHaveText('Your comparison: west | east cut at 50, heal at 200');
  await expect(form.getByRole('combobox', { name: 'Step 1 kind' })).toHaveValue('cut');
  await expect(page.getByText('tick 0 / 300')).toBeVisible();
  // The address bar keeps it, so a reload does not lose it.
  const kept = decodeComparison(page.url());
  expect(kept.ok && kept.comparison.groups[1]!.agents).toEqual(['agent4', 'agent5']);
  await finished(page);

  // The centralized panel shows its store in the east.
  await expect(
    page.getByRole('img', {
      name: /^Centralized store at tick 0: west holds no server and agent1, agent2, agent3; east holds store and agent4, agent5\.$/,
    }),
  ).toBeVisible();
  // The per-window table is this run's, and the west is the side that gave up.
  await page.getByText('Per window: before, during and after the fault').click();
  const windows = page.getByRole('region', { name: 'Per-window table' });
  await expect(windows).toContainText('during (50–199)');
  // Columns: before, during, after; during, some of the west's operations failed or timed out.
  const during = (
    await windows
      .getByRole('row', { name: /^Centralized store/ })
      .getByRole('cell')
      .nth(1)
      .innerText()
  ).trim();
  const counts = /^(\d+) \/ (\d+) \/ (\d+) ·/.exec(during);
  expect(counts, during).not.toBeNull();
  expect(Number(counts![2]) + Number(counts![3]), during).toBeGreaterThan(0);
  const cap = page
    .getByRole('region', { name: 'Not “two of three”' })
    .getByRole('listitem')
    .filter({ hasText: /^Centralized store:/ });
  await expect(cap).toContainText(
    /Chose consistency: the west side refused or timed out \(west \d+% ok, east 100% ok\)/,
  );
  await scan(page, 'the open form, light, desktop');
  await formShots(page, 'open');

  // The link carries the edited comparison; a fresh browser opens it and scores it alike.
  const { link, made } = await copyLink(page);
  expect(made.comparison.faults).toEqual([
    { tick: 50, type: 'cut', a: 'west', b: 'east' },
    { tick: 200, type: 'heal' },
  ]);
  expect(made.comparison.groups).toEqual([
    { id: 'west', agents: ['agent1', 'agent2', 'agent3'] },
    { id: 'east', agents: ['agent4', 'agent5'] },
  ]);
  for (const a of made.comparison.agents)
    expect(a.workload).toEqual({
      kind: 'random',
      keys: ['x', 'y'],
      interval: 10,
      mix: { get: 2, set: 4, delete: 1, update: 1 },
    });
  const board = await scoreboardText(page);
  const fresh = await browser.newContext();
  try {
    const page2 = await fresh.newPage();
    await page2.goto(link);
    await expect(page2.getByRole('combobox', { name: 'Workload and faults' }).locator('option:checked')).toHaveText(
      'From the link: west | east cut at 50, heal at 200',
    );
    await reproduces(page2, board);
  } finally {
    await fresh.close();
  }

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  await scan(page, 'the open form, dark, phone');

  // Back to the preset it was changed from; the user's comparison stays in the select.
  await form.getByRole('button', { name: 'Reset to the preset' }).click();
  await expect(preset.locator('option:checked')).toHaveText('Two groups cut apart (200–500)');
  expect(new URL(page.url()).hash).toBe('');
  await expect(form.getByRole('textbox', { name: 'Duration' })).toHaveValue('800');
  await expect(form.getByRole('combobox', { name: 'Centralized store: store' })).toHaveValue('west');
  await expect(form.getByRole('textbox', { name: 'Agents in east' })).toHaveValue('3');
  await expect(form.getByRole('textbox', { name: 'Keys' })).toHaveValue('x, y, z');
  await expect(
    preset.locator('option', { hasText: 'Your comparison: west | east cut at 50, heal at 200' }),
  ).toHaveCount(1);
});

/** The open form, light and dark, desktop and phone: its top and its end (errors, Run). */
async function formShots(page: Page, name: string): Promise<void> {
  const dir = process.env['SHOTS_DIR'];
  if (!dir) return;
  const form = page.locator('details.cmp-edit');
  for (const [w, h] of [
    [1280, 720],
    [390, 844],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      for (const block of ['start', 'end'] as const) {
        await form.evaluate((el, b) => el.scrollIntoView({ block: b }), block);
        await page.screenshot({ path: `${dir}/compare-edit-${name}-${block}-${scheme}-${w}.png` });
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });
}
