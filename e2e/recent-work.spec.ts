import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { encodeEnvelope, makeEnvelope, envelopeJson } from '../src/sim/scenario/codec';
import { defaultScenario } from '../src/sim/scenario/builtins';
import type { Scenario } from '../src/sim/scenario/schema';
import { open, pause, scan, stepHeading, tickText } from './helpers';

/**
 * No lost work (issue 19, §1): every way work used to be overwritten without a question, in
 * one browser, then all of it found again through Recent work. The six ways: a lesson link
 * then a reload and a second lesson link; a bad lesson link twice; a lesson link typed into
 * an open page; a second tab; work too large for the old storage and work from a newer
 * StateLab; importing a file.
 */

const named = (name: string, extra: Partial<Scenario> = {}): Scenario => ({ ...defaultScenario(), name, ...extra });

function keyRow(page: Page, key: string): Locator {
  return page.getByRole('table', { name: 'State' }).getByRole('row', { name: new RegExp(`^${key}`) });
}

/** Writes a key and steps until the store has applied it. */
async function write(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 10; i++) await step.click();
  await expect(keyRow(page, key)).toContainText(JSON.stringify(value));
}

function recentDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Recent work' });
}

async function openRecent(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Recent work' }).click();
  const d = recentDialog(page);
  await expect(d).toBeVisible();
  return d;
}

async function closeRecent(page: Page): Promise<void> {
  await recentDialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(recentDialog(page)).toHaveCount(0);
}

/** The entries Recent work lists (each a list item named by its scenario). */
function entry(d: Locator, name: string | RegExp): Locator {
  return d.getByRole('list', { name: 'Saved work' }).getByRole('listitem', { name });
}

/** Waits until Recent work lists an entry (the autosave is debounced), then closes the list. */
async function expectSaved(page: Page, name: string | RegExp): Promise<void> {
  await expect(async () => {
    const d = await openRecent(page);
    try {
      await expect(entry(d, name).first()).toBeVisible({ timeout: 1000 });
    } finally {
      await closeRecent(page);
    }
  }).toPass({ timeout: 15_000 });
}

