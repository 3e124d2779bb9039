import { useState } from 'react';
import { useStore } from 'zustand';
import { architectures } from '../sim/architectures/registry';
import { countText } from '../state/format';
import type { RecentWork, WorkEntry } from '../state/recentWork';
import { downloadText } from './download';
import { ModalDialog } from './useModal';

/**
 * Recent work (src/state/recentWork.ts): every scenario this browser's tabs worked on, newest
 * first, each with Open and Delete (with Undo), and Export all. Entries this version cannot
 * read are listed with why; they can be exported or deleted, never opened over.
 */

const TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

function archLabel(kind: string): string {
  return (architectures as Record<string, { label: string } | undefined>)[kind]?.label ?? kind;
}

function EntryRow({
  e,
  mine,
  current,
  onOpen,
  onDelete,
}: {
  e: WorkEntry;
  mine: boolean;
  current: boolean;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const where = current ? 'open here' : mine ? 'this tab' : 'another tab';
  return (
    <li className={`recent-entry${e.problem ? ' recent-unreadable' : ''}`} aria-label={e.name}>
      <div className="recent-what">
        <span className="recent-name">{e.name}</span>
        <span className="hint">
          {[
            e.arch ? archLabel(e.arch) : 'architecture unknown',
            e.tick !== null ? `tick ${countText(e.tick)}` : null,
            e.savedAt > 0 ? TIME.format(e.savedAt) : 'time unknown',
            where,
            `${countText(Math.max(1, Math.round(e.bytes / 1024)))} KB`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
        {e.problem && <span className="recent-problem">Cannot be opened: {e.problem}. It is kept as it is.</span>}
      </div>
      <div className="recent-buttons">
        <button type="button" onClick={onOpen} disabled={e.problem !== null || current}>
          Open<span className="sr-only"> “{e.name}”</span>
        </button>
        <button type="button" onClick={onDelete}>
          Delete<span className="sr-only"> “{e.name}”</span>
        </button>
      </div>
    </li>
  );
}

export function RecentWorkDialog({
  recent,
  open,
  onClose,
  onOpen,
}: {
  recent: RecentWork;
  open: boolean;
  onClose: () => void;
  onOpen: (id: string) => void;
}) {
  const entries = useStore(recent.store, (s) => s.entries);
  const current = useStore(recent.store, (s) => s.current);
  const deleted = useStore(recent.store, (s) => s.deleted);
  const problem = useStore(recent.store, (s) => s.problem);
  const [status, setStatus] = useState('');

  async function exportAll(): Promise<void> {
    const text = await recent.exportAll();
    const name = `statelab-recent-work-${entries.length}.json`;
    downloadText(name, text, 'application/json');
    setStatus(`Exported ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} as ${name}.`);
  }

  return (
    <ModalDialog open={open} onClose={onClose} className="share-dialog recent-dialog" title="Recent work">
      <p className="hint">
        Kept in this browser: each tab’s work on each scenario, saved as you go. Opening something never replaces it.
      </p>
      {problem && (
        <p role="alert" className="notice notice-error">
          {problem}
        </p>
      )}
      {entries.length === 0 ? (
        <p>Nothing saved yet: change a scenario and it appears here.</p>
      ) : (
        <ul className="recent-list" aria-label="Saved work">
          {entries.map((e) => (
            <EntryRow
              key={e.id}
              e={e}
              mine={e.tab === recent.tab}
              current={e.id === current}
              onOpen={() => {
                onOpen(e.id);
                onClose();
              }}
              onDelete={() => {
                void recent.remove(e.id).then(() => setStatus(''));
              }}
            />
          ))}
        </ul>
      )}
      <p role="status" className="recent-status">
        {deleted ? (
          <>
            Deleted “{deleted.entry.name}”.{' '}
            <button type="button" onClick={() => void recent.undoRemove()}>
              Undo
            </button>
          </>
        ) : (
          status
        )}
      </p>
      <div className="share-dialog-buttons">
        <button type="button" onClick={() => void exportAll()} disabled={entries.length === 0}>
          Export all
        </button>
      </div>
    </ModalDialog>
  );
}

/** The header's "Recent work" button and its dialog. */
export function RecentWorkButton({ recent, onOpen }: { recent: RecentWork; onOpen: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => {
          void recent.refresh();
          setOpen(true);
        }}
      >
        Recent work
      </button>
      <RecentWorkDialog recent={recent} open={open} onClose={() => setOpen(false)} onOpen={onOpen} />
    </>
  );
}
