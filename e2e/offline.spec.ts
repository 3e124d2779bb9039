import { test, expect } from '@playwright/test';
import { serveDist } from './static-server';
import type { StaticSite } from './static-server';
import { encodeEnvelope, makeEnvelope } from '../src/sim/scenario/codec';
import { faultsScenario } from '../src/sim/scenario/builtins';

/**
 * The published site: dist/ served from a sub-path (as GitHub Pages serves /<repo>/) works,
 * and after one visit it works again offline, from the service worker's cache.
 */

let site: StaticSite;

test.beforeAll(async () => {
  site = await serveDist('/statelab/');
});

test.afterAll(async () => {
  await site.close();
});

test('the built site works from a sub-path', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(site.url);
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  expect(failed).toEqual([]);
});

test('after one visit it works offline', async ({ page, context }) => {
  await page.goto(site.url);
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  // The service worker has installed (precached every file) and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((ok) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true }),
      );
    }
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Topology diagram' })).toBeVisible();
  // The engine still runs: the tick advances (the worker's script came from the cache too).
  const tick = page.locator('.tick-readout');
  const read = async (): Promise<number> => Number(/tick\s+(\d+)/.exec((await tick.textContent()) ?? '')?.[1] ?? -1);
  const t0 = await read();
  // (A reload restores the autosaved work paused at its tick; play it.)
  const play = page.getByRole('button', { name: 'Play' });
  if (await play.isVisible()) await play.click();
  await expect.poll(read).toBeGreaterThan(t0);
  // A share link opened offline, under the sub-path, loads from the cache and replays.
  await page.goto(`${site.url}index.html#s=${encodeEnvelope(makeEnvelope(faultsScenario(), 240))}`);
  await expect(page.getByRole('heading', { name: 'Inspect' })).toBeVisible();
  await expect(tick).toContainText('tick 240 / 800');
  await context.setOffline(false);
});
