import { describe, expect, it } from 'vitest';
import { simulate, type Workload } from './harness.testkit';
import type { GossipMode } from './config';
import { parseScenario } from '../../scenario/validate';
import { worldAt } from '../../engine/engine';
import { checkHistory } from '../../history/check';

/**
 * Convergence under random schedules: reordering, duplication, loss, changing partitions,
 * a replica removed and added back, random operations; then heal and gossip. Every replica
 * must end equal (0 divergences in 100 seeds per mechanism), and no delete or remove may see
 * its victim come back at a replica that knows it, at any point of any schedule.
 */

const SEEDS = 100;
const mechanisms: [string, GossipMode, Workload][] = [
  ['LWW map (set, delete, update)', 'lww', 'kv'],
  ['multi-value registers (set, delete, update)', 'mv-register', 'kv'],
  ['G-Counter and PN-Counter', 'lww', 'counters'],
  ['OR-Set (add wins)', 'lww', 'or-set'],
];

describe('convergence under random schedules', () => {
  for (const [name, mode, workload] of mechanisms) {
    it(`${name}: ${SEEDS} seeds, 0 divergences, no resurrection`, () => {
      const divergent: number[] = [];
      const resurrected: string[] = [];
      let maxRounds = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const r = simulate({ seed, mode, workload });
        if (!r.converged) divergent.push(seed);
        resurrected.push(...r.resurrections.map((x) => `seed ${seed}: ${x}`));
        maxRounds = Math.max(maxRounds, r.roundsAfterHeal);
      }
      expect(resurrected.slice(0, 5)).toEqual([]);
      expect(divergent).toEqual([]);
      expect(maxRounds).toBeLessThanOrEqual(40);
    });
  }

  it("the reference mode's non-convergence: tied counters never reconcile, and it says so", () => {
    // Same schedules as above: in most of them some key ends with equal counters and
    // different values on two replicas, and no number of rounds fixes it.
    let diverged = 0;
    let named = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulate({ seed, mode: 'reference', workload: 'kv', churn: false, maxRoundsAfterHeal: 30 });
      if (!r.converged) diverged += 1;
      if (r.flaws > 0) named += 1;
    }
    expect(diverged).toBeGreaterThan(0);
    expect(named).toBeGreaterThanOrEqual(diverged);
  });
});

describe('regression: a mode switch with exchanges in flight', () => {
  // Found writing the concurrent-writes lesson: r1's lww push, sent before the switch to
  // mv-register at 13 and delivered after it, gave r2's fresh version vector r1:1, which then
  // "knew" (and dropped) the new mode's first write at r1. Writes after a switch now carry a
  // new incarnation, and exchanges from before it are ignored.
  const s = {
    format: 1,
    name: 'mode switch with a push in flight',
    seed: 1,
    duration: 60,
    architecture: {
      kind: 'gossip',
      replicas: ['r1', 'r2'],
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
    },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: [
      { id: 'agent1', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 },
      { id: 'agent2', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 },
    ],
    actions: [
      { tick: 8, type: 'op', agent: 'agent1', op: 'set', args: { key: 'x', value: 'old-mode' } },
      {
        tick: 13,
        type: 'configure',
        config: {
          kind: 'gossip',
          replicas: ['r1', 'r2'],
          mode: 'mv-register',
          exchange: 'push-pull',
          fanout: 1,
          period: 4,
          round: 'synchronous',
        },
      },
      { tick: 14, type: 'op', agent: 'agent1', op: 'set', args: { key: 'y', value: 'new-mode' } },
      { tick: 19, type: 'op', agent: 'agent1', op: 'get', args: { key: 'y' } },
      { tick: 40, type: 'op', agent: 'agent1', op: 'get', args: { key: 'y' } },
      { tick: 40, type: 'op', agent: 'agent2', op: 'get', args: { key: 'y' } },
    ],
  } as const;

  it('keeps the acknowledged write, on both replicas, and ignores the stale exchange', () => {
    const parsed = parseScenario(s);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const w = worldAt(parsed.scenario, 60);
    const gets = w.history.filter((r) => r.op === 'get');
    expect(gets.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    // mv-register reads a list of siblings: the one write, everywhere.
    for (const r of gets) expect(JSON.stringify(r.result)).toContain('new-mode');
    expect(checkHistory({ ops: w.history }).anomalyCounts['lost-write']).toBe(0);
    const ignored = ['r1', 'r2'].map((id) => (w.servers[id]!.state as { totals: { ignored: number } }).totals.ignored);
    expect(ignored.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});

describe('reads of concurrent siblings, as the checker judges them', () => {
  // Two agents write color on either side of a split; after the heal both replicas hold both
  // siblings, and a read shows both.
  const s = {
    format: 1,
    name: 'siblings',
    seed: 1,
    duration: 60,
    architecture: {
      kind: 'gossip',
      replicas: ['r1', 'r2'],
      mode: 'mv-register',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
      attach: { agent1: 'r1', agent2: 'r2' },
    },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: [
      { id: 'agent1', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 },
      { id: 'agent2', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 },
    ],
    actions: [
      { tick: 1, type: 'partition', groups: [['r1'], ['r2']] },
      { tick: 4, type: 'op', agent: 'agent1', op: 'set', args: { key: 'color', value: 'left' } },
      { tick: 4, type: 'op', agent: 'agent2', op: 'set', args: { key: 'color', value: 'right' } },
      { tick: 12, type: 'heal-all' },
      { tick: 40, type: 'op', agent: 'agent1', op: 'get', args: { key: 'color' } },
    ],
  } as const;

  it('a read shows both siblings; linearizability fails on it alone, in words; no anomaly is made up from one of them', () => {
    const parsed = parseScenario(s);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const world = worldAt(parsed.scenario, s.duration);
    const read = world.history.find((r) => r.op === 'get');
    expect(read?.outcome).toBe('ok');
    expect((read?.result as { siblings?: unknown[] }).siblings).toEqual(expect.arrayContaining(['left', 'right']));
    const rep = checkHistory({ ops: world.history });
    expect(rep.linearizable).toBe(false);
    expect(rep.witness?.opIds).toEqual([read?.id]);
    expect(rep.witness?.explanation).toMatch(/read 2 values at once \(siblings "(left|right)" \| "(left|right)"\)/);
    expect(rep.witness?.explanation).toContain('a linearizable register holds one at a time');
    expect(rep.anomalies).toEqual([]);
    expect(rep.multiValue).toEqual({ siblingReads: 1, thinAir: [] });
    expect(rep.notes.join(' ')).toContain('1 read returned concurrent siblings');
    expect(rep.sequentialConsistency?.consistent).toBe(false);
  });
});
