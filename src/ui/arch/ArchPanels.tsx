import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import type { ArchView } from '../../state/arch/index';
import type { LabActions } from '../../state/store';
import { useLab } from '../context';

/**
 * Each architecture's own panels load when its scenario first opens: a class that only ever
 * looks at the centralized store never downloads the event tape or the vector matrix (the
 * first page load has a budget; see bench/app.ts).
 */
const EventSourcingDiagram = lazy(() =>
  import('./EventSourcingPanels').then((m) => ({ default: m.EventSourcingDiagram })),
);
const EventSourcingControls = lazy(() =>
  import('./EventSourcingPanels').then((m) => ({ default: m.EventSourcingControls })),
);
const PartitionedDiagram = lazy(() => import('./PartitionedPanels').then((m) => ({ default: m.PartitionedDiagram })));
const PartitionedControls = lazy(() => import('./PartitionedPanels').then((m) => ({ default: m.PartitionedControls })));
const GossipDiagram = lazy(() => import('./GossipPanels').then((m) => ({ default: m.GossipDiagram })));
const GossipControls = lazy(() => import('./GossipPanels').then((m) => ({ default: m.GossipControls })));

/**
 * The diagram region's architecture part, read every frame as the topology is. With one, the
 * legend and the text version scroll with it (a 720 px projector has no room for both).
 */
export function ArchDiagramHost({ foot }: { foot: ReactNode }) {
  const view = useLab((s) => s.view.arch);
  const actions = useLab((s) => s.actions);
  if (!view) return foot;
  return (
    <div className="arch-pane">
      <ArchDiagram view={view} actions={actions} />
      {foot}
    </div>
  );
}

/** The Act panel's architecture part: read from the panels' view, like the other panels. */
export function ArchControlsHost({ disabled }: { disabled: boolean }) {
  const view = useLab((s) => s.panelView.arch);
  const actions = useLab((s) => s.actions);
  return <ArchControls view={view} actions={actions} disabled={disabled} />;
}

function Loading({ what }: { what: string }) {
  return (
    <p className="hint" role="status">
      Loading {what}…
    </p>
  );
}

/** The architecture's own diagram, under the topology (none for the centralized store). */
export function ArchDiagram({ view, actions }: { view: ArchView | null; actions: LabActions }) {
  if (!view) return null;
  return (
    <Suspense fallback={<Loading what="the diagram" />}>
      {view.kind === 'event-sourcing' ? (
        <EventSourcingDiagram view={view} actions={actions} />
      ) : view.kind === 'partitioned' ? (
        <PartitionedDiagram view={view} actions={actions} />
      ) : (
        <GossipDiagram view={view} actions={actions} />
      )}
    </Suspense>
  );
}

/** The architecture's own controls, in the Act panel. */
export function ArchControls({
  view,
  actions,
  disabled,
}: {
  view: ArchView | null;
  actions: LabActions;
  disabled: boolean;
}) {
  if (!view) return null;
  return (
    <Suspense fallback={<Loading what="the controls" />}>
      {view.kind === 'event-sourcing' ? (
        <EventSourcingControls view={view} actions={actions} disabled={disabled} />
      ) : view.kind === 'partitioned' ? (
        <PartitionedControls view={view} actions={actions} disabled={disabled} />
      ) : (
        <GossipControls view={view} actions={actions} disabled={disabled} />
      )}
    </Suspense>
  );
}
