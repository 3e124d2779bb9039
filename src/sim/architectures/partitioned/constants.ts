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
