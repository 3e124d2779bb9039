import { performance } from 'node:perf_hooks';
import type { Figure } from './engine';
import { worldAt, type Action, type Scenario } from '../src/sim/index';
import { defaultPartitionedConfig } from '../src/sim/architectures/partitioned/constants';
import type { CoordState } from '../src/sim/architectures/partitioned/partitioned';
import {
  keysMoved,
  ownerIndex,
  STRATEGIES,
  type Placement,
  type Strategy,
} from '../src/sim/architectures/partitioned/placement';

/** Deterministic keys (no Math.random): "user:<n>:<hex>". */
function keys(n: number): string[] {
  let x = 987654321;
  return Array.from({ length: n }, (_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return `user:${i}:${x.toString(16)}`;
  });
}

function placement(strategy: Strategy, n: number): Placement {
  return { strategy, shards: Array.from({ length: n }, (_, i) => `shard${i}`), vnodes: 100, replication: 1 };
}

/** Routing throughput per strategy, and rebalancing 100,000 keys from 8 to 9 shards. */
export function partitionedBench(): Figure[] {
  const figures: Figure[] = [];
  const million = keys(1_000_000);
  for (const s of STRATEGIES) {
    const p = placement(s, 8);
    ownerIndex('warm', p);
    const t0 = performance.now();
    let sum = 0;
    for (const k of million) sum += ownerIndex(k, p);
    const ms = performance.now() - t0;
    if (sum < 0) console.log(sum); // keeps the loop from being optimised away
    figures.push({
      name: `route 1,000,000 keys, ${s} (8 shards): keys per second`,
      value: Math.round(1_000_000 / (ms / 1000)),
      unit: 'keys/s',
    });
  }
  const hundred = million.slice(0, 100_000);
  for (const s of STRATEGIES) {
    const t0 = performance.now();
    const moved = keysMoved(hundred, placement(s, 8), placement(s, 9));
    const ms = performance.now() - t0;
    const ideal =
      s === 'consistent'
        ? ' (ideal 1/9 = 11.1%)'
        : s === 'md5-mod'
          ? ' (expected 8/9 = 88.9%)'
          : ' (all keys start with "u")';
    figures.push({
      name: `rebalance 100,000 keys 8 → 9 shards, ${s}: keys moved${ideal}`,
      value: moved,
      unit: `(${((100 * moved) / hundred.length).toFixed(1)}%)`,
    });
    figures.push({
      name: `rebalance 100,000 keys 8 → 9 shards, ${s}: time to plan`,
      value: Math.round(ms),
      unit: 'ms',
    });
  }
  figures.push(...handoffBench());
  return figures;
}

/** The online handoff itself, in the engine: 1,024 keys written, then 8 → 9 shards. */
function handoffBench(): Figure[] {
  const ks = keys(1024).map((k) => k.replace('user:', ''));
  const config = { ...defaultPartitionedConfig(8), strategy: 'consistent' as const, rebalanceBatch: 16 };
  const actions: Action[] = [];
  for (let i = 0; i < ks.length; i += 64) {
    const updates: Record<string, string> = {};
    for (const k of ks.slice(i, i + 64)) updates[k] = `v${i}`;
    actions.push({ tick: 1 + i / 64, type: 'op', agent: 'writer', op: 'update', args: { updates } });
  }
  actions.push({ tick: 100, type: 'configure', config: { ...config, shards: [...config.shards, 'shard8'] } });
  const s: Scenario = {
    format: 1,
    name: 'handoff bench',
    seed: 1,
    duration: 5000,
    architecture: config,
    network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
    agents: [{ id: 'writer', workload: { kind: 'idle' }, timeout: 50, retryEvery: 0 }],
    actions,
  };
  const t0 = performance.now();
  const w = worldAt(s, s.duration);
  const ms = performance.now() - t0;
  const c = w.servers['coordinator']!.state as CoordState;
  const r = c.rebalance!;
  return [
    {
      name: `handoff in the engine, 1,024 keys 8 → 9 shards (consistent, 16 at a time): keys moved`,
      value: r.copied,
      unit: `of ${r.total}`,
    },
    {
      name: 'handoff in the engine: ticks from configure to the last drop acknowledged',
      value: r.doneAt === null ? -1 : r.doneAt - r.at,
      unit: 'ticks',
    },
    { name: 'handoff in the engine: wall time for the whole run', value: Math.round(ms), unit: 'ms' },
  ];
}
