import { describe, expect, it } from 'vitest';
import { worldAt } from '../../sim/engine/engine';
import { gossipScenario } from '../../sim/scenario/builtins';
import type { Scenario } from '../../sim/scenario/schema';
import { buildGossipView, theoryCurve } from './gossip';
import { builtinComparison } from '../../sim/compare/constants';
import { runPanel } from '../../sim/compare/run';
import { scoreboard } from '../../sim/compare/scoreboard';

describe('the gossip view', () => {
  it('the builtin scenario converges after its heal, and the view says when', () => {
    const s = gossipScenario();
    const v = buildGossipView(worldAt(s, 300), s);
    expect(v.converged).toBe(true);
    expect(v.split).toBe(false);
    expect(v.healedAt).toBe(120);
    expect(v.roundsToConverge).toBeGreaterThan(0);
    expect(v.replicas.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(v.curves.length).toBeGreaterThan(0);
    expect(v.curves[0]!.holders.at(-1)).toBe(4);
    expect(v.rounds.length).toBeGreaterThan(0);
    // Nothing in the view points into the world: it survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('the lab and Compare count discarded writes alike, apart from lost updates, once per write', () => {
    const c = builtinComparison();
    for (const id of ['gossip-lww', 'gossip-reference']) {
      const run = runPanel(
        c,
        c.panels.find((p) => p.id === id)!,
      );
      const board = scoreboard(c, run);
      const lab = buildGossipView(run.world, run.scenario).discarded;
      // Compare once said "Lost updates 0" while the lab said LWW dropped 4 writes.
      expect(lab, id).toEqual(board.discardedWrites);
      expect(board.anomalies['lost-update'], id).toBe(0);
      // Each replica notes a drop when it merges: one write dropped at several replicas is one.
      const notes = run.world.history.length > 0 ? Object.values(run.world.servers) : [];
      const perReplica = notes.reduce(
        (n, x) => n + (x.state as { droppedCount: number; flawCount: number }).droppedCount,
        0,
      );
      if (id === 'gossip-lww') {
        expect(board.discardedWrites.count).toBeGreaterThan(0);
        expect(perReplica).toBeGreaterThan(board.discardedWrites.count);
      }
    }
    const central = runPanel(c, c.panels[0]!);
    expect(scoreboard(c, central).discardedWrites).toEqual({ count: 0, atLeast: false });
  });

  it('says the cluster is split while a link between replicas is cut, converged or not', () => {
    const s = gossipScenario();
    expect(buildGossipView(worldAt(s, 60), s).split).toBe(true);
    expect(buildGossipView(worldAt(s, 119), s).split).toBe(true);
    expect(buildGossipView(worldAt(s, 120), s).split).toBe(false);
  });

  it("names the reference mode's flaw when counters tie", () => {
    const base = gossipScenario();
    const s: Scenario = {
      ...base,
      architecture: { ...base.architecture, mode: 'reference' } as Scenario['architecture'],
      agents: base.agents.map((a) => ({ ...a, workload: { kind: 'idle' as const } })),
      actions: [
        {
          tick: 0,
          type: 'partition',
          groups: [
            ['r1', 'r2'],
            ['r3', 'r4'],
          ],
        },
        { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'left' } },
        { tick: 1, type: 'op', agent: 'agent3', op: 'set', args: { key: 'k', value: 'right' } },
        { tick: 20, type: 'heal-all' },
      ],
    };
    const v = buildGossipView(worldAt(s, 120), s);
    expect(v.converged).toBe(false);
    expect(v.flaws.some((f) => f.kind === 'tie' && /Never converges/.test(f.text))).toBe(true);
  });

  it('the theory curve grows to n and push-pull is fastest', () => {
    const pp = theoryCurve(100, 'push-pull', 1, 12);
    const push = theoryCurve(100, 'push', 1, 12);
    expect(pp[0]).toBe(1);
    expect(pp.at(-1)).toBeCloseTo(100, 0);
    expect(pp[4]!).toBeGreaterThan(push[4]!);
  });
});
