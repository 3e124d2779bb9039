import { z } from 'zod';
import { LIMITS } from '../../scenario/limits';
import { EXCHANGES, GOSSIP_MODES, MAX_REPLICAS, ROUND_KINDS } from './constants';

export type { Exchange, GossipMode, RoundKind } from './constants';

/**
 * The gossip architecture's configuration. Imports only zod and the limits (the scenario
 * schema imports this file, not the other way round).
 */

const ReplicaId = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a replica id is a letter followed by letters, digits, _ or -');

export const GossipConfigSchema = z
  .strictObject({
    kind: z.literal('gossip'),
    /** The replicas (the membership every replica knows). Adding or removing one is a `configure`. */
    replicas: z.array(ReplicaId).min(1).max(MAX_REPLICAS),
    /**
     * How `get/set/delete/update` resolve conflicts: the reference's per-key counters, a
     * last-writer-wins map (hybrid Lamport clock, replica-id tiebreak) or multi-value registers
     * on version vectors. Counters and sets are CRDTs in every mode but the reference.
     */
    mode: z.enum(GOSSIP_MODES),
    exchange: z.enum(EXCHANGES),
    /** Peers each replica contacts per round. */
    fanout: z.number().int().min(1).max(8),
    /**
     * Ticks between rounds. Keep it at least the link latency: then a round is the synchronous
     * round of the literature (news travels one hop per round). The scenario's network is not
     * visible here; the controls refuse a period below the latency and the view warns.
     */
    period: z.number().int().min(1).max(10_000),
    /**
     * synchronous: every replica gossips at the round's tick with its state as of that tick.
     * sequential: the reference's loop, replicas take turns within the round and send what they
     * hold now, so news can travel several hops in one round.
     */
    round: z.enum(ROUND_KINDS),
    /** agent → replica. Agents not listed: agentN goes to replicas[(N-1) mod n] (see route). */
    attach: z.record(ReplicaId, ReplicaId).optional(),
  })
  .refine((c) => new Set(c.replicas).size === c.replicas.length, 'replica ids must be distinct')
  .refine((c) => c.fanout < Math.max(2, c.replicas.length), 'the fanout must be below the number of replicas');

export type GossipConfig = z.infer<typeof GossipConfigSchema>;
