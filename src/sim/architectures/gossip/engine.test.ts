import { describe, expect, it } from 'vitest';
import { worldAt } from '../../engine/engine';
import { hashValue } from '../../core/hash';
import type { Action, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION, ScenarioSchema } from '../../scenario/schema';
import type { GossipConfig } from './config';
import { observable, nextRoundTick, type GossipState } from './gossip';

/** The architecture inside the engine: routing, rounds, faults, membership changes. */

function scenario(actions: Action[], over: Partial<GossipConfig> = {}, duration = 120): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'gossip engine',
    seed: 3,
    duration,
    architecture: {
      kind: 'gossip',
      replicas: ['r1', 'r2', 'r3'],
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
      ...over,
    },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: ['agent1', 'agent2', 'agent3'].map((id) => ({
      id,
      workload: { kind: 'idle' as const },
      timeout: 10,
      retryEvery: 0,
    })),
    actions,
  };
}

const st = (w: ReturnType<typeof worldAt>, id: string) => w.servers[id]!.state as GossipState;

describe('gossip in the engine', () => {
  it('is a valid scenario and plain JSON (hashable, clonable)', () => {
    const s = scenario([{ tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: '__proto__', value: 1 } }]);
    expect(ScenarioSchema.safeParse(s).success).toBe(true);
    const w = worldAt(s, 60);
    expect(hashValue(structuredClone(w))).toBe(hashValue(w));
    expect(Object.hasOwn(st(w, 'r3').doc.lww, '__proto__')).toBe(true);
  });

  it('the config refuses a fanout as large as the cluster and duplicate replicas', () => {
    const bad = scenario([], { fanout: 3 });
    expect(ScenarioSchema.safeParse(bad).success).toBe(false);
    expect(ScenarioSchema.safeParse(scenario([], { replicas: ['r1', 'r1'] })).success).toBe(false);
  });

  it('agents write at their own replica; a read of another replica says it may be stale', () => {
    const s = scenario([
      { tick: 0, type: 'partition', groups: [['r1'], ['r2', 'r3']] },
      { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'v' } },
      { tick: 10, type: 'op', agent: 'agent1', op: 'get', args: { key: 'k', replica: 'r2' } },
      { tick: 10, type: 'op', agent: 'agent2', op: 'get', args: { key: 'k' } },
    ]);
    const w = worldAt(s, 30);
    const [set, far, local] = w.history;
    expect(set!.outcome).toBe('ok');
    expect(far!.result).toMatchObject({ value: null, replica: 'r2', local: false });
    expect(String((far!.result as { note: string }).note)).toMatch(/stale/);
    expect(local!.result).toMatchObject({ value: null, replica: 'r2', local: true });
  });

  it('rounds are every period ticks at the same tick everywhere; messages and bytes are counted', () => {
    const w = worldAt(
      scenario([{ tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'v' } }]),
      41,
    );
    for (const id of ['r1', 'r2', 'r3']) {
      const s = st(w, id);
      expect(s.round).toBe(10);
      expect(s.rounds.at(-1)!.bytes).toBeGreaterThan(0);
    }
    expect(nextRoundTick(w.arch as GossipConfig, 'r1', 41)).toBe(44);
    expect(nextRoundTick(w.arch as GossipConfig, 'r1', 40)).toBe(44);
    expect(nextRoundTick(w.arch as GossipConfig, 'r1', -1)).toBe(4);
  });

  it('a crashed replica misses rounds (gossip to it is lost) and catches up after recovering', () => {
    const s = scenario([
      { tick: 0, type: 'crash', node: 'r3' },
      { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'v' } },
      { tick: 60, type: 'recover', node: 'r3' },
    ]);
    const mid = worldAt(s, 59);
    expect(st(mid, 'r3').doc.lww).toEqual({});
    expect(mid.metrics.droppedCrashed).toBeGreaterThan(0);
    const end = worldAt(s, 120);
    const cfg = end.arch as GossipConfig;
    expect(observable(st(end, 'r3'), cfg)).toBe(observable(st(end, 'r1'), cfg));
    expect(st(end, 'r3').round).toBeGreaterThan(20);
  });

  it('a replica added by configure starts empty under a new name and resyncs; a removed one is gone', () => {
    const base = scenario([]).architecture as GossipConfig;
    const s = scenario([
      { tick: 1, type: 'op', agent: 'agent2', op: 'set', args: { key: 'k', value: 'old' } },
      { tick: 2, type: 'op', agent: 'agent2', op: 'delete', args: { key: 'k' } },
      { tick: 30, type: 'configure', config: { ...base, replicas: ['r1', 'r3'] } },
      { tick: 50, type: 'configure', config: { ...base, replicas: ['r1', 'r2', 'r3'] } },
      { tick: 51, type: 'op', agent: 'agent2', op: 'get', args: { key: 'k' } },
    ]);
    const w = worldAt(s, 120);
    expect(st(w, 'r2').origin).toBe('r2~50');
    const cfg = w.arch as GossipConfig;
    expect(observable(st(w, 'r2'), cfg)).toBe(observable(st(w, 'r1'), cfg));
    // The deleted value never came back, and the tombstone was collected once stable.
    for (const id of ['r1', 'r2', 'r3']) expect(st(w, id).doc.lww['k']?.v ?? null).toBeNull();
    expect(st(w, 'r1').totals.collected).toBeGreaterThan(0);
    expect(w.history.at(-1)!.outcome).toBe('ok');
  });

  it('multi-value registers keep concurrent writes as siblings; a write over them resolves', () => {
    const s = scenario(
      [
        { tick: 0, type: 'partition', groups: [['r1'], ['r2', 'r3']] },
        { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'a' } },
        { tick: 1, type: 'op', agent: 'agent2', op: 'set', args: { key: 'k', value: 'b' } },
        { tick: 10, type: 'heal-all' },
        { tick: 40, type: 'op', agent: 'agent3', op: 'get', args: { key: 'k' } },
        { tick: 50, type: 'op', agent: 'agent3', op: 'set', args: { key: 'k', value: 'c' } },
        { tick: 90, type: 'op', agent: 'agent1', op: 'get', args: { key: 'k' } },
      ],
      { mode: 'mv-register' },
    );
    const w = worldAt(s, 120);
    const reads = w.history.filter((r) => r.op === 'get');
    expect(reads[0]!.result).toMatchObject({ siblings: ['a', 'b'] });
    expect(reads[1]!.result).toMatchObject({ value: 'c' });
    expect((reads[1]!.result as { siblings?: unknown }).siblings).toBeUndefined();
  });

  it("sequential rounds (the reference's loop, turns a latency apart) spread a write in fewer rounds", () => {
    const replicas = Array.from({ length: 8 }, (_, i) => `r${i + 1}`);
    const spreadRounds = (round: GossipConfig['round'], seed: number) => {
      const s: Scenario = {
        ...scenario(
          [{ tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 1 } }],
          { replicas, period: 8, round },
          100,
        ),
        seed,
        network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
      };
      const w = worldAt(s, 100);
      const last = Math.max(...replicas.map((id) => st(w, id).vvLog['r1']![0]![1]));
      return Math.ceil(last / 8);
    };
    let sync = 0;
    let seq = 0;
    for (let seed = 1; seed <= 20; seed++) {
      sync += spreadRounds('synchronous', seed);
      seq += spreadRounds('sequential', seed);
    }
    expect(seq).toBeLessThan(sync);
  });

  it('the reference mode: counters and sets are refused with a reason, not a throw', () => {
    const w = worldAt(
      scenario([{ tick: 1, type: 'op', agent: 'agent1', op: 'increment', args: { key: 'n' } }], { mode: 'reference' }),
      20,
    );
    expect(w.history[0]!.outcome).toBe('fail');
    expect(w.history[0]!.reason).toMatch(/reference/);
  });
});
