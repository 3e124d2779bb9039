import { test, expect } from '@playwright/test';
import { encodeEnvelope, makeEnvelope } from '../src/sim/scenario/codec';
import { defaultScenario, gossipScenario } from '../src/sim/scenario/builtins';
import type { Scenario } from '../src/sim/scenario/schema';
import { tickText } from './helpers';

/**
 * The cost of a link is bounded (issue 19, §2): 200 agents over 24,000 ticks (a link that
 * took 418 s before the store's queue was made linear) replays in seconds, with progress and
 * Cancel from the first replay on; a link past the replay budget stops with a message that
 * names the budget and how far it got, and Continue goes on.
 */

function crowd(duration: number): Scenario {
  const base = defaultScenario();
  const agents = Array.from({ length: 200 }, (_, i) => ({ ...base.agents[0]!, id: `agent${i + 1}` }));
  return { ...base, name: `200 agents over ${duration} ticks`, duration, agents, actions: [] };
}

test('200 agents over 24,000 ticks: progress and Cancel, then the end in seconds', async ({ page }) => {
  test.setTimeout(120_000);
  const link = `/#s=${encodeEnvelope(makeEnvelope(crowd(24_000), 24_000))}`;
  const started = Date.now();
  await page.goto(link);
  await expect(page.getByRole('progressbar', { name: 'Computing tick 24000' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(tickText(page)).toContainText('tick 24000 / 24000', { timeout: 90_000 });
  const seconds = (Date.now() - started) / 1000;
  test.info().annotations.push({ type: 'replay', description: `200 agents × 24,000 ticks: ${seconds.toFixed(1)} s` });
  console.log(`200 agents × 24,000 ticks replayed in Chromium in ${seconds.toFixed(1)} s`);
  // The replay is this engine's and matches the link's hash: no mismatch notice.
  await expect(page.getByRole('heading', { name: 'This replay differs from the link' })).toHaveCount(0);
});

/** Gossip rounds every tick to every peer: 2,000,000 events in about 150,000 ticks of a small world. */
function chatty(): Scenario {
  const g = gossipScenario();
  if (g.architecture.kind !== 'gossip') throw new Error('the gossip scenario changed');
  return {
    ...g,
    name: 'Gossip every tick',
    duration: 200_000,
    architecture: { ...g.architecture, period: 2, fanout: 3 },
    agents: g.agents.map((a) => ({ ...a, workload: { kind: 'idle' as const } })),
    actions: [],
  };
}

test('a link past the replay budget stops with its message, and Continue goes on', async ({ page }) => {
  test.setTimeout(120_000);
  // Its hash is never reached: the replay stops long before the tick it names.
  const e = { ...makeEnvelope(chatty(), 0), tick: 200_000, hash: '0'.repeat(64) };
  await page.goto(`/#s=${encodeEnvelope(e)}`);
  await expect(page.getByRole('progressbar', { name: 'Computing tick 200000' })).toBeVisible();
  const stopped = page.getByRole('status').filter({ hasText: 'The replay stopped at its budget' });
  await expect(stopped).toContainText(
    /budget of 2,000,000 events, at tick [\d,]+ of 200,000 \([\d,]+ events processed\)/,
    {
      timeout: 90_000,
    },
  );
  const at = Number(/at tick ([\d,]+) of/.exec((await stopped.textContent()) ?? '')![1]!.replace(/,/g, ''));
  await expect(tickText(page)).toContainText(`tick ${at} / 200000`);
  // The page works from where it stopped, and Continue computes the next budget's worth.
  await stopped.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('progressbar', { name: 'Computing tick 200000' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(tickText(page)).toContainText(new RegExp(`tick \\d+ / 200000`));
});
