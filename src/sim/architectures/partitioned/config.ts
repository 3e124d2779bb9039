import { z } from 'zod';
import { LIMITS } from '../../scenario/limits';
import { MAX_SHARDS } from './constants';

export { MAX_SHARDS, defaultPartitionedConfig } from './constants';

/**
 * The partitioned store's configuration. Imports only zod and the limits: the scenario
 * schema imports this, not the other way round.
 */

const ShardId = z
  .string()
  .regex(/^shard[0-9]{1,3}$/, 'a shard id is "shard" followed by a number')
  .max(LIMITS.idLength);

export const PartitionedConfigSchema = z
  .strictObject({
    kind: z.literal('partitioned'),
    /** The shards that own keys, in placement order (md5-mod and ranges index into it). */
    shards: z.array(ShardId).min(1).max(MAX_SHARDS),
    /** Removed shards that still exist until their keys have been handed off. */
    retired: z.array(ShardId).max(MAX_SHARDS),
    strategy: z.enum(['md5-mod', 'ranges', 'consistent']),
    /** Virtual nodes per shard on the consistent-hashing ring. */
    vnodes: z.number().int().min(1).max(200),
    /** Replication factor N, read quorum R, write quorum W (each capped by the shard count). */
    replication: z.number().int().min(1).max(5),
    readQuorum: z.number().int().min(1).max(5),
    writeQuorum: z.number().int().min(1).max(5),
    /** ABD: a read writes what it returns back to a write quorum before answering. */
    readWriteBack: z.boolean(),
    /** How a multi-key update spanning shards is applied. */
    crossShard: z.enum(['naive', '2pc']),
    /** What get_all does when a shard does not answer. */
    getAll: z.enum(['partial', 'fail']),
    /** Ticks the coordinator waits for replicas before giving up on an operation. */
    opTimeout: z.number().int().min(2).max(10_000),
    /**
     * handoff: keys move to their new shards in visible steps, the old owner authoritative
     * until the new one acknowledges. none: the reference's behaviour (routing changes at once
     * and keys stay stranded on their old shards, so reads miss them).
     */
    rebalance: z.enum(['handoff', 'none']),
    /** Keys in handoff at once during rebalancing. */
    rebalanceBatch: z.number().int().min(1).max(64),
  })
  .refine(
    (c) => new Set([...c.shards, ...c.retired]).size === c.shards.length + c.retired.length,
    'a shard is listed twice',
  )
  .refine((c) => c.readQuorum <= c.replication && c.writeQuorum <= c.replication, 'R and W must be at most N');
export type PartitionedConfig = z.infer<typeof PartitionedConfigSchema>;
