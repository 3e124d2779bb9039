import type { Scenario, World } from '../../sim/index';
import { buildEventSourcingView, type EventSourcingView } from './eventSourcing';
import { buildPartitionedView, type PartitionedView } from './partitioned';
import { buildGossipView, type GossipView } from './gossip';

/**
 * Each architecture's own view (the event tape, the shards, the version vectors), beside the
 * generic one of ../view.ts. Built per frame from the world at the cursor, so each builder
 * copies out bounded plain data and keeps nothing that points into the world.
 */
export type ArchView = EventSourcingView | PartitionedView | GossipView;

export function buildArchView(w: World, s: Scenario): ArchView | null {
  // A string switch: an architecture's kind joins the scenario schema when it is registered.
  switch (w.arch.kind as string) {
    case 'event-sourcing':
      return buildEventSourcingView(w, s);
    case 'partitioned':
      return buildPartitionedView(w, s);
    case 'gossip':
      return buildGossipView(w, s);
    default:
      return null;
  }
}
