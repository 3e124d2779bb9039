import { describe, expect, it } from 'vitest';
import { worldAt } from '../../sim/engine/engine';
import { partitionedScenario } from '../../sim/scenario/builtins';
import { checkHistory } from '../../sim/history/check';
import type { PartitionedConfig } from '../../sim/architectures/partitioned/config';
import { agents, cfg, randomWorkload, scenario } from '../../sim/architectures/partitioned/partitioned.testkit';
import { buildPartitionedView, KEYS_SHOWN, staleReads } from './partitioned';

describe('the partitioned view', () => {
  it("shows the hot key's shard as the bottleneck in the builtin scenario, with bounded columns", () => {
    const s = partitionedScenario();
    const v = buildPartitionedView(worldAt(s, 600), s);
    // md5("hot") % 3 = 1.
    const loads = v.shards.map((x) => x.load);
    expect(loads[1]).toBe(Math.max(...loads));
    expect(loads[1]).toBeGreaterThan(1.5 * Math.min(...loads));
    for (const col of v.shards) expect(col.keys.length).toBeLessThanOrEqual(KEYS_SHOWN);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('shows a handoff while a shard is being added, and the strategies compared', () => {
    const s = partitionedScenario();
    const c = s.architecture as PartitionedConfig;
    s.actions = [{ tick: 100, type: 'configure', config: { ...c, shards: [...c.shards, 'shard3'] } }];
    const during = buildPartitionedView(worldAt(s, 101), s);
    expect(during.rebalance?.compare.map((x) => x.strategy)).toEqual(['md5-mod', 'ranges', 'consistent']);
    expect(during.shards.map((x) => x.id)).toEqual(['shard0', 'shard1', 'shard2', 'shard3']);
    const after = buildPartitionedView(worldAt(s, 300), s);
    expect(after.rebalance?.doneAt).not.toBeNull();
    expect(after.shards[3]!.total).toBeGreaterThan(0);
  });

  it('counts stale reads as the checker does', () => {
    let flagged = 0;
    for (let i = 0; i < 12; i++) {
      const s = scenario(
        cfg({ replication: 3, readQuorum: 1, writeQuorum: 1, opTimeout: 30 }),
        agents(4, randomWorkload(['k', 'j'], 2, { get: 3, set: 2, delete: 1, update: 1 }), 60),
        [
          { tick: 20, type: 'cut-link', from: 'coordinator', to: 'shard1' },
          { tick: 50, type: 'heal-link', from: 'coordinator', to: 'shard1' },
          { tick: 70, type: 'cut-link', from: 'coordinator', to: 'shard0' },
          { tick: 90, type: 'heal-link', from: 'coordinator', to: 'shard0' },
        ],
        { seed: i, duration: 150 },
      );
      const h = worldAt(s, 150).history;
      const mine = staleReads(h, true).count;
      expect(mine).toBe(checkHistory({ ops: h }, { sequentialMaxSteps: 0 }).anomalyCounts['stale-read']);
      flagged += mine;
    }
    expect(flagged).toBeGreaterThan(0);
  });
});
