import type { PartitionedConfig } from './config';

/**
 * The partitioned store's limits and defaults, without the schema validator: the engine, the
 * panels and the builtin scenario import these; config.ts (zod) loads only with the validator.
 */

export const MAX_SHARDS = 16;

export function defaultPartitionedConfig(shards = 3): PartitionedConfig {
  return {
    kind: 'partitioned',
    shards: Array.from({ length: shards }, (_, i) => `shard${i}`),
    retired: [],
    strategy: 'md5-mod',
    vnodes: 100,
    replication: 1,
    readQuorum: 1,
    writeQuorum: 1,
    readWriteBack: false,
    crossShard: 'naive',
    getAll: 'partial',
    opTimeout: 30,
    rebalance: 'handoff',
    rebalanceBatch: 4,
  };
}

/**
 * The configuration with one more shard, named `shardN` for the lowest N no current or
 * retired shard uses (a name is never reused while its old shard may still hold keys).
 */
export function withShardAdded(c: PartitionedConfig): PartitionedConfig {
  const used = new Set([...c.shards, ...c.retired]);
  let i = 0;
  while (used.has(`shard${i}`)) i++;
  return { ...c, shards: [...c.shards, `shard${i}`] };
}

/** The configuration with `shard` retired: it stays, draining, until its keys have moved. */
export function withShardRetired(c: PartitionedConfig, shard: string): PartitionedConfig {
  return { ...c, shards: c.shards.filter((s) => s !== shard), retired: [...c.retired, shard] };
}
