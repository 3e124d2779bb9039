import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { currentTick, open, pause, scan, tickText } from './helpers';

/**
 * Event sourcing as a user meets it: append events, cut a projection off the log and watch
 * it fall behind and serve a stale read, heal it and watch it catch up, look at an earlier
 * state with the version slider, and share the run as a link.
 */

async function openEventSourcing(page: Page): Promise<void> {
  await open(page);
  await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Event sourcing' }).click();
  await pause(page);
  await expect(page.getByRole('heading', { name: 'Event log' })).toBeVisible();
}

/** Steps until `check` passes (each step is one busy tick). */
async function stepUntil(page: Page, check: () => Promise<boolean>, max = 80): Promise<void> {
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < max; i++) {
    if (await check()) return;
    await step.click();
  }
  expect(await check()).toBe(true);
}

function projectionRow(page: Page, id: string): Locator {
  return page.getByRole('row', { name: new RegExp(`^${id}: version \\d+, \\d+ events behind`) });
}

async function behind(page: Page, id: string): Promise<number> {
  const name = (await projectionRow(page, id).getAttribute('aria-label')) ?? '';
  return Number(/, (\d+) events behind/.exec(name)?.[1] ?? NaN);
}

async function version(page: Page, id: string): Promise<number> {
  const name = (await projectionRow(page, id).getAttribute('aria-label')) ?? '';
  return Number(/: version (\d+)/.exec(name)?.[1] ?? NaN);
}

async function append(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel('Event type', { exact: true }).selectOption('key_set');
  await page.getByLabel('Event key').fill(key);
  await page.getByLabel('Event value').fill(value);
  await page.getByRole('button', { name: 'Append event' }).click();
}

