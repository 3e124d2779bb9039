import type { ArchView } from '../../state/arch/index';
import type { LabActions } from '../../state/store';
import { useLab } from '../context';
import { EventSourcingControls, EventSourcingDiagram } from './EventSourcingPanels';
import { PartitionedControls, PartitionedDiagram } from './PartitionedPanels';
import { GossipControls, GossipDiagram } from './GossipPanels';

/** The diagram region's architecture part: read every frame, as the topology is. */
export function ArchDiagramHost() {
  const view = useLab((s) => s.view.arch);
  const actions = useLab((s) => s.actions);
  return <ArchDiagram view={view} actions={actions} />;
}

/** The Act panel's architecture part: read from the panels' view, like the other panels. */
export function ArchControlsHost({ disabled }: { disabled: boolean }) {
  const view = useLab((s) => s.panelView.arch);
  const actions = useLab((s) => s.actions);
  return <ArchControls view={view} actions={actions} disabled={disabled} />;
}

/** The architecture's own diagram, under the topology (none for the centralized store). */
export function ArchDiagram({ view, actions }: { view: ArchView | null; actions: LabActions }) {
  if (!view) return null;
  switch (view.kind) {
    case 'event-sourcing':
      return <EventSourcingDiagram view={view} actions={actions} />;
    case 'partitioned':
      return <PartitionedDiagram view={view} actions={actions} />;
    case 'gossip':
      return <GossipDiagram view={view} actions={actions} />;
  }
}

/** The architecture's own controls, in the Act panel. */
export function ArchControls({ view, actions, disabled }: { view: ArchView | null; actions: LabActions; disabled: boolean }) {
  if (!view) return null;
  switch (view.kind) {
    case 'event-sourcing':
      return <EventSourcingControls view={view} actions={actions} disabled={disabled} />;
    case 'partitioned':
      return <PartitionedControls view={view} actions={actions} disabled={disabled} />;
    case 'gossip':
      return <GossipControls view={view} actions={actions} disabled={disabled} />;
  }
}
