import { useShare } from './shareContext';
import { LinkConflictDialog, MismatchNotice, RestorePrevious, SharePanel } from './SharePanel';

/** Copy link, Show QR code, Export, Import, and previous work. */
export function ShareTools() {
  const actions = useShare((s) => s.actions);
  const error = useShare((s) => s.error);
  const previous = useShare((s) => s.previous);
  return (
    <>
      <SharePanel
        getEnvelope={actions.current}
        onImport={actions.openEnvelope}
        error={error}
        onDismissError={actions.dismissError}
      />
      <RestorePrevious name={previous} onRestore={actions.restorePrevious} />
    </>
  );
}

/** The replay-mismatch notice and the "open this link over your work?" question. */
export function ShareNoticesInner() {
  const actions = useShare((s) => s.actions);
  const mismatch = useShare((s) => s.mismatch);
  const conflict = useShare((s) => s.conflict);
  return (
    <>
      <MismatchNotice mismatch={mismatch} onDismiss={actions.dismissMismatch} />
      <LinkConflictDialog
        open={conflict !== null}
        linkName={conflict?.link.scenario.name ?? ''}
        savedName={conflict?.saved.scenario.name ?? ''}
        onOpenLink={() => actions.resolveConflict('open-link')}
        onKeepWorking={() => actions.resolveConflict('keep-working')}
      />
    </>
  );
}
