import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { currentTick, open, pause, presenterAndAudience, stepHeading } from './helpers';

/**
 * Space is the lab's play / pause, and a teacher presses it after every act: an act must
 * not leave focus on a button that Space would press again (issue 18, §2). Inside forms,
 * Enter and Space keep their usual meaning.
 */

const playing = (page: Page) => page.getByRole('button', { name: 'Pause' });
const paused = (page: Page) => page.getByRole('button', { name: 'Play' });
const diagramRegion = (page: Page) => page.locator('#main-diagram');
const opLog = (page: Page) => page.getByRole('list', { name: 'Operation log' });

test('Crash store is one toggle; after it, Space plays instead of recovering the store', async ({ page }) => {
  await open(page);
  await pause(page);
  const crash = page.getByRole('region', { name: 'Act' }).getByRole('button', { name: 'Crash store' });
  await expect(crash).toHaveAttribute('aria-pressed', 'false');
  await crash.click();
  const tick = await currentTick(page);
  await expect(crash).toHaveAttribute('aria-pressed', 'true');
  // The same button, pressed: no "Recover store" appears under the pointer.
  await expect(page.getByRole('button', { name: 'Recover store' })).toHaveCount(0);
  // Focus went where Space plays, and the live region said what happened.
  await expect(diagramRegion(page)).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: `Crashed store at tick ${tick}.` })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(playing(page)).toBeVisible();
  await page.keyboard.press('Space');
  await expect(paused(page)).toBeVisible();
  await expect(crash).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: /^store v\d+ crashed\. store: crashed/ })).toBeVisible();
  // Pressing the toggle again recovers.
  await crash.click();
  await expect(crash).toHaveAttribute('aria-pressed', 'false');
});

test('after Write, Space plays rather than writing again; in a field Enter writes and Space types', async ({
  page,
}) => {
  await open(page);
  await pause(page);
  // At tick 0 agent1 has no request of its own in flight, so the Write goes out at once
  // (where the pause lands depends on the machine's speed).
  await page.getByRole('slider', { name: 'Tick' }).fill('0');
  await expect(page.locator('.tick-readout')).toContainText('tick 0 /');
  await page.getByLabel('Key', { exact: true }).fill('once');
  await page.getByLabel('Value', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Write', exact: true }).click();
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'set once = 1' })).toHaveCount(1);
  await expect(diagramRegion(page)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(playing(page)).toBeVisible();
  await page.keyboard.press('Space');
  await expect(paused(page)).toBeVisible();
  await expect(opLog(page).getByRole('listitem').filter({ hasText: 'set once = 1' })).toHaveCount(1);

  // In the form: Space is a character and Enter submits; focus stays in the field.
  const value = page.getByLabel('Value', { exact: true });
  await value.fill('');
  await value.press('a');
  await value.press('Space');
  await value.press('b');
  await expect(value).toHaveValue('a b');
  await expect(paused(page)).toBeVisible();
  await value.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'agent1: set once = "a b" at tick' })).toBeVisible();
  await expect(value).toBeFocused();
});

test('Space plays and pauses on the timeline slider; Undo leaves focus where Space plays', async ({ page }) => {
  await open(page);
  await pause(page);
  const slider = page.getByRole('slider', { name: 'Tick' });
  await slider.focus();
  await page.keyboard.press('Space');
  await expect(playing(page)).toBeVisible();
  await page.keyboard.press('Space');
  await expect(paused(page)).toBeVisible();

  await page.getByRole('button', { name: "Cut agent1's link" }).click();
  await page.getByRole('button', { name: 'Undo', exact: true }).first().click();
  await expect(page.getByRole('status').filter({ hasText: "Undid: Cut agent1's link." })).toBeVisible();
  await expect(diagramRegion(page)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(playing(page)).toBeVisible();
});

test('in presenter mode Space on the timeline slider is "next", as the remote sends it', async ({ context }) => {
  const { presenter, audience } = await presenterAndAudience(
    context,
    '/#lesson=single-source-of-truth&step=2',
    'Everyone agrees',
  );
  await presenter.getByRole('slider', { name: 'Tick' }).focus();
  await presenter.keyboard.press('Space');
  await expect(stepHeading(audience, 'Cut one agent off')).toBeVisible();
});

test('→ and ← go to the next and previous busy tick; with Ctrl, one tick at a time', async ({ page }) => {
  await open(page);
  await pause(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const t0 = await currentTick(page);
  await page.keyboard.press('Control+ArrowRight');
  await expect.poll(() => currentTick(page)).toBe(t0 + 1);
  await page.keyboard.press('Control+ArrowRight');
  await expect.poll(() => currentTick(page)).toBe(t0 + 2);
  await page.keyboard.press('Control+ArrowLeft');
  await expect.poll(() => currentTick(page)).toBe(t0 + 1);
  const stops: number[] = [t0 + 1];
  for (let i = 0; i < 4; i++) {
    const before = stops.at(-1)!;
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => currentTick(page)).toBeGreaterThan(before);
    stops.push(await currentTick(page));
  }
  for (let i = stops.length - 2; i >= 1; i--) {
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentTick(page)).toBe(stops[i]);
  }
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('cell', { name: 'Ctrl + → / ←', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
});
