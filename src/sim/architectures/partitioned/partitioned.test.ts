import { withShardAdded, withShardRetired } from './constants';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { advance, initWorld, worldAt } from '../../engine/engine';
import { checkHistory } from '../../history/check';
import { dictKeys } from '../../core/dict';
import type { Action } from '../../scenario/schema';
import { ScenarioSchema } from '../../scenario/schema';
import { buildRing, keysMoved, md5Mod, rangeIndex, rangeLabel, replicasOf, type Placement } from './placement';
import { agents, cfg, coord, randomWorkload, scenario, shards, strayCopies } from './partitioned.testkit';
import { halfApplied } from './conformance.testkit';
import { partitioned } from './partitioned';
import { runs } from '../../core/fuzz.testkit';

/** Keys from a seeded generator (fast-check's), the same on every run. */
function randomKeys(n: number, seed: number): string[] {
  return fc.sample(
    fc.string({
      minLength: 1,
      maxLength: 24,
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-é漢🙂'),
    }),
    { numRuns: n, seed },
  );
}

describe('routing', () => {
  it("md5-mod is the reference's int(md5(key), 16) % N for 10,000 random keys (checked with Node's crypto)", () => {
    const keys = randomKeys(10_000, 42);
    for (const [i, key] of keys.entries()) {
      const n = 1 + (i % 12);
      const expected = Number(BigInt('0x' + createHash('md5').update(key, 'utf8').digest('hex')) % BigInt(n));
      if (md5Mod(key, n) !== expected) expect([key, n, md5Mod(key, n)]).toEqual([key, n, expected]);
    }
  });

  it("ranges are the reference diagram's A-F, G-P, Q-Z for three shards", () => {
    expect([0, 1, 2].map((i) => rangeLabel(i, 3))).toEqual(['A-F', 'G-P', 'Q-Z']);
    expect(['apple', 'Fig', 'grape', 'pear', 'quince', 'zebra', '0day', '~x'].map((k) => rangeIndex(k, 3))).toEqual([
      0, 0, 1, 1, 2, 2, 0, 2,
    ]);
    expect([0, 1, 2, 3].map((i) => rangeLabel(i, 4))).toEqual(['A-F', 'G-M', 'N-S', 'T-Z']);
  });

  it('replica sets are distinct shards, owner first, on every strategy', () => {
    for (const strategy of ['md5-mod', 'ranges', 'consistent'] as const) {
      const p: Placement = { strategy, shards: ['shard0', 'shard1', 'shard2', 'shard3'], vnodes: 100, replication: 3 };
      for (const k of randomKeys(200, 3)) {
        const r = replicasOf(k, p);
        expect(new Set(r).size).toBe(3);
      }
    }
    expect(buildRing(['shard0', 'shard1'], 100).points.length).toBe(200);
  });
});

describe('keys moved from N to N+1 shards (10,000 keys, averaged over 5 seeds)', () => {
  const place = (strategy: Placement['strategy'], n: number): Placement => ({
    strategy,
    shards: Array.from({ length: n }, (_, i) => `shard${i}`),
    vnodes: 100,
    replication: 1,
  });
  for (const n of [3, 5, 8]) {
    it(`consistent hashing moves about 1/(N+1), modulo about N/(N+1), for N = ${n}`, () => {
      let consistent = 0;
      let modulo = 0;
      const seeds = [1, 2, 3, 4, 5];
      for (const seed of seeds) {
        const keys = randomKeys(10_000, seed * 101);
        consistent += keysMoved(keys, place('consistent', n), place('consistent', n + 1)) / keys.length;
        modulo += keysMoved(keys, place('md5-mod', n), place('md5-mod', n + 1)) / keys.length;
      }
      consistent /= seeds.length;
      modulo /= seeds.length;
      expect(Math.abs(consistent - 1 / (n + 1)) / (1 / (n + 1))).toBeLessThan(0.2);
      expect(Math.abs(modulo - n / (n + 1)) / (n / (n + 1))).toBeLessThan(0.2);
    });
  }
});

