import type { Action, AgentSpec, Scenario, Workload } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/limits';
import type { World } from '../../engine/types';
import { dictGet, dictKeys } from '../../core/dict';
import { replicasOf } from './placement';
import type { PartitionedConfig } from './config';
import { defaultPartitionedConfig } from './constants';
import { COORDINATOR, type CoordState, type ShardState } from './partitioned';

/** Scenario helpers for the partitioned store's tests (never bundled). */

export function cfg(over: Partial<PartitionedConfig> = {}): PartitionedConfig {
  return { ...defaultPartitionedConfig(3), ...over };
}

export function randomWorkload(keys: string[], interval = 3, mix = { get: 3, set: 3, delete: 1, update: 1 }): Workload {
  return { kind: 'random', keys, interval, mix };
}

export function scenario(
  config: PartitionedConfig,
  agents: AgentSpec[],
  actions: Action[],
  opts: {
    seed?: number;
    duration?: number;
    latency?: number;
    jitter?: number;
    loss?: number;
    duplication?: number;
  } = {},
): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'partitioned test',
    seed: opts.seed ?? 1,
    duration: opts.duration ?? 200,
    architecture: config,
    network: {
      latency: opts.latency ?? 1,
      jitter: opts.jitter ?? 0,
      loss: opts.loss ?? 0,
      duplication: opts.duplication ?? 0,
    },
    agents,
    actions: [...actions].sort((a, b) => a.tick - b.tick),
  };
}

export function agents(n: number, workload: Workload, timeout = 60, retryEvery = 0): AgentSpec[] {
  return Array.from({ length: n }, (_, i) => ({ id: `agent${i + 1}`, workload, timeout, retryEvery }));
}

export function coord(w: World): CoordState {
  return dictGet(w.servers, COORDINATOR)!.state as CoordState;
}

export function shards(w: World): ShardState[] {
  return dictKeys(w.servers)
    .filter((id) => id !== COORDINATOR)
    .map((id) => w.servers[id]!.state as ShardState);
}

/**
 * What every shard actually holds, against the coordinator's placement: each key held only
 * by its authoritative replicas, or by a shard in a visible handoff (a move in progress or a
 * drop not yet acknowledged). Returns the violations.
 */
export function strayCopies(w: World): string[] {
  const c = coord(w);
  const problems: string[] = [];
  for (const sh of shards(w)) {
    for (const key of dictKeys(sh.data)) {
      const pid = dictGet(c.keys, key);
      if (pid === undefined) {
        problems.push(`${sh.id} holds ${JSON.stringify(key)}, which the coordinator never placed`);
        continue;
      }
      const auth = replicasOf(key, c.placements[pid]!);
      if (auth.includes(sh.id)) continue;
      const mv = dictGet(c.moves, key);
      if (mv && replicasOf(key, c.placements[mv.to]!).includes(sh.id)) continue;
      if (c.drops.some((d) => d.key === key && d.shard === sh.id)) continue;
      problems.push(`${sh.id} holds ${JSON.stringify(key)} outside any handoff (owners: ${auth.join(', ')})`);
    }
  }
  return problems;
}

/** The value the coordinator's authoritative replicas hold for a key (highest version). */
export function storedValue(w: World, key: string): { v: unknown; ver: number } | null {
  const c = coord(w);
  const pid = dictGet(c.keys, key);
  if (pid === undefined) return null;
  let best: { v: unknown; ver: number } | null = null;
  for (const id of replicasOf(key, c.placements[pid]!)) {
    const sh = dictGet(w.servers, id)?.state as ShardState | undefined;
    const e = sh ? dictGet(sh.data, key) : undefined;
    if (e && (!best || e.ver > best.ver)) best = { v: e.v, ver: e.ver };
  }
  return best;
}

export { cfg as partitionedConfig };
