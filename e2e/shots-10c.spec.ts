import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';

const OUT = '/tmp/shots-10c';

async function toTick(page: Page, t: number) {
  const pause = page.getByRole('button', { name: 'Pause' });
  if (await pause.isVisible()) await pause.click();
  const slider = page.getByRole('slider', { name: 'Tick' });
  await slider.focus();
  await slider.fill(String(t));
}

for (const scheme of ['light', 'dark'] as const) {
  test(`centralized desktop ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await toTick(page, 400);
    await page.getByRole('table', { name: 'State' }).getByRole('button').first().click();
    await expect(page.getByRole('list', { name: 'Audit trail', exact: true })).toBeVisible();
    await page.getByRole('button', { name: /^Roll back to this version/ }).nth(1).click();
    await page.getByRole('slider', { name: 'Tick' }).focus();
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/central-1280-${scheme}.png` });
    await page.getByRole('list', { name: 'Audit trail', exact: true }).screenshot({ path: `${OUT}/central-trail-${scheme}.png` });
  });
  test(`centralized phone ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await toTick(page, 400);
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await page.getByRole('table', { name: 'State' }).getByRole('button').first().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/central-phone-${scheme}.png`, fullPage: false });
    await page.getByRole('tab', { name: 'Act' }).click();
    await page.getByText('Roll back the store').click();
    await page.getByLabel('Back to tick').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/act-phone-${scheme}.png` });
  });
}

for (const arch of ['Event sourcing', 'Partitioned', 'Gossip (CRDTs)'] as const) {
  test(`${arch} desktop`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: arch }).click();
    await page.waitForTimeout(500);
    await toTick(page, 300);
    await page.waitForTimeout(300);
    const list = page.locator('.key-list');
    await list.getByRole('button').first().click();
    await expect(page.getByRole('list', { name: 'Audit trail', exact: true })).toBeVisible();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/${arch.split(' ')[0]!.toLowerCase()}-1280.png` });
  });
}