describe('the reference store', () => {
  it('routes set/get through the coordinator to the md5-mod shard and gathers get_all', () => {
    const keys = ['agent1_position', 'agent2_position', 'agent3_position'];
    const s = scenario(cfg(), agents(1, { kind: 'idle' }), [
      ...keys.map((key, i): Action => ({
        tick: 1 + i,
        type: 'op',
        agent: 'agent1',
        op: 'set',
        args: { key, value: { x: 10 * (i + 1) } },
      })),
      { tick: 20, type: 'op', agent: 'agent1', op: 'get_all', args: {} },
    ]);
    expect(ScenarioSchema.safeParse(s).success).toBe(true);
    const w = worldAt(s, 60);
    for (const sh of shards(w)) for (const k of dictKeys(sh.data)) expect(sh.id).toBe(`shard${md5Mod(k, 3)}`);
    const all = w.history.find((h) => h.op === 'get_all')!;
    expect(all.outcome).toBe('ok');
    expect(all.result).toEqual({
      partial: false,
      state: { agent1_position: { x: 10 }, agent2_position: { x: 20 }, agent3_position: { x: 30 } },
    });
  });

  it('a cut shard makes only its keys unavailable; get_all is partial (marked) or fails, as configured', () => {
    const keys = ['apple', 'grape', 'zebra']; // ranges: shard0, shard1, shard2
    for (const mode of ['partial', 'fail'] as const) {
      const c = cfg({ strategy: 'ranges', getAll: mode, opTimeout: 10 });
      const s = scenario(c, agents(1, { kind: 'idle' }, 30), [
        ...keys.map((key, i): Action => ({
          tick: 1 + i,
          type: 'op',
          agent: 'agent1',
          op: 'set',
          args: { key, value: key },
        })),
        { tick: 20, type: 'cut-link', from: 'coordinator', to: 'shard1' },
        ...keys.map((key, i): Action => ({ tick: 21 + i, type: 'op', agent: 'agent1', op: 'get', args: { key } })),
        { tick: 25, type: 'op', agent: 'agent1', op: 'get_all', args: {} },
      ]);
      const w = worldAt(s, 200);
      const gets = w.history.filter((h) => h.op === 'get');
      expect(gets.map((g) => g.outcome)).toEqual(['ok', 'fail', 'ok']);
      const all = w.history.find((h) => h.op === 'get_all')!;
      if (mode === 'fail') expect(all.outcome).toBe('fail');
      else
        expect(all.result).toMatchObject({
          partial: true,
          available: { apple: 'apple', zebra: 'zebra' },
          missing: ['grape'],
          unreachable: ['shard1'],
        });
    }
  });
});

