import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ShareState, ShareStore } from '../state/shareSession';
import { LinkConflictDialog, MismatchNotice, RestorePrevious, SharePanel } from './SharePanel';

/** The sharing session (src/state/shareSession.ts), handed down beside the lab store. */
export const ShareContext = createContext<ShareStore | null>(null);

function useShareStore(): ShareStore {
  const s = useContext(ShareContext);
  if (!s) throw new Error('ShareContext is missing: render inside <ShareContext.Provider>');
  return s;
}

export function useShare<T>(selector: (s: ShareState) => T): T {
  return useStore(useShareStore(), selector);
}

/** The header's share tools; nothing where no sharing session is provided (test pages). */
export function ShareControls() {
  return useContext(ShareContext) ? <ShareTools /> : null;
}

/** Notices of the sharing session; nothing where none is provided. */
export function ShareNotices() {
  return useContext(ShareContext) ? <ShareNoticesInner /> : null;
}

/** Copy link, Show QR code, Export, Import, and previous work. */
function ShareTools() {
  const actions = useShare((s) => s.actions);
  const error = useShare((s) => s.error);
  const previous = useShare((s) => s.previous);
  return (
    <>
      <SharePanel getEnvelope={actions.current} onImport={actions.openEnvelope} error={error} onDismissError={actions.dismissError} />
      <RestorePrevious name={previous} onRestore={actions.restorePrevious} />
    </>
  );
}

/** The replay-mismatch notice and the "open this link over your work?" question. */
function ShareNoticesInner() {
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