test('every way work was lost keeps it now, and Recent work finds all of it', async ({ context, page }) => {
  // Work an older StateLab kept in localStorage: one autosave larger than that storage's old
  // cap (20,000 actions, 2.5 MB: "could not be restored", then replaced), and one "previous
  // work" written by a newer format (also replaced). Both move into recent work, as they are.
  const actions = Array.from({ length: 20_000 }, (_, i) => ({
    tick: 1 + Math.floor(i / 40),
    type: 'op' as const,
    agent: 'agent1',
    op: 'set',
    args: { key: `k${i % 60}`, value: `a value long enough to make the file large ${i}`.padEnd(60, '.') },
  }));
  const big = envelopeJson({ ...makeEnvelope(named('Big work'), 0), scenario: named('Big work', { actions }) });
  expect(big.length).toBeGreaterThan(2_500_000);
  const newer = JSON.stringify({ ...JSON.parse(envelopeJson(makeEnvelope(named('From a newer StateLab'), 0))), v: 7 });
  await open(page);
  await page.evaluate(
    ([a, b]) => {
      localStorage.setItem('statelab-autosave', a!);
      localStorage.setItem('statelab-previous-work', b!);
    },
    [big, newer],
  );

  // The big work is this tab's to resume: it opens as it was, nothing replaces it.
  await open(page);
  await expectSaved(page, 'Big work');
  let d = await openRecent(page);
  await expect(entry(d, 'From a newer StateLab')).toContainText(/Cannot be opened: .*newer StateLab \(format 7\)/);
  await expect(entry(d, 'From a newer StateLab').getByRole('button', { name: /^Open/ })).toBeDisabled();
  await closeRecent(page);
  expect(await page.evaluate(() => localStorage.getItem('statelab-autosave'))).toBeNull();

  // My own work in this tab.
  await page.goto('/');
  await pause(page);
  await write(page, 'mine', 'precious');
  await expectSaved(page, 'Centralized store, three agents');

  // 3. A lesson link typed into the open page (hashchange).
  await page.evaluate(() => {
    window.location.hash = '#lesson=single-source-of-truth&step=1';
  });
  await expect(stepHeading(page, 'One store, three agents')).toBeVisible();
  // 2. A lesson that does not exist, twice: said, and nothing moves.
  for (let i = 0; i < 2; i++) {
    await page.goto('/#lesson=no-such-lesson');
    await page.reload();
    await expect(page.getByText(/This lesson link could not be opened/)).toBeVisible();
  }
  // 1. A lesson link, a reload of it, then a second lesson link.
  await page.goto('/#lesson=quorums&step=2');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  // (Saving is asynchronous: a write a reload interrupts is lost, so wait for it.)
  await expectSaved(page, /quorums/);
  await page.goto('/#lesson=single-source-of-truth&step=1');
  await page.reload();
  await expect(stepHeading(page, 'One store, three agents')).toBeVisible();

  // 4. A second tab: its work is its own entry, and the first tab's stays.
  const second = await context.newPage();
  await open(second);
  await pause(second);
  await write(second, 'theirs', 'also precious');
  // 6. Importing a file in that tab: a new entry; the tab's work before it stays.
  const file = `${JSON.stringify(makeEnvelope(named('Imported file'), 10), null, 2)}\n`;
  await expectSaved(second, 'Centralized store, three agents');
  await second
    .getByLabel('Import scenario file')
    .setInputFiles({ name: 'imported.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(tickText(second)).toContainText('tick 10 / 600');
  await expectSaved(second, 'Imported file');
  // A reload of the tab's own address resumes its work without a question.
  await second.reload();
  await expect(tickText(second)).toContainText('tick 10 / 600');
  await expect(second.getByRole('dialog')).toHaveCount(0);

  // A follower window (the audience) never saves.
  const audience = await context.newPage();
  await audience.goto('/#lesson=quorums&step=1&audience');
  await expect(audience.getByRole('heading', { name: 'Inspect' })).toBeVisible();

  // Everything is there, in the first tab too (tabs tell each other), each said plainly.
  d = await openRecent(page);
  for (const name of ['Big work', 'From a newer StateLab', 'Imported file'])
    await expect(entry(d, name), name).toBeVisible();
  // My work and the second tab's: two entries of the same scenario name, from two tabs.
  await expect(entry(d, 'Centralized store, three agents')).toHaveCount(2);
  await expect(entry(d, 'Lesson: one source of truth, one point of failure').first()).toBeVisible();
  // One entry for the quorums lesson, opened, reloaded and followed by an audience window.
  await expect(entry(d, /quorums/)).toHaveCount(1);
  await expect(entry(d, 'Imported file')).toContainText('tick 10');

  await scan(page, 'the Recent work list', ['dialog.recent-dialog']);

  // Delete with Undo.
  await entry(d, 'Imported file')
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(entry(d, 'Imported file')).toHaveCount(0);
  await d.getByRole('button', { name: 'Undo' }).click();
  await expect(entry(d, 'Imported file')).toBeVisible();

  // Export all gives one file with every entry, the unreadable one included, as it is.
  const download = page.waitForEvent('download');
  await d.getByRole('button', { name: 'Export all' }).click();
  const text = await (await (await download).createReadStream()).toArray();
  const exported = JSON.parse(Buffer.concat(text).toString('utf8')) as { entries: { name: string; raw?: string }[] };
  expect(exported.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['Big work', 'From a newer StateLab']));
  expect(exported.entries.find((e) => e.name === 'From a newer StateLab')?.raw).toContain('"v":7');

  // Open finds the work: my key is back, at its tick.
  const mine = entry(d, 'Centralized store, three agents');
  await mine.filter({ hasText: 'this tab' }).getByRole('button', { name: /^Open/ }).click();
  await expect(keyRow(page, 'mine')).toContainText('"precious"');
  await second.close();
  await audience.close();
});

test('a share link with a lesson link says which it opened; a clamped step says so', async ({ page }) => {
  const link = encodeEnvelope(makeEnvelope(named('Shared run'), 30));
  await open(page, `/#s=${link}&lesson=quorums`);
  await expect(page.getByText(/a share link and a lesson link \(“quorums”\): the share link was opened/)).toBeVisible();
  await expect(tickText(page)).toContainText('tick 30 / 600');
  for (const step of ['9999', '-1', 'abc']) {
    await page.goto(`/#lesson=single-source-of-truth&step=${step}`);
    await page.reload();
    await expect(page.getByText(`the link's step “${step}” is not one of them, so it opened at step`)).toBeVisible();
  }
});

test('an embed opens its link, and "Open in StateLab" opens the embedded scenario', async ({ page }) => {
  const link = encodeEnvelope(makeEnvelope(named('Embedded run'), 40));
  await page.goto(`/#embed&s=${link}`);
  await expect(tickText(page)).toContainText('tick 40 / 600');
  const out = page.getByRole('link', { name: 'Open in StateLab' });
  await expect(out).toHaveAttribute('href', new RegExp(`#s=${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});