/** Adds, retirements, strategy switches and faults, then everything heals and each key is read. */
const rebalanceRuns = fc
  .record({
    seed: fc.nat(),
    strategy: fc.constantFrom('md5-mod' as const, 'ranges' as const, 'consistent' as const),
    replication: fc.constantFrom(1, 1, 2, 3),
    latency: fc.integer({ min: 1, max: 3 }),
    jitter: fc.integer({ min: 0, max: 3 }),
    duplication: fc.constantFrom(0, 0.2),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.nat({ max: 7 }), fc.nat({ max: 50 })), {
      minLength: 1,
      maxLength: 8,
    }),
  })
  .map((r) => {
    const keys = ['apple', 'grape', 'mango', 'quince', 'zebra', 'x', '__proto__'];
    let config = cfg({
      strategy: r.strategy,
      replication: r.replication,
      readQuorum: Math.ceil((r.replication + 1) / 2),
      writeQuorum: Math.ceil((r.replication + 1) / 2),
      readWriteBack: true,
      vnodes: 16,
      opTimeout: 12,
      rebalanceBatch: 2,
    });
    const base = config;
    const actions: Action[] = [];
    for (const [tick, kind, a] of [...r.steps].sort((x, y) => x[0] - y[0])) {
      const servers = ['coordinator', ...config.shards, ...config.retired];
      const node = servers[a % servers.length]!;
      switch (kind) {
        case 0:
        case 1: {
          if (config.shards.length + config.retired.length >= 7) break;
          config = withShardAdded(config);
          actions.push({ tick, type: 'configure', config });
          break;
        }
        case 2: {
          if (config.shards.length <= config.replication) break;
          const gone = config.shards[a % config.shards.length]!;
          config = withShardRetired(config, gone);
          actions.push({ tick, type: 'configure', config });
          break;
        }
        case 3:
          config = { ...config, strategy: (['md5-mod', 'ranges', 'consistent'] as const)[a % 3]! };
          actions.push({ tick, type: 'configure', config });
          break;
        case 4:
          actions.push({ tick, type: 'crash', node }, { tick: tick + 1 + (a % 30), type: 'recover', node });
          break;
        case 5:
          actions.push(
            { tick, type: 'cut-link', from: 'coordinator', to: node },
            { tick: tick + 1 + (a % 40), type: 'heal-link', from: 'coordinator', to: node },
          );
          break;
        default:
          actions.push({ tick, type: 'cut-link', from: node, to: 'coordinator' });
      }
    }
    const end = 200;
    actions.push({ tick: end, type: 'heal-all' });
    for (const n of ['coordinator', ...config.shards, ...config.retired])
      actions.push({ tick: end, type: 'recover', node: n });
    actions.push(
      { tick: end, type: 'set-workload', agent: 'agent1', workload: { kind: 'idle' } },
      { tick: end, type: 'set-workload', agent: 'agent2', workload: { kind: 'idle' } },
    );
    keys.forEach((key, i) =>
      actions.push({ tick: end + 150 + i, type: 'op', agent: 'agent3', op: 'get', args: { key } }),
    );
    const ags = [
      ...agents(2, randomWorkload(keys, 2, { get: 2, set: 4, delete: 1, update: 1 }), 40, 5),
      { id: 'agent3', workload: { kind: 'idle' as const }, timeout: 40, retryEvery: 0 },
    ];
    return scenario(base, ags, actions, {
      seed: r.seed,
      duration: end + 400,
      latency: r.latency,
      jitter: r.jitter,
      duplication: r.duplication,
    });
  });

