import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { scan } from './helpers';

/**
 * axe-core finds no violations in light, dark and reduced-motion modes, at desktop and
 * phone sizes, with the help dialog open, and with an agent, a key and the store inspected.
 */

const MODES = [
  { name: 'light', colorScheme: 'light', reducedMotion: 'no-preference' },
  { name: 'dark', colorScheme: 'dark', reducedMotion: 'no-preference' },
  { name: 'reduced motion', colorScheme: 'light', reducedMotion: 'reduce' },
] as const;

const SIZES = [
  { name: 'desktop', width: 1280, height: 720 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function settle(page: Page): Promise<void> {
  // A still picture: axe checks what is on screen, and nothing should move under it.
  const pause = page.getByRole('button', { name: 'Pause' });
  if (await pause.isVisible()) await pause.click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
}

for (const mode of MODES) {
  for (const size of SIZES) {
    test(`no axe violations: ${mode.name}, ${size.name}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: mode.colorScheme, reducedMotion: mode.reducedMotion });
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto('/');
      const phone = size.width < 700;
      if (phone) await page.getByRole('tab', { name: 'Timeline' }).click();
      await settle(page);
      // A fixed tick, not wherever autoplay stopped: at the end every agent has operations.
      await page.getByRole('slider', { name: 'Tick' }).focus();
      await page.keyboard.press('End');
      await expect(page.locator('.tick-readout')).toContainText('tick 600 / 600');
      await scan(page, 'first screen');

      if (phone) await page.getByRole('tab', { name: 'Inspect' }).click();
      await page.getByRole('table', { name: 'Agents' }).getByRole('button', { name: 'agent1' }).click();
      await expect(page.getByRole('list', { name: 'Operation log' })).toBeVisible();
      await scan(page, 'agent inspected');

      await page.getByRole('button', { name: /^store v\d+ / }).click();
      await scan(page, 'store inspected');

      if (phone) await page.getByRole('tab', { name: 'Act' }).click();
      await page.getByRole('button', { name: 'Crash store' }).first().click();
      await page.getByRole('button', { name: "Cut agent1's link" }).click();
      await scan(page, 'crash and cut');

      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await scan(page, 'help open');
      await page.keyboard.press('Escape');
    });
  }
}

test('no axe violations with the dark toggle and the crowd', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Scenario', { exact: true }).selectOption('crowd');
  await settle(page);
  await page.getByRole('slider', { name: 'Tick' }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.getByText('Diagram as text').click();
  await scan(page, 'crowd, dark');
});
