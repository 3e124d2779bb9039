import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { encodeEnvelope, makeEnvelope } from '../src/sim/scenario/codec';
import { faultsScenario } from '../src/sim/scenario/builtins';
import { worldAt } from '../src/sim/engine/engine';
import { checkHistoryText } from '../src/sim/history/check';
import { parseStateLabJson } from '../src/sim/history/formats';
import { SHIVIZ_REGEX } from '../src/sim/trace/shiviz';
import { tickText, scan } from './helpers';

/**
 * The space-time diagram: open it for the scenario at the cursor, choose an event by role
 * and name (mouse and keyboard), see its causal past listed, export the history (the
 * headless checker reads the file) and the ShiViz log; axe finds nothing, light and dark.
 */

async function openAt300(page: Page): Promise<void> {
  await page.goto(`/#s=${encodeEnvelope(makeEnvelope(faultsScenario(), 300))}`);
  await expect(tickText(page)).toContainText('tick 300 / 800');
  await page.getByRole('button', { name: 'Space-time' }).click();
  await expect(page.getByRole('button', { name: 'Space-time' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('group', { name: /^Space-time diagram, ticks 241 to 300/ })).toBeVisible();
}

test('choose an event and see its causal past; the keyboard reaches every event', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openAt300(page);
  const diagram = page.getByRole('group', { name: /^Space-time diagram/ });
  // The store crashed at tick 250: a fault on its lane.
  await expect(diagram.getByRole('button', { name: 'store, tick 250, fault: crashed' })).toBeVisible();
  const reply = diagram.getByRole('button', { name: /^agent1, tick 242, receive: reply #253 ok from store$/ });
  // Events of one tick sit a few px apart: a real mouse click at each lands on that event.
  await reply.click();
  await expect(reply).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Chosen: agent1, tick 242, receive' })).toContainText(
    'Vector clock: store 1, agent1 3.',
  );
  const past = page.getByRole('region', { name: 'Happened before it (causal past)' });
  await expect(past.getByRole('button', { name: 'store, tick 238, send: reply #253 ok' })).toBeVisible();
  await expect(past.getByRole('button', { name: /^agent1, tick 233, invoke: #253 get a$/ })).toBeVisible();
  const concurrent = page.getByRole('region', { name: 'Concurrent with it' });
  await expect(concurrent.getByRole('button', { name: /^agent2, tick 247, invoke/ })).toBeVisible();
  await expect(past.getByRole('listitem')).toHaveCount(3);
  // The store crashed after the reply left it, and agent1 had not heard of it: concurrent.
  await expect(concurrent.getByRole('button', { name: 'store, tick 250, fault: crashed' })).toBeVisible();
  await expect(past.getByRole('button', { name: /fault: crashed/ })).toHaveCount(0);

  // Choosing from the list moves the choice; Enter and the arrow keys work in the diagram.
  await concurrent.getByRole('button', { name: /^agent2, tick 247, invoke/ }).click();
  const chosen = diagram.getByRole('button', { name: /^agent2, tick 247, invoke/ });
  await expect(chosen).toHaveAttribute('aria-pressed', 'true');
  await chosen.focus();
  await page.keyboard.press('ArrowRight');
  // It reached the store while it was down: its send says so.
  await expect(
    diagram.getByRole('button', {
      name: /^agent2, tick 247, send: request #270 get b \(dropped at tick 251 \(receiver down\)\)$/,
    }),
  ).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(diagram.getByRole('button', { name: /^agent2, tick 247, send/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // The arrow keys stayed in the diagram: the cursor did not step.
  await expect(tickText(page)).toContainText('tick 300 / 800');
  await page.keyboard.press('Escape');
  await expect(diagram.getByRole('button', { pressed: true })).toHaveCount(0);
  // agent2's invoke and send of tick 247 share one slot; the mouse tells them apart.
  for (const name of [/^agent2, tick 247, send/, /^agent2, tick 247, invoke/]) {
    await diagram.getByRole('button', { name }).click();
    await expect(diagram.getByRole('button', { name })).toHaveAttribute('aria-pressed', 'true');
  }

  // A wider window.
  await page.getByLabel('Ticks shown').selectOption('120');
  await expect(page.getByRole('group', { name: /^Space-time diagram, ticks 181 to 300/ })).toBeVisible();
});

test('export the history (the checker reads it) and the ShiViz log', async ({ page }) => {
  await openAt300(page);
  let downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export history (JSON)' }).click();
  let download = await downloading;
  expect(download.suggestedFilename()).toBe('statelab-store-under-faults-t300-history.json');
  const text = readFileSync((await download.path())!, 'utf8');
  const ops = parseStateLabJson(text).ops;
  expect(ops).toEqual(JSON.parse(JSON.stringify(worldAt(faultsScenario(), 300).history)));
  const report = checkHistoryText(text);
  expect(report.ops).toBeGreaterThan(0);
  expect(report.linearizable).toBe(true);

  downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export ShiViz log' }).click();
  download = await downloading;
  expect(download.suggestedFilename()).toBe('statelab-store-under-faults-t300-shiviz.log');
  const log = readFileSync((await download.path())!, 'utf8');
  expect(log.split('\n')[0]).toBe(SHIVIZ_REGEX);
  expect([...log.matchAll(new RegExp(SHIVIZ_REGEX, 'g'))].length).toBeGreaterThan(100);
  await expect(page.getByRole('status').filter({ hasText: /Exported ticks 0 to 300/ })).toBeVisible();
});

test('no axe violations in the space-time view: light, dark, phone', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });
  await openAt300(page);
  await page.getByRole('button', { name: /^agent1, tick 242, receive/ }).dispatchEvent('click');
  await expect(page.getByRole('region', { name: 'Concurrent with it' })).toBeVisible();
  await scan(page, 'space-time, light', ['.st-view']);
  await page.emulateMedia({ colorScheme: 'dark' });
  await scan(page, 'space-time, dark', ['.st-view']);
  // On a phone it takes the whole diagram region (the topology is one toggle away).
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('group', { name: /^Space-time diagram/ })).toBeVisible();
  expect((await page.locator('.st-box').boundingBox())!.width).toBeGreaterThan(300);
  await scan(page, 'space-time, phone, dark', ['.st-view']);
});
