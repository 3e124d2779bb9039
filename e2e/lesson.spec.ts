import { test, expect } from '@playwright/test';
import { blankAndShow, presenterAndAudience, scan, stepHeading } from './helpers';
import { qrFor } from '../src/ui/QrDialog';
import { serveDist } from './static-server';

/** Lessons as a class uses them: deep links, predictions, presenter and audience, embed, phone. */

const LESSON = '#lesson=single-source-of-truth';

test('a deep link opens the lesson at step 4, with its claims checked against the run', async ({ page }) => {
  await page.goto(`/${LESSON}&step=4`);
  await expect(stepHeading(page, 'agent3 times out, the others carry on')).toBeVisible();
  await expect(page.getByText('Step 4 of 7')).toBeVisible();
  await expect(page.locator('.tick-readout')).toContainText('tick 175 / 400');
  await expect(page.getByText('What the run shows (3 of 3 checked)')).toBeVisible();
  await expect(page.getByText("agent3's latest operation timed out.")).toBeVisible();
  await scan(page, 'lesson view');
});

test('a prediction is revealed by stepping on', async ({ page }) => {
  await page.goto(`/${LESSON}&step=3`);
  await expect(stepHeading(page, 'Cut one agent off')).toBeVisible();
  await page.getByLabel('Speed').selectOption('100');
  await page.getByRole('radio', { name: /It times out/ }).check();
  await page.getByRole('button', { name: 'Next step' }).click();
  // The class watches the run play to the next step, then the answer shows.
  await expect(stepHeading(page, 'agent3 times out, the others carry on')).toBeVisible();
  const reveal = page.getByRole('status').filter({ hasText: 'Answer:' });
  await expect(reveal).toContainText('It times out: agent3 cannot tell whether it happened');
  await expect(reveal).toContainText('as you predicted');
  await expect(page.locator('.tick-readout')).toContainText('tick 175 / 400', { timeout: 20_000 });
  await expect(page.getByText('What the run shows (3 of 3 checked)')).toBeVisible();
});

test("the audience window follows the presenter's remote, and the screen blanks", async ({ context }) => {
  const { presenter, audience } = await presenterAndAudience(context, `/${LESSON}&step=2`, 'Everyone agrees');
  await scan(presenter, 'presenter view');
  await scan(audience, 'audience view');

  await presenter.locator('body').press('PageDown');
  await expect(stepHeading(presenter, 'Cut one agent off')).toBeVisible();
  await expect(stepHeading(audience, 'Cut one agent off')).toBeVisible();
  // Space advances in presenter mode (it plays and pauses in the sandbox).
  await presenter.locator('body').press('Space');
  await expect(stepHeading(audience, 'agent3 times out, the others carry on')).toBeVisible();
  await presenter.locator('body').press('PageUp');
  await expect(stepHeading(audience, 'Cut one agent off')).toBeVisible();
  await blankAndShow(presenter, audience);
});

test('the embed page plays a lesson with minimal chrome, and a share link too', async ({ page }) => {
  await page.goto(`/${LESSON}&step=2&embed`);
  await expect(stepHeading(page, 'Everyone agrees')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in StateLab' })).toHaveAttribute(
    'href',
    /#lesson=single-source-of-truth&step=2$/,
  );
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  await scan(page, 'embed view');

  // Embedded on a phone, the lesson is one tab, as in the app.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('tablist', { name: 'Panels' }).getByRole('tab', { name: 'Lesson' }).click();
  await expect(stepHeading(page, 'Everyone agrees')).toBeInViewport();
  await page.setViewportSize({ width: 1280, height: 720 });

  // The iframe snippet the app offers for a course page, embedded.
  const app = await page.context().newPage();
  await app.goto('/');
  await app.getByRole('button', { name: 'Embed' }).click();
  const dialog = app.getByRole('dialog', { name: 'Embed on a course page' });
  const code = await dialog.getByLabel('Embed code').inputValue();
  const src = /^<iframe src="([^"]+)" title="StateLab: ([^"]+)"/.exec(code);
  expect(src, code).not.toBeNull();
  expect(src![1]).toMatch(/#s=z:.*&amp;embed$/);
  await scan(app, 'embed dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.goto(src![1]!.replace(/&amp;/g, '&'));
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in StateLab' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a phone completes a lesson by tapping, and a step’s QR code opens that step', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`/${LESSON}&step=1`);
  await expect(page.getByRole('tab', { name: 'Lesson' })).toHaveAttribute('aria-selected', 'true');
  await scan(page, 'lesson on a phone');
  // Faster than a class would watch it: the speed is in the Timeline tab.
  await page.getByRole('tab', { name: 'Timeline' }).tap();
  await page.getByLabel('Speed').selectOption('200');
  await page.getByRole('tab', { name: 'Lesson' }).tap();
  const titles = [
    'Everyone agrees',
    'Cut one agent off',
    'agent3 times out, the others carry on',
    'Crash the store',
    'Nobody can work',
    'What we measured',
  ];
  for (const t of titles) {
    await page.getByRole('button', { name: 'Next step' }).tap();
    // A second tap while it plays would skip ahead: wait for the step to arrive.
    await expect(stepHeading(page, t)).toBeVisible();
    await expect(page.getByText(/^Playing to tick/)).toHaveCount(0, { timeout: 30_000 });
  }
  await expect(page.getByText('Step 7 of 7')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();

  await page.getByRole('button', { name: 'QR code of this step' }).tap();
  const dialog = page.getByRole('dialog', { name: 'QR code of this step' });
  const href = await dialog.getByRole('link').getAttribute('href');
  expect(href).toMatch(/#lesson=single-source-of-truth&step=7$/);
  // The code drawn is the code of that link, module for module.
  const qr = qrFor(href!);
  expect(qr.ok).toBe(true);
  await expect(dialog.locator('svg.qr path')).toHaveAttribute('d', qr.ok ? qr.path : '');
  const scanned = await context.newPage();
  await scanned.goto(href!);
  await expect(stepHeading(scanned, 'What we measured')).toBeVisible();
  await context.close();
});

test('lessons open from the menu and from a link on a site served from a sub-path', async ({ page }) => {
  const site = await serveDist('/statelab/');
  try {
    await page.goto(`${site.url}${LESSON}&step=5`);
    await expect(stepHeading(page, 'Crash the store')).toBeVisible();
    await page.getByRole('button', { name: 'Lessons' }).click();
    const menu = page.getByRole('dialog', { name: 'Lessons' });
    await expect(menu.getByRole('button', { name: /Open the lesson “one source of truth/ })).toBeVisible();
    await menu.getByRole('button', { name: /Open the lesson “one source of truth/ }).click();
    await expect(stepHeading(page, 'One store, three agents')).toBeVisible();
  } finally {
    await site.close();
  }
});

test('a broken lesson link says so in the page', async ({ page }) => {
  await page.goto('/#lesson=no-such-lesson&step=2');
  await expect(
    page.getByText(/This lesson link could not be opened. There is no lesson called “no-such-lesson”/),
  ).toBeVisible();
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
});
