import { expect } from '@playwright/test';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** What every app spec does first and often: open the page, pause it, read the tick. */

export async function open(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
}

export async function pause(page: Page): Promise<void> {
  const pauseButton = page.getByRole('button', { name: 'Pause' });
  if (await pauseButton.isVisible()) await pauseButton.click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
}

export function tickText(page: Page): Locator {
  return page.locator('.tick-readout');
}

export async function currentTick(page: Page): Promise<number> {
  const t = (await tickText(page).textContent()) ?? '';
  const m = /tick\s+(\d+)/.exec(t);
  if (!m) throw new Error(`no tick in "${t}"`);
  return Number(m[1]);
}

/**
 * axe's rules that are off for a reason, each reviewed: a rule leaves this list when its
 * reason no longer holds. The experimental rules run with the rest (issue 18: they found the
 * topology's names that did not begin with their visible text).
 */
export const AXE_SUPPRESSIONS: readonly { rule: string; reason: string }[] = [];

/**
 * axe-core on the page (or only on the elements `include` selects): no violation of WCAG 2.2
 * AA, best practice or axe's experimental rules, but for AXE_SUPPRESSIONS.
 */
export async function scan(page: Page, what: string, include: string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const sel of include) builder = builder.include(sel);
  builder = builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental']);
  if (AXE_SUPPRESSIONS.length > 0) builder = builder.disableRules(AXE_SUPPRESSIONS.map((x) => x.rule));
  const result = await builder.analyze();
  const summary = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
        )
        .join('\n  ')}`,
  );
  expect(summary, `${what}:\n${summary.join('\n')}`).toEqual([]);
}

/** A lesson step's title, as the lesson panel shows it. */
export const stepHeading = (page: Page, name: string): Locator => page.getByRole('heading', { name, level: 2 });

/**
 * A lesson's presenter and audience windows, both opened at `link` + `&present` / `&audience`
 * and showing the step `heading`; the audience has no controls of its own.
 */
export async function presenterAndAudience(
  context: BrowserContext,
  link: string,
  heading: string,
): Promise<{ presenter: Page; audience: Page }> {
  const presenter = await context.newPage();
  await presenter.goto(`${link}&present`);
  await expect(stepHeading(presenter, heading)).toBeVisible();
  const audience = await context.newPage();
  await audience.goto(`${link}&audience`);
  await expect(stepHeading(audience, heading)).toBeVisible();
  await expect(audience.getByRole('button', { name: 'Next step' })).toHaveCount(0);
  return { presenter, audience };
}

/** The presenter blanks the audience's screen with "b", then shows it again. */
export async function blankAndShow(presenter: Page, audience: Page): Promise<void> {
  await presenter.locator('body').press('b');
  await expect(audience.getByRole('dialog', { name: 'Screen blanked' })).toBeVisible();
  await presenter.getByRole('button', { name: 'Show the screen' }).click();
  await expect(audience.getByRole('dialog', { name: 'Screen blanked' })).toHaveCount(0);
}
