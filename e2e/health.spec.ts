import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { open, pause, scan } from './helpers';

/**
 * Health checks as a user meets them: crash a replica, watch its watchers suspect it and
 * then mark it down, with how long they took; an agent whose fallback is its cache gets a
 * read labelled stale, with the staleness in ticks.
 */

async function openHealth(page: Page): Promise<void> {
  await open(page);
  await page.getByLabel('Scenario', { exact: true }).selectOption('health');
  await pause(page);
  await expect(page.getByText('Health checks (on: timeout)')).toBeVisible();
}

async function seek(page: Page, tick: number): Promise<void> {
  await page.getByRole('slider', { name: 'Tick' }).fill(String(tick));
  await expect(page.locator('.tick-readout')).toContainText(`tick ${tick}`);
}

function server(page: Page, id: string) {
  return page
    .getByRole('group', { name: 'Topology diagram' })
    .getByRole('button', { name: new RegExp(`\\. ${id} \\(replica\\)`) });
}

test('a cache fallback labels a stale read; a crashed replica is suspected, then marked down, with how long it took', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // One page for both (a fresh app costs seconds on a loaded machine); the fallback first,
  // since acting in the past drops the scenario's later actions.
  await openHealth(page);
  await seek(page, 250);
  const agent3 = page.getByRole('group', { name: 'Topology diagram' }).getByRole('button', { name: /^agent3/ });
  await agent3.focus();
  await agent3.press('Enter');
  const detector = page.getByRole('region', { name: 'Failure detector of agent3' });
  await expect(detector).toContainText('serve reads from its cache (stale)');
  await expect(detector.getByRole('table')).toContainText('✗ down');
  await expect(page.getByRole('list', { name: 'Operation log' })).toContainText(
    /fallback cache: r1 suspected, served from agent3's cache, stale by \d+ ticks/,
  );

  // Choosing a fallback is an action at the cursor, shown in the agent's details.
  await page.getByRole('combobox', { name: 'Agent', exact: true }).selectOption('agent3');
  await page.getByRole('combobox', { name: 'Fallback of agent3' }).selectOption('fail-fast');
  await expect(detector).toContainText('Fallback: fail fast');

  // Back to tick 100, before r1's crash: crash r2 by hand (acting drops what came after).
  await seek(page, 100);
  await expect(server(page, 'r2')).toHaveAccessibleName(/health: healthy \(\d+ watching\)/);
  await page.getByRole('combobox', { name: 'Server' }).selectOption('r2');
  await page.getByRole('button', { name: 'Crash r2' }).click();
  await expect(server(page, 'r2')).toHaveAccessibleName(/crashed.*health: healthy/);

  await seek(page, 117);
  await expect(server(page, 'r2')).toHaveAccessibleName(/health: suspected by \d of \d, noticed after \d+ ticks/);
  await seek(page, 150);
  await expect(server(page, 'r2')).toHaveAccessibleName(/health: down for \d of \d, noticed after \d+ ticks/);

  const node = server(page, 'r2');
  await node.focus();
  await node.press('Enter');
  const details = page.getByRole('region', { name: 'Health of r2' });
  await expect(details.getByRole('table', { name: 'How each watcher sees r2' })).toContainText('✗ down');
  await expect(details.getByRole('list', { name: "Detection of r2's crash at tick 100" })).toContainText(
    /agent4: suspected after \d+ ticks, down after \d+ ticks/,
  );
  // One scan (axe costs many seconds here): the health controls, the badges and the
  // detector table it shares with an agent's Inspect.
  await scan(page, 'a crashed replica inspected');
});

test('the timeline bar marks when the crashed replica was suspected, and the false suspicion', async ({ page }) => {
  await openHealth(page);
  await expect(page.getByRole('slider', { name: 'Tick' })).toHaveAccessibleDescription(
    /5 suspicions of a crashed node\s+1 false suspicion \(the node was up\)$/,
  );
  await expect(page.locator('.marks .mark-suspicions')).toHaveCount(1);
  await expect(page.locator('.marks .mark-falseSuspicions')).toHaveCount(1);
  // From the start, Next goes to the first watcher's suspicion of r1, crashed at 150.
  await page.getByRole('button', { name: 'Next suspicion of a crashed node' }).click();
  await expect(
    page.getByRole('group', { name: 'Topology diagram' }).getByRole('button', { name: /\. r1 \(replica\)/ }),
  ).toHaveAccessibleName(/crashed.*health: suspected by [1-9] of \d/);
});
