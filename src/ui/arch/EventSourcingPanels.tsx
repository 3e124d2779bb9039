import type { EventSourcingView } from '../../state/arch/eventSourcing';
import type { LabActions } from '../../state/store';

/** The event-sourcing diagram, shown under the topology. */
export function EventSourcingDiagram(_props: { view: EventSourcingView; actions: LabActions }) {
  return null;
}

/** The event-sourcing controls, in the Act panel. */
export function EventSourcingControls(_props: { view: EventSourcingView; actions: LabActions; disabled: boolean }) {
  return null;
}
