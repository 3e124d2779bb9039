import { z } from 'zod';
import { LIMITS } from '../../scenario/limits';
import { EVENT_TYPES, LOG, MAX_PROJECTIONS } from './constants';

export type { EventType } from './constants';

/**
 * The event-sourcing configuration. Kept apart from scenario/schema.ts (which imports it) so
 * the architecture can read its own type without a cycle.
 */

const ProjectionId = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a node id is a letter followed by letters, digits, _ or -')
  .refine((id) => id !== LOG, `"${LOG}" is the log's id, not a projection's`);

export const EventSourcingConfigSchema = z.strictObject({
  kind: z.literal('event-sourcing'),
  /** The read models, each a node; `types` empty: every event type. */
  projections: z
    .array(z.strictObject({ id: ProjectionId, types: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length) }))
    .max(MAX_PROJECTIONS)
    .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'projection ids must be different'),
  /** Where an agent's read goes when it names no projection: a projection's id, or "log". */
  defaultProjection: z.string().min(1).max(LIMITS.idLength),
  /** pull: projections ask for events every `pullEvery` ticks; push: the log sends each append to its subscribers (and they still pull, to repair what the network lost). */
  delivery: z.enum(['pull', 'push']),
  pullEvery: z.number().int().min(1).max(1_000),
  /** At most this many events per transfer (an atomic batch is never split, so one may carry more). */
  batch: z.number().int().min(1).max(1_000),
  /** rebuild: the reference's StateView (replays the whole log whenever it moved); snapshot: apply each event once and save the state every `snapshotEvery` events. */
  view: z.enum(['rebuild', 'snapshot']),
  snapshotEvery: z.number().int().min(1).max(100_000),
  /** A projection answers an agent's read only once it has applied that agent's last append (read-your-writes; costs a round trip to the log). */
  readYourWrites: z.boolean(),
});
export type EventSourcingConfig = z.infer<typeof EventSourcingConfigSchema>;