describe('rebalancing (property)', () => {
  it('across adds, removals and faults: no acknowledged write is lost, and no key is live on two shards outside a visible handoff', () => {
    fc.assert(
      fc.property(rebalanceRuns, (s) => {
        const parsed = ScenarioSchema.safeParse(s);
        if (!parsed.success) throw new Error(parsed.error.message);
        const w = initWorld(s);
        for (let t = 0; t <= s.duration; t += 1) {
          advance(w, s, t);
          const stray = strayCopies(w);
          if (stray.length) throw new Error(`tick ${t}: ${stray.join('; ')}`);
        }
        const c = coord(w);
        // Everything healed: the rebalancing finished and every final read answered.
        expect(dictKeys(c.moves)).toEqual([]);
        expect(dictKeys(c.keys).filter((k) => c.keys[k] !== c.target)).toEqual([]);
        const finals = w.history.filter((h) => h.agent === 'agent3');
        expect(finals.every((h) => h.outcome === 'ok')).toBe(true);
        const r = checkHistory({ ops: w.history }, { sequentialMaxSteps: 0 });
        expect(r.anomalyCounts['lost-write']).toBe(0);
        expect(r.linearizable).toBe(true);
      }),
      { numRuns: runs(60) },
    );
  });

  it('regression: a move cut short by a coordinator crash after its installs, then aborted in the resumed copy, drops the installed copies', () => {
    // fast-check counterexample: grape's move installs on shard3 at tick 68, shard2's acks are
    // cut, the coordinator crashes at 74 and resumes the move from the copy at 100; the copy
    // times out at 112 (shard0 and shard2 cannot answer), and shard3 kept a stray copy.
    const keys = ['apple', 'grape', 'mango', 'quince', 'zebra', 'x', '__proto__'];
    const base = cfg({
      strategy: 'consistent',
      replication: 2,
      readQuorum: 2,
      writeQuorum: 2,
      readWriteBack: true,
      vnodes: 16,
      opTimeout: 12,
      rebalanceBatch: 2,
    });
    const conf = (shardIds: string[], retired: string[]): Action => ({
      tick: 0,
      type: 'configure',
      config: { ...base, shards: shardIds, retired },
    });
    const end = 200;
    const all = ['coordinator', 'shard2', 'shard3', 'shard4', 'shard1', 'shard0'];
    const s = scenario(
      base,
      [
        ...agents(2, randomWorkload(keys, 2, { get: 2, set: 4, delete: 1, update: 1 }), 40, 5),
        { id: 'agent3', workload: { kind: 'idle' }, timeout: 40, retryEvery: 0 },
      ],
      [
        { tick: 44, type: 'cut-link', from: 'shard2', to: 'coordinator' },
        { ...conf(['shard0', 'shard1', 'shard2', 'shard3'], []), tick: 58 },
        { ...conf(['shard0', 'shard2', 'shard3'], ['shard1']), tick: 67 },
        { tick: 74, type: 'crash', node: 'coordinator' },
        { ...conf(['shard2', 'shard3'], ['shard1', 'shard0']), tick: 82 },
        { tick: 85, type: 'cut-link', from: 'shard0', to: 'coordinator' },
        { tick: 100, type: 'recover', node: 'coordinator' },
        { tick: 108, type: 'cut-link', from: 'coordinator', to: 'shard1' },
        { tick: 117, type: 'heal-link', from: 'coordinator', to: 'shard1' },
        { ...conf(['shard2', 'shard3', 'shard4'], ['shard1', 'shard0']), tick: 146 },
        { tick: end, type: 'heal-all' },
        ...all.map((node): Action => ({ tick: end, type: 'recover', node })),
        { tick: end, type: 'set-workload', agent: 'agent1', workload: { kind: 'idle' } },
        { tick: end, type: 'set-workload', agent: 'agent2', workload: { kind: 'idle' } },
        ...keys.map((key, i): Action => ({
          tick: end + 150 + i,
          type: 'op',
          agent: 'agent3',
          op: 'get',
          args: { key },
        })),
      ],
      { seed: 580507768, duration: end + 400, latency: 1, jitter: 3, duplication: 0.2 },
    );
    expect(ScenarioSchema.safeParse(s).success).toBe(true);
    const w = initWorld(s);
    for (let t = 0; t <= s.duration; t += 1) {
      advance(w, s, t);
      expect(strayCopies(w), `tick ${t}`).toEqual([]);
    }
    const c = coord(w);
    expect(dictKeys(c.moves)).toEqual([]);
    expect(dictKeys(c.keys).filter((k) => c.keys[k] !== c.target)).toEqual([]);
    expect(w.history.filter((h) => h.agent === 'agent3').map((h) => h.outcome)).toEqual(keys.map(() => 'ok'));
    const r = checkHistory({ ops: w.history }, { sequentialMaxSteps: 0 });
    expect(r.anomalyCounts['lost-write']).toBe(0);
    expect(r.linearizable).toBe(true);
  });

  it('the reference (no handoff) strands keys: reads after adding a shard miss acknowledged writes', () => {
    const keys = ['apple', 'grape', 'mango', 'quince', 'zebra'];
    const c = cfg({ rebalance: 'none' });
    const s = scenario(c, agents(1, { kind: 'idle' }), [
      ...keys.map((key, i): Action => ({
        tick: 1 + i,
        type: 'op',
        agent: 'agent1',
        op: 'set',
        args: { key, value: key },
      })),
      { tick: 30, type: 'configure', config: { ...c, shards: [...c.shards, 'shard3'] } },
      ...keys.map((key, i): Action => ({ tick: 31 + i, type: 'op', agent: 'agent1', op: 'get', args: { key } })),
    ]);
    const w = worldAt(s, 100);
    const r = checkHistory({ ops: w.history }, { sequentialMaxSteps: 0 });
    expect(r.linearizable).toBe(false);
    expect(r.anomalyCounts['stale-read']).toBeGreaterThan(0);
  });
});

