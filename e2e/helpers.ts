import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

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
