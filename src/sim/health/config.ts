import { z } from 'zod';
import { FALLBACKS } from './constants';

/**
 * The scenario's optional `health` section: heartbeats and a failure detector. Imports only
 * zod and the constants (the scenario schema imports this file, not the other way round).
 */

const Period = z.number().int().min(1).max(1_000);

export const HealthConfigSchema = z.discriminatedUnion('detector', [
  z
    .strictObject({
      /** Ticks between heartbeats (and between the observer's checks). */
      period: Period,
      detector: z.literal('timeout'),
      /** Ticks without a fresh heartbeat before the target is suspected. */
      suspectAfter: z.number().int().min(1).max(100_000),
      /** Ticks without a fresh heartbeat before it is marked down (at least suspectAfter). */
      downAfter: z.number().int().min(1).max(100_000),
    })
    .refine((c) => c.downAfter >= c.suspectAfter, 'downAfter must be at least suspectAfter'),
  z
    .strictObject({
      period: Period,
      /** φ accrual (Hayashibara et al.), exponential inter-arrivals: φ = silence / (mean · ln 10). */
      detector: z.literal('phi'),
      /** φ at which the target is suspected (8 is Cassandra's default for "convict"). */
      suspect: z.number().min(0.1).max(100),
      /** φ at which it is marked down (at least suspect). */
      down: z.number().min(0.1).max(100),
      /** How many inter-arrival times the mean is taken over. */
      window: z.number().int().min(1).max(1_000),
    })
    .refine((c) => c.down >= c.suspect, 'down must be at least suspect'),
]);
export type HealthConfig = z.infer<typeof HealthConfigSchema>;

export const FallbackSchema = z.enum(FALLBACKS);
