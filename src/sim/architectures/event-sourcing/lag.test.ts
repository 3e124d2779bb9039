import { describe, expect, it } from 'vitest';
import { worldAt } from '../../engine/engine';
import { summarizeServer } from '../../engine/summary';
import type { Action, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/schema';
import { defaultEventSourcingConfig } from './constants';
import { LOG } from './log';
import { projectionLag } from './lag';

const set = (tick: number, value: number): Action => ({
  tick,
  type: 'op',
  agent: 'a1',
  op: 'set',
  args: { key: 'x', value },
});

function scenario(actions: Action[]): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'lag',
    seed: 1,
    duration: 200,
    architecture: { ...defaultEventSourcingConfig(), delivery: 'pull' },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: [{ id: 'a1', workload: { kind: 'idle' }, timeout: 30, retryEvery: 0 }],
    actions,
  };
}

const writes = [0, 10, 20, 30, 40, 50].map((t, i) => set(t, i));

describe("a projection's lag: measured against the log's version, with its reason", () => {
  it('a projection cut from the log before any event is 6 behind, not "caught up"', () => {
    const cut: Action[] = [
      { tick: 0, type: 'cut-link', from: LOG, to: 'proj1' },
      { tick: 0, type: 'cut-link', from: 'proj1', to: LOG },
    ];
    const w = worldAt(scenario([...cut, ...writes]), 100);
    const s = summarizeServer(w, 'proj1')!;
    // It never heard of a head beyond 0: what it knows cannot say it is behind.
    expect(s.version).toBe(0);
    expect(s.detail).toBe('6 behind · link cut');
    expect(s.facts).toContainEqual(['Behind the log', '6 events: its link to the log is cut']);
    expect(s.facts).toContainEqual(['Log version', '6']);
    expect(summarizeServer(w, 'proj2')!.detail).toBe('caught up');
  });

  it('a projection between pulls is behind because it is pulling; a crashed one says so', () => {
    const s = scenario(writes);
    const afterAppend = [...Array(60).keys()]
      .map((t) => worldAt(s, t))
      .find(
        (w) =>
          (w.servers['proj2']!.state as { version: number }).version <
          (w.servers[LOG]!.state as { events: unknown[] }).events.length,
      );
    expect(afterAppend).toBeDefined();
    const sum = summarizeServer(afterAppend!, 'proj2')!;
    expect(sum.detail).toMatch(/^\d behind · pulling$/);

    const crashed = worldAt(scenario([writes[0]!, { tick: 5, type: 'crash', node: 'proj1' }, ...writes.slice(1)]), 100);
    expect(summarizeServer(crashed, 'proj1')!.detail).toMatch(/^\d behind · crashed$/);
  });

  it('"caught up" exactly when the version equals the log\'s', () => {
    const base = { crashed: false, logCrashed: false, cut: false, delivery: 'pull' as const };
    expect(projectionLag({ ...base, behind: 0, cut: true }).short).toBe('caught up');
    expect(projectionLag({ ...base, behind: 1 }).long).toBe('1 event: it is pulling them from the log');
    expect(projectionLag({ ...base, behind: 2, logCrashed: true }).short).toBe('2 behind · log down');
    expect(projectionLag({ ...base, behind: 2, delivery: 'push' }).short).toBe('2 behind · awaiting push');
  });
});
