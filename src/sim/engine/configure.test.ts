import { describe, expect, it, vi } from 'vitest';
import type { Architecture } from '../architectures/types';
import type { Scenario } from '../scenario/schema';
import { FORMAT_VERSION } from '../scenario/limits';

/**
 * The engine's `configure` rule, checked with a toy architecture whose configuration lists its
 * servers (as a shard or replica list does): new servers come into being and start their
 * timers, every server sees the change, and unlisted servers leave with their timers.
 */

interface Toy {
  ticks: number;
  seen: string[];
}

type ToyConfig = { kind: 'centralized'; serviceTime: number; servers?: string[] };
const serversOf = (c: ToyConfig): string[] => c.servers ?? ['s1'];

const toy: Architecture<ToyConfig, Toy> = {
  kind: 'centralized',
  label: 'Toy',
  promise: '',
  operations: [],
  serverIds: serversOf,
  initServer: () => ({ ticks: 0, seen: [] }),
  route: () => 's1',
  onMessage: (state) => ({ state, send: [], timers: [] }),
  onTimer: (state) => {
    state.ticks += 1;
    return { state, send: [], timers: [{ delay: 10, payload: 'tick' }] };
  },
  onCrash: (state) => state,
  onRecover: (state) => ({ state, send: [], timers: [] }),
  onConfigure: (state, _from, to, ctx) => {
    state.seen.push(`${ctx.now}:${serversOf(to).join('+')}`);
    return { state, send: [], timers: [] };
  },
  onStart: (state) => ({ state, send: [], timers: [{ delay: 1, payload: 'tick' }] }),
  settle: () => undefined,
  checkArgs: () => null,
};

vi.mock('../architectures/registry', () => ({
  getArchitecture: () => toy,
  architectures: { centralized: toy },
}));

const { worldAt } = await import('./engine');

function scenario(actions: Scenario['actions']): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'configure',
    seed: 1,
    duration: 100,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
    agents: [],
    actions,
  };
}

const withServers = (servers: string[]) =>
  ({ kind: 'centralized', serviceTime: 1, servers }) as unknown as Scenario['architecture'];

describe('configure adds and removes servers', () => {
  it("starts the scenario's servers at tick 0 through onStart", () => {
    const w = worldAt(scenario([]), 25);
    // onStart's timer fires at 0, then every 10 ticks: 0, 10, 20.
    expect((w.servers['s1']!.state as Toy).ticks).toBe(3);
  });

  it('creates newly listed servers, runs every onConfigure, and removes unlisted ones with their timers', () => {
    const s = scenario([
      { tick: 30, type: 'configure', config: withServers(['s1', 's2']) },
      { tick: 60, type: 'configure', config: withServers(['s2']) },
    ]);
    const mid = worldAt(s, 45);
    expect(Object.keys(mid.servers).sort()).toEqual(['s1', 's2']);
    const s2 = mid.servers['s2']!.state as Toy;
    // s2 started at 30 (timer at 31, then 41) and saw its own creation's configure.
    expect(s2.ticks).toBe(2);
    expect(s2.seen).toEqual(['30:s1+s2']);
    expect((mid.servers['s1']!.state as Toy).seen).toEqual(['30:s1+s2']);

    const end = worldAt(s, 100);
    expect(Object.keys(end.servers)).toEqual(['s2']);
    expect(end.timers.every((t) => t.node === 's2')).toBe(true);
    expect((end.servers['s2']!.state as Toy).seen).toEqual(['30:s1+s2', '60:s2']);
  });
});