/** Replica links whose latencies change every 10 ticks, and short cuts that make replicas miss writes. */
function skewedReplicas(seed: number): Action[] {
  let x = (seed * 2654435761) % 4294967296;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const acts: Action[] = [];
  for (let t = 0; t < 150; t += 10) {
    for (const sh of ['shard0', 'shard1', 'shard2']) {
      acts.push({ tick: t, type: 'set-link', from: 'coordinator', to: sh, latency: 1 + rnd(8) });
      acts.push({ tick: t, type: 'set-link', from: sh, to: 'coordinator', latency: 1 + rnd(8) });
      if (rnd(3) === 0)
        acts.push(
          { tick: t, type: 'cut-link', from: 'coordinator', to: sh },
          { tick: t + 1 + rnd(9), type: 'heal-link', from: 'coordinator', to: sh },
        );
    }
  }
  return acts;
}

describe('quorums', () => {
  const runs = (readWriteBack: boolean, q: [number, number, number]) =>
    Array.from({ length: 40 }, (_, i) => {
      const [N, R, W] = q;
      const c = cfg({
        shards: ['shard0', 'shard1', 'shard2'],
        replication: N,
        readQuorum: R,
        writeQuorum: W,
        readWriteBack,
        opTimeout: 30,
      });
      const s = scenario(
        c,
        agents(4, randomWorkload(['k'], 2, { get: 3, set: 2, delete: 0, update: 0 }), 60),
        skewedReplicas(i + 1),
        { seed: 1000 + i, duration: 150 },
      );
      return checkHistory({ ops: worldAt(s, 150).history }, { sequentialMaxSteps: 0 });
    });

  it('strict quorums (R + W > N) without write-back are not linearizable in some seeded run; with write-back (ABD) never', () => {
    const without = runs(false, [3, 2, 2]);
    expect(without.some((r) => r.linearizable === false)).toBe(true);
    const abd = runs(true, [3, 2, 2]);
    expect(abd.map((r) => r.linearizable)).toEqual(abd.map(() => true));
  });

  it('R + W <= N produces stale reads, and the checker flags them', () => {
    const sloppy = runs(false, [3, 1, 1]);
    expect(sloppy.reduce((n, r) => n + r.anomalyCounts['stale-read'], 0)).toBeGreaterThan(0);
  });
});

