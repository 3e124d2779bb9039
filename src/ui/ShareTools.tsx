import { useStore } from 'zustand';
import type { RecentWork } from '../state/recentWork';
import { useShare } from './shareContext';
import { MismatchNotice, SharePanel } from './SharePanel';
import { RecentWorkButton } from './RecentWork';

/** Copy link, Show QR code, Export, Import, and Recent work. */
export function ShareTools() {
  const actions = useShare((s) => s.actions);
  const error = useShare((s) => s.error);
  const recent = useShare((s) => s.recent);
  return (
    <>
      <SharePanel
        getEnvelope={actions.current}
        onImport={actions.openEnvelope}
        error={error}
        onDismissError={actions.dismissError}
      />
      {recent && <RecentWorkButton recent={recent} onOpen={(id) => void actions.openRecent(id)} />}
    </>
  );
}

function StorageProblem({ recent }: { recent: RecentWork }) {
  const problem = useStore(recent.store, (s) => s.problem);
  if (!problem) return null;
  return (
    <p role="alert" className="notice notice-error">
      {problem}
    </p>
  );
}

/** The replay-mismatch notice, what the page opened when it could open two things, and a full storage. */
export function ShareNoticesInner() {
  const actions = useShare((s) => s.actions);
  const mismatch = useShare((s) => s.mismatch);
  const info = useShare((s) => s.info);
  const recent = useShare((s) => s.recent);
  return (
    <>
      <MismatchNotice mismatch={mismatch} onDismiss={actions.dismissMismatch} />
      {info && (
        <p role="status" className="notice share-info">
          {info}{' '}
          <button type="button" className="quiet" onClick={actions.dismissInfo}>
            Dismiss
          </button>
        </p>
      )}
      {recent && <StorageProblem recent={recent} />}
    </>
  );
}
