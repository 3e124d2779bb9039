import { beforeAll, describe, expect, it } from 'vitest';
import { linearizable } from '../architectures/conformance.testkit';
import { builtinComparison } from './constants';
import { runPanel, type PanelRun } from './run';
import { scoreboard, type Scoreboard } from './scoreboard';
import { referenceVerdicts } from './reference';

/**
 * The checks on the built-in comparison (two groups cut apart from 200 to 500): each
 * architecture keeps its promise, each weaker than linearizable shows a violation of a
 * stronger model during the cut, the quorum store refuses on the minority side while gossip
 * accepts on both and diverges until the heal.
 */
const c = builtinComparison();
const runs = new Map<string, PanelRun>();
const boards = new Map<string, Scoreboard>();

beforeAll(() => {
  for (const p of c.panels) {
    const run = runPanel(c, p);
    runs.set(p.id, run);
    boards.set(p.id, scoreboard(c, run));
  }
});

const board = (id: string): Scoreboard => boards.get(id)!;
const during = (id: string) => board(id).windows.find((w) => w.name === 'during')!;
const asRun = (id: string) => {
  const r = runs.get(id)!;
  return { scenario: r.scenario, world: r.world, isolated: new Set<string>() };
};

describe('the built-in comparison', () => {
  it('has the six panels, a cut at 200 and a heal at 500', () => {
    expect(c.panels.map((p) => p.architecture.kind)).toEqual([
      'centralized',
      'event-sourcing',
      'partitioned',
      'partitioned',
      'gossip',
      'gossip',
    ]);
    expect(during('centralized')).toMatchObject({ from: 200, to: 500 });
  });

  it("keeps each architecture's promise (docs/engine.md)", () => {
    // Centralized and partitioned (with or without ABD quorums): linearizable.
    expect(linearizable(asRun('centralized'), { fracturedReads: true })).toBeNull();
    expect(linearizable(asRun('partitioned'), { fracturedReads: false })).toBeNull();
    expect(linearizable(asRun('quorum'), { fracturedReads: false })).toBeNull();
    // Event sourcing: every projection read is the log's state at the version it reports.
    const prefix = board('event-sourcing').prefixReads!;
    expect(prefix.checked).toBeGreaterThan(20);
    expect(prefix.matching).toBe(prefix.checked);
    // Gossip (lww): every local operation completes; replicas converge after the heal.
    expect(board('gossip-lww').ops.availability).toBe(1);
    expect(board('gossip-lww').convergence.divergentAtEnd).toEqual([]);
    expect(board('gossip-lww').convergence.ticksAfterHeal).not.toBeNull();
  });

  it('each panel weaker than linearizable shows a violation of a stronger model during the cut', () => {
    for (const id of ['event-sourcing', 'gossip-lww', 'gossip-reference']) {
      const b = board(id);
      expect(b.models.linearizable, id).toBe(false);
      const evidence = b.evidence.filter((e) => e.window === 'during');
      expect(evidence.length, id).toBeGreaterThan(0);
      for (const e of evidence) expect(e.opIds.length, `${id} ${e.id}`).toBeGreaterThan(0);
    }
    for (const id of ['centralized', 'partitioned', 'quorum']) expect(board(id).models.linearizable, id).toBe(true);
  });

  it('the quorum store refuses or times out on the minority side; gossip accepts on both sides and diverges until the heal', () => {
    const q = during('quorum').groups;
    expect(q.find((g) => g.group === 'east')).toMatchObject({ ok: 0 });
    expect(q.find((g) => g.group === 'east')!.total).toBeGreaterThan(0);
    expect(q.find((g) => g.group === 'west')!.ok).toBeGreaterThan(0);
    expect(board('quorum').tradeoff.choice).toBe('consistency');
    for (const id of ['gossip-lww', 'gossip-reference']) {
      for (const g of during(id).groups) expect(g.ok, `${id} ${g.group}`).toBe(g.total);
      expect(board(id).convergence.maxDivergentDuringFault, id).toBeGreaterThan(0);
      expect(board(id).convergence.divergentAtHeal, id).toBeGreaterThan(0);
      expect(board(id).tradeoff.choice, id).toBe('availability');
    }
  });

  it('windows add up to the whole run, and latencies are of ok operations', () => {
    for (const b of boards.values()) {
      const sum = (k: 'ok' | 'fail' | 'info'): number => b.windows.reduce((s, w) => s + w[k], 0);
      expect([sum('ok'), sum('fail'), sum('info')]).toEqual([b.ops.ok, b.ops.fail, b.ops.info]);
      expect(b.latency.p50).not.toBeNull();
      expect(b.latency.p50!).toBeLessThanOrEqual(b.latency.p99!);
    }
  });

  it("judges the reference's table from the numbers", () => {
    const cell = (id: string, col: string) => referenceVerdicts(board(id)).find((v) => v.column === col)!;
    expect(cell('centralized', 'consistency').verdict).toBe('agrees');
    expect(cell('event-sourcing', 'consistency').verdict).toBe('disagrees');
    expect(cell('gossip-lww', 'availability').verdict).toBe('agrees');
    expect(cell('gossip-lww', 'availability').reason).toMatch(/100%/);
    expect(cell('event-sourcing', 'availability').verdict).toBe('disagrees');
    // The reference's per-key counters: tied counters never converge (docs/engine.md).
    expect(board('gossip-reference').convergence.divergentAtEnd.length).toBeGreaterThan(0);
    expect(board('gossip-reference').convergence.ticksAfterHeal).toBeNull();
    expect(cell('gossip-reference', 'consistency').verdict).toBe('disagrees');
    expect(cell('gossip-reference', 'consistency').reason).toMatch(/Not even eventual/);
    for (const b of boards.values()) for (const v of referenceVerdicts(b)) expect(v.reason.length).toBeGreaterThan(20);
  });

  it('the models table never contradicts itself: causal only with every session guarantee, sequential only if causal', () => {
    const guarantees = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'] as const;
    for (const b of boards.values()) {
      if (b.models.causal === true)
        for (const g of guarantees) expect(b.models[g], `${b.panel}: causal but not ${g}`).toBe(true);
      if (b.models.sequential === true) expect(b.models.causal, b.panel).toBe(true);
      if (b.models.linearizable === true) expect(b.models.sequential, b.panel).toBe(true);
    }
    // Event sourcing's projections miss the writer's own appends: not causal, with the reason.
    expect(board('event-sourcing').models.causal).toBe(false);
    expect(board('event-sourcing').implied.causal).toMatch(/^read your writes fails/);
  });

  it('observing messages and divergence does not change a panel’s world', async () => {
    const { worldAt, worldHash } = await import('../engine/engine');
    const r = runs.get('gossip-lww')!;
    expect(worldHash(r.world)).toBe(worldHash(worldAt(r.scenario, r.scenario.duration)));
  });
});