describe('cross-shard updates', () => {
  // ranges: apple on shard0, zebra on shard2; the coordinator's link to shard2 is cut.
  const run = (crossShard: 'naive' | '2pc') => {
    const c = cfg({ strategy: 'ranges', crossShard, opTimeout: 10 });
    const s = scenario(c, agents(2, { kind: 'idle' }, 30), [
      { tick: 1, type: 'op', agent: 'agent1', op: 'update', args: { updates: { apple: 'a0', zebra: 'z0' } } },
      { tick: 10, type: 'cut-link', from: 'coordinator', to: 'shard2' },
      { tick: 11, type: 'op', agent: 'agent1', op: 'update', args: { updates: { apple: 'a1', zebra: 'z1' } } },
      { tick: 60, type: 'heal-link', from: 'coordinator', to: 'shard2' },
      { tick: 61, type: 'op', agent: 'agent2', op: 'get_all', args: {} },
    ]);
    const w = worldAt(s, 150);
    return { w, s, report: checkHistory({ ops: w.history }, { sequentialMaxSteps: 0 }) };
  };

  it('naive: a fault leaves the update half applied and the checker reports the fractured read', () => {
    const { w, s, report } = run('naive');
    expect(report.anomalyCounts['fractured-read']).toBeGreaterThan(0);
    expect(halfApplied({ scenario: s, world: w, isolated: new Set() }).length).toBeGreaterThan(0);
  });

  it('two-phase commit: the same fault aborts the update; nothing is half applied', () => {
    const { w, s, report } = run('2pc');
    expect(report.anomalyCounts['fractured-read']).toBe(0);
    expect(w.history[1]!.outcome).toBe('fail');
    expect(halfApplied({ scenario: s, world: w, isolated: new Set() })).toEqual([]);
  });

  it('two-phase commit blocks readers of prepared keys while the coordinator is down between the phases', () => {
    const c = cfg({ strategy: 'ranges', crossShard: '2pc', opTimeout: 10 });
    // Latency 2: prepare arrives at tick 3, votes would arrive at tick 5; the coordinator
    // crashes at tick 4, after the participants voted yes and locked the keys.
    const s = scenario(c, agents(2, { kind: 'idle' }, 100), [
      { tick: 1, type: 'op', agent: 'agent1', op: 'update', args: { updates: { apple: 'a1', zebra: 'z1' } } },
      { tick: 4, type: 'crash', node: 'coordinator' },
      { tick: 40, type: 'recover', node: 'coordinator' },
      { tick: 41, type: 'op', agent: 'agent2', op: 'get', args: { key: 'apple' } },
    ]);
    s.network.latency = 2;
    const w10 = worldAt(s, 10);
    expect(shards(w10).find((x) => x.id === 'shard0')!.locks).toHaveProperty('apple');
    const w = worldAt(s, 120);
    expect(shards(w).every((x) => dictKeys(x.locks).length === 0)).toBe(true);
    expect(w.history[0]!.outcome).not.toBe('ok');
    const read = w.history[1]!;
    expect(read.outcome).toBe('ok');
    expect(read.result).toMatchObject({ value: null });
    expect(shards(w).flatMap((x) => x.log.map((l) => l[1]))).toEqual(['abort', 'abort']);
  });
});

describe('arguments', () => {
  it('rejects bad arguments with a message, never a throw', () => {
    expect(partitioned.checkArgs('get', {})).toMatch(/key/);
    expect(partitioned.checkArgs('update', { updates: {} })).toMatch(/at least one/);
    expect(partitioned.checkArgs('nope', {})).toMatch(/no operation/);
    expect(partitioned.checkArgs('set', { key: '__proto__', value: 1 })).toBeNull();
  });
});

describe('what a failed or timed-out operation says (the labels match the run)', () => {
  const op = (tick: number, o: string, args: Record<string, unknown>): Action =>
    ({ tick, type: 'op', agent: 'agent1', op: o, args }) as Action;

  it('a write that times out behind a crashed shard names that shard, not "lost or delayed"', () => {
    const s = scenario(
      cfg({ shards: ['shard0', 'shard1'], replication: 2, readQuorum: 1, writeQuorum: 2 }),
      agents(1, { kind: 'idle' }, 30),
      [{ tick: 5, type: 'crash', node: 'shard1' }, op(10, 'set', { key: 'x', value: 1 })],
    );
    const w = worldAt(s, 100);
    const r = w.history.find((h) => h.op === 'set');
    expect(r?.outcome).toBe('info');
    expect(r?.reason).toContain("coordinator's request to shard1 reached shard1 while it was down");
    expect(r?.reason).not.toContain('lost or delayed');
  });

  it('a failed read says how many replicas it needed, and why fewer than R', () => {
    const s = scenario(
      cfg({ shards: ['shard0'], replication: 2, readQuorum: 2, writeQuorum: 1 }),
      agents(1, { kind: 'idle' }, 60),
      [op(5, 'set', { key: 'x', value: 1 }), { tick: 20, type: 'crash', node: 'shard0' }, op(30, 'get', { key: 'x' })],
    );
    const w = worldAt(s, 150);
    const r = w.history.find((h) => h.op === 'get');
    expect(r?.outcome).toBe('fail');
    expect(r?.reason).toContain(
      'only 0 of the 1 replica needed answered (shard0); R is 2, but x is held by only 1 replica',
    );
  });
});
