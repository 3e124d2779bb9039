import { lazy, Suspense, useState } from 'react';
import type { WorldView } from '../state/view';
import { useLab } from './context';

/**
 * Where disks and backups appear: a section of the Act panel (closed until a scenario uses
 * durability, so the first page does not load it) and the backup timeline in Inspect.
 */
const DurabilityControls = lazy(() => import('./DurabilityPanels').then((m) => ({ default: m.DurabilityControls })));
const BackupTimeline = lazy(() => import('./DurabilityPanels').then((m) => ({ default: m.BackupTimeline })));

function Loading() {
  return (
    <p className="hint" role="status">
      Loading…
    </p>
  );
}

export function DurabilityControlsHost({ disabled }: { disabled: boolean }) {
  const view = useLab((s) => s.panelView.durability);
  const servers = useLab((s) => s.panelView.servers);
  const tick = useLab((s) => s.panelView.tick);
  const actions = useLab((s) => s.actions);
  const [opened, setOpened] = useState(false);
  const open = opened || view !== null;
  return (
    <details className="more" open={open} onToggle={(e) => setOpened((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Disks, backups and restore</summary>
      {open && (
        <Suspense fallback={<Loading />}>
          <DurabilityControls view={view} servers={servers} tick={tick} actions={actions} disabled={disabled} />
        </Suspense>
      )}
    </details>
  );
}

export function BackupTimelineHost({ view }: { view: WorldView }) {
  if (!view.durability) return null;
  return (
    <Suspense fallback={<Loading />}>
      <BackupTimeline view={view.durability} end={view.end} cursor={view.tick} />
    </Suspense>
  );
}
