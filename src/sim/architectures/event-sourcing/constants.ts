import type { EventSourcingConfig } from './config';

/**
 * The event-sourcing architecture's names and defaults, without the schema validator: the
 * engine and the panels import these, and config.ts (zod) loads only with the validator.
 */

export const LOG = 'log';

/** Event types a projection may subscribe to (the reference's subscribe(event_type)). */
export const EVENT_TYPES = [
  'key_set',
  'key_deleted',
  'counter_incremented',
  'update_position',
  'change_status',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const MAX_PROJECTIONS = 8;

export function defaultEventSourcingConfig(): EventSourcingConfig {
  return {
    kind: 'event-sourcing',
    projections: [
      { id: 'proj1', types: [] },
      { id: 'proj2', types: [] },
    ],
    defaultProjection: 'proj1',
    delivery: 'pull',
    pullEvery: 5,
    batch: 20,
    view: 'snapshot',
    snapshotEvery: 10,
    readYourWrites: false,
  };
}