test('a cut projection falls behind and serves a stale read; healed, it catches up; the slider and a link show the past', async ({
  page,
  browser,
}) => {
  await openEventSourcing(page);
  await page.getByLabel('Agent', { exact: true }).selectOption('agent1');

  // An event every projection sees.
  await append(page, 'color', 'red');
  await stepUntil(
    page,
    async () =>
      (await page
        .getByRole('table', { name: /^State as of version/ })
        .getByRole('row', { name: /^color/ })
        .count()) > 0,
  );
  const redAt = Number(/Log at version (\d+)/.exec((await page.locator('.es-summary').textContent()) ?? '')?.[1]);
  await stepUntil(page, async () => (await version(page, 'proj1')) >= redAt);
  // A cut acts first in its tick: cutting at the tick red arrived would drop it. Go one further.
  await page.getByRole('button', { name: 'Step', exact: true }).click();

  // Cut proj1 off the log, write again: the log moves on, proj1 does not.
  await page.getByRole('button', { name: "Cut proj1's link to the log" }).click();
  await expect(page.getByRole('button', { name: "Cut proj1's link to the log" })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await append(page, 'color', 'blue');
  await stepUntil(page, async () => (await behind(page, 'proj1')) >= 2);

  // A read from proj1 is stale, and said to be.
  await page.getByLabel('Read from', { exact: true }).selectOption('proj1');
  await page.getByLabel('Key to read').fill('color');
  await page.getByRole('button', { name: 'Read from projection' }).click();
  const staleItem = page.getByRole('listitem').filter({ hasText: /^Stale read: agent1 read color = "red" from proj1/ });
  await stepUntil(page, async () => (await staleItem.count()) > 0);
  const lagWhileCut = await behind(page, 'proj1');
  expect(lagWhileCut).toBeGreaterThan(0);

  // Heal: proj1 catches up.
  await page.getByRole('button', { name: "Cut proj1's link to the log" }).click();
  await stepUntil(page, async () => (await behind(page, 'proj1')) === 0);

  // The version slider shows an earlier state: just after red was appended.
  // The pane's key opens its audit trail in Inspect; the oldest change is red's append.
  await page.getByRole('button', { name: 'color: audit trail' }).click();
  const firstColor = page.getByRole('list', { name: 'Audit trail', exact: true }).getByRole('listitem').last();
  await expect(firstColor).toContainText('"red"');
  const redVersion = Number(/\bv(\d+) ·/.exec((await firstColor.textContent()) ?? '')?.[1] ?? NaN);
  expect(redVersion).toBeGreaterThan(0);
  const slider = page.getByRole('slider', { name: 'State as of version' });
  await slider.fill(String(redVersion));
  const asOf = page.getByRole('table', { name: new RegExp(`^State as of version ${redVersion}\\b`) });
  await expect(asOf).toBeVisible();
  await expect(asOf.getByRole('row', { name: /^color/ })).toContainText('"red"');
  await page.getByRole('button', { name: 'Latest' }).click();
  await expect(
    page.getByRole('table', { name: /^State as of version/ }).getByRole('row', { name: /^color/ }),
  ).toContainText('"blue"');

  // A share link reproduces the run: the same tick, log, projections and stale read.
  const tick = await currentTick(page);
  const summary = (await page.locator('.es-summary').textContent()) ?? '';
  const stale = (await staleItem.first().textContent()) ?? '';
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByLabel('Share link');
  await expect(field).toHaveValue(/#s=z:/);
  const link = await field.inputValue();
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await open(other, link);
    await expect(tickText(other)).toContainText(`tick ${tick} /`);
    await expect(other.getByRole('heading', { name: 'Event log' })).toBeVisible();
    await expect(other.locator('.es-summary')).toHaveText(summary);
    await expect(other.getByRole('listitem').filter({ hasText: stale })).toHaveCount(1);
    expect(await behind(other, 'proj1')).toBe(0);
  } finally {
    await fresh.close();
  }
});

test('an append with a stale expected version is rejected and the agent sees why; a projection can be added', async ({
  page,
}) => {
  await openEventSourcing(page);
  await page.getByLabel('Agent', { exact: true }).selectOption('agent2');
  await page.getByLabel('Event type', { exact: true }).selectOption('counter_incremented');
  await page.getByLabel('Event key').fill('hits');
  await page.getByLabel('Event value').fill('2');
  await page.getByLabel('Expected version (optional)').fill('0');
  // Let the other agents append first, so version 0 is stale when the append arrives.
  await stepUntil(page, async () =>
    /Log at version [1-9]/.test((await page.locator('.es-summary').textContent()) ?? ''),
  );
  await page.getByRole('button', { name: 'Append event' }).click();
  await stepUntil(
    page,
    async () => (await page.getByText(/expected version 0, but the log is at \d+/).count()) > 0,
    40,
  );

  await page.getByRole('button', { name: 'Add a projection' }).click();
  await expect(projectionRow(page, 'proj3')).toBeVisible();
  await stepUntil(page, async () => (await behind(page, 'proj3')) === 0);
});

test('the event log diagram and controls have no axe violations, light and dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openEventSourcing(page);
  await stepUntil(page, async () =>
    /Log at version [1-9]/.test((await page.locator('.es-summary').textContent()) ?? ''),
  );
  await page.getByRole('button', { name: "Cut proj1's link to the log" }).click();
  await page.getByLabel('Event type', { exact: true }).selectOption('update_position');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await scan(page, `event sourcing, ${colorScheme}`, ['.es-diagram', '.es-controls']);
  }
});

test('a projection cut from the log says how far behind it is and why, on the diagram and in Inspect', async ({
  page,
}) => {
  await openEventSourcing(page);
  await page.getByRole('button', { name: "Cut proj1's link to the log" }).click();
  await stepUntil(page, async () => (await behind(page, 'proj1')) >= 2);
  const node = page
    .getByRole('group', { name: 'Topology diagram' })
    .getByRole('button', { name: /proj1 \(projection\): up, version \d+, / });
  // It once read "caught up": what it last heard of the head, not the log's version.
  await expect(node).toHaveAccessibleName(/proj1 \(projection\): up, version \d+, \d+ behind · link cut/);
  await expect(node).not.toHaveAccessibleName(/caught up/);
  await expect(projectionRow(page, 'proj1')).toHaveAccessibleName(/events behind \(its link to the log is cut\)$/);
  await node.click();
  const selected = page.getByRole('region', { name: 'Selected' });
  await expect(
    selected.getByRole('definition').filter({ hasText: /^\d+ events: its link to the log is cut$/ }),
  ).toBeVisible();
  // The other projection is caught up exactly when its version is the log's.
  const other = page
    .getByRole('group', { name: 'Topology diagram' })
    .getByRole('button', { name: /proj2 \(projection\)/ });
  const lag = await behind(page, 'proj2');
  await expect(other).toHaveAccessibleName(lag === 0 ? /, caught up/ : /\d+ behind · pulling/);
});
