import type { Scenario, World } from '../../sim/index';

/** What the event-sourcing panels show, copied out of the world (plain data; see ../view.ts). */
export interface EventSourcingView {
  kind: 'event-sourcing';
}

export function buildEventSourcingView(_w: World, _s: Scenario): EventSourcingView {
  return { kind: 'event-sourcing' };
}
