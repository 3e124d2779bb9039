import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { blankAndShow, presenterAndAudience, scan, stepHeading } from './helpers';

/**
 * "CAP in one partition": a lesson that is a comparison, so it opens in the Compare view with
 * the narration beside three panels on one clock. As a class uses it: a deep link at a step,
 * a prediction revealed by stepping on (the panels move to the step's tick), presenter and
 * audience windows, the Lessons menu, a phone.
 */

const CAP = '#lesson=cap-one-partition';

const panel = (page: Page, name: string) => page.getByRole('article', { name });

test('a deep link opens the comparison at step 2; the prediction is revealed on the next step, with the panels at its tick', async ({
  page,
}) => {
  await page.goto(`/${CAP}&step=2`);
  await expect(page.getByRole('heading', { name: 'Compare the architectures' })).toBeVisible();
  await expect(stepHeading(page, 'No partition: every system answers, at a price')).toBeVisible();
  await expect(page.getByText('Step 2 of 8')).toBeVisible();
  await expect(page.getByText('tick 45 / 240')).toBeVisible();
  await expect(page.getByText('What the run shows (6 of 6 checked)')).toBeVisible();
  await expect(page.getByText('(checked on Gossip, last writer wins)').first()).toBeVisible();
  await scan(page, 'comparison lesson, light');

  await page.getByRole('radio', { name: 'Only by gossip: the other two time out' }).check();
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(stepHeading(page, "Cut off: who accepts agent4's write?")).toBeVisible();
  const reveal = page.getByRole('status').filter({ hasText: 'Answer:' });
  await expect(reveal).toContainText('Only by gossip: the other two time out');
  await expect(reveal).toContainText('as you predicted');
  // The one clock moved to the step's tick, and every panel shows its world there.
  await expect(page.getByText('tick 85 / 240')).toBeVisible();
  await expect(page.getByText('What the run shows (7 of 7 checked)')).toBeVisible();
  await expect(panel(page, 'Centralized store')).toContainText('ok 3 · fail 0 · unknown 1');
  await expect(panel(page, 'Majority quorums, N=3 R=W=2')).toContainText('unknown 1');
  await expect(panel(page, 'Gossip, last writer wins')).toContainText('ok 4 · fail 0 · unknown 0');
  await expect(page.getByText("The store: agent4's write timed out.")).toBeVisible();

  // Scrubbing away leaves the step; "Back to this step" returns the panels to it.
  await page.getByRole('button', { name: 'Step forward one tick' }).click();
  await page.getByRole('button', { name: 'Back to this step' }).click();
  await expect(page.getByText('tick 85 / 240')).toBeVisible();
  await expect(page.getByText('What the run shows (7 of 7 checked)')).toBeVisible();

  // Embedded on a course page: minimal chrome, named for the lesson, one link to the whole app.
  await page.goto(`/${CAP}&step=4&embed`);
  await page.reload();
  await expect(stepHeading(page, 'Gossip: available, not consistent')).toBeVisible();
  await expect(page.getByText('Lesson: CAP in one partition', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in StateLab' })).toHaveAttribute(
    'href',
    /#lesson=cap-one-partition&step=4$/,
  );
  await expect(page.getByRole('heading', { name: 'Scoreboard (measured)' })).toBeHidden();
});

test("the audience window follows the presenter's remote on the comparison's clock", async ({ context }) => {
  const { presenter, audience } = await presenterAndAudience(
    context,
    `/${CAP}&step=4`,
    'Gossip: available, not consistent',
  );
  await scan(presenter, 'comparison lesson, presenter');

  await presenter.locator('body').press('PageDown');
  await expect(stepHeading(audience, 'Quorums: consistent, not available')).toBeVisible();
  await expect(audience.getByText('tick 145 / 240')).toBeVisible();
  await presenter.locator('body').press('.');
  await expect(stepHeading(audience, 'The heal: gossip converges')).toBeVisible();
  await presenter.locator('body').press('PageUp');
  await expect(stepHeading(presenter, 'Quorums: consistent, not available')).toBeVisible();
  await expect(stepHeading(audience, 'Quorums: consistent, not available')).toBeVisible();
  await blankAndShow(presenter, audience);
});

test('the Lessons menu opens it in the Compare view, and a phone steps through it by tapping', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).tap();
  await page
    .getByRole('dialog', { name: 'Lessons' })
    .getByRole('button', { name: 'Open the lesson “CAP in one partition”' })
    .tap();
  await expect(stepHeading(page, 'One workload, three systems, one clock')).toBeVisible();
  await expect(page.getByText('Step 1 of 8')).toBeVisible();
  await scan(page, 'comparison lesson on a phone');
  await page.getByRole('button', { name: 'Next step' }).tap();
  await expect(stepHeading(page, 'No partition: every system answers, at a price')).toBeVisible();
  await page.getByRole('radio', { name: 'By none of them' }).tap();
  await page.getByRole('button', { name: 'Next step' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'Answer:' })).toContainText(
    'you predicted “By none of them”',
  );
  await page.getByLabel('Go to step').selectOption({ label: '8. What we measured' });
  await expect(stepHeading(page, 'What we measured')).toBeVisible();
  await expect(page.getByText('What the run shows (8 of 8 checked)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();
  // Another lesson from the menu, one of the lab's: the Compare view gives way to the lab.
  await page.getByRole('button', { name: 'Lessons' }).tap();
  await page
    .getByRole('dialog', { name: 'Lessons' })
    .getByRole('button', { name: /Open the lesson “one source of truth/ })
    .tap();
  await expect(stepHeading(page, 'One store, three agents')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Compare the architectures' })).toHaveCount(0);
  await context.close();
});
