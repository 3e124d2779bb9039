import { countText } from '../state/format';
import { useId, useRef, useState } from 'react';
import { downloadText } from './download';
import type { ChangeEvent } from 'react';
import { MAX_INFLATED_BYTES } from '../sim/scenario/codec';
import {
  describeError,
  describeMismatch,
  exportContent,
  exportFilename,
  importText,
  linkForEnvelope,
} from '../state/share';
import type { Envelope, Mismatch } from '../state/share';
import { embedSnippet } from '../state/shareKeys';
import { QrDialog } from './QrDialog';
import './share.css';
import { ModalDialog } from './useModal';

/**
 * Sharing, in the header: "Copy link", "Show QR code", "Export", "Import". Presentational:
 * it is handed the current envelope (scenario, cursor tick, world hash) on demand and a
 * callback for an imported one; the decoding is src/state/share.ts over the engine's codec.
 *
 * One alert region (role=alert) carries every error (a bad file here, a bad link the page
 * was opened with, passed in as `error`); a status region says what went right. Names and
 * messages are text nodes, never HTML.
 */

export interface SharePanelProps {
  /** The envelope of what is on screen now (scenario at the cursor, with its world hash). */
  getEnvelope: () => Envelope;
  /** An imported file's envelope, already decoded and checked: load it. */
  onImport: (envelope: Envelope) => void;
  /** An error from outside the panel (the link the page opened with), or null. */
  error?: string | null;
  onDismissError?: () => void;
  /** The page's address; defaults to location.href. */
  baseUrl?: string;
}

export function SharePanel({ getEnvelope, onImport, error = null, onDismissError, baseUrl }: SharePanelProps) {
  const ids = useId();
  const [link, setLink] = useState<string | null>(null);
  const [snippet, setSnippet] = useState('');
  const [status, setStatus] = useState('');
  const [ownError, setOwnError] = useState<string | null>(null);
  const [qrOpen, setQrOpen] = useState(false);
  const [embedOpen, setEmbedOpen] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const shown = ownError ?? error;

  const currentLink = (): string | null => {
    try {
      const env = getEnvelope();
      const l = linkForEnvelope(env, baseUrl ?? window.location.href);
      setLink(l);
      setSnippet(embedSnippet(l, env.scenario.name));
      return l;
    } catch (e) {
      setOwnError(`The link could not be made: ${(e as Error).message}`);
      return null;
    }
  };

  const selectField = (): void => {
    const f = field.current;
    if (!f) return;
    f.focus();
    f.select();
  };

  async function copyLink(): Promise<void> {
    setOwnError(null);
    const l = currentLink();
    if (!l) return;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(l);
      setStatus(
        `Link copied (${countText(l.length)} characters). Anyone who opens it sees this scenario at this tick.`,
      );
    } catch {
      setStatus(
        'Copying is not allowed here: the link is selected in the "Share link" field; copy it with Ctrl+C (⌘C on a Mac).',
      );
      // The field renders with the new link on the next frame.
      requestAnimationFrame(selectField);
    }
  }

  function showQr(): void {
    setOwnError(null);
    if (currentLink()) setQrOpen(true);
  }

  function showEmbed(): void {
    setOwnError(null);
    if (currentLink()) setEmbedOpen(true);
  }

  async function copySnippet(): Promise<void> {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(snippet);
      setStatus('Embed code copied: paste it into the course page’s HTML.');
    } catch {
      setStatus('Copying is not allowed here: select the embed code and copy it with Ctrl+C (⌘C on a Mac).');
    }
  }

  function exportFile(): void {
    setOwnError(null);
    let env: Envelope;
    try {
      env = getEnvelope();
    } catch (e) {
      setOwnError(`The scenario could not be exported: ${(e as Error).message}`);
      return;
    }
    const name = exportFilename(env.scenario, env.tick);
    downloadText(name, exportContent(env), 'application/json');
    setStatus(`Exported as ${name}.`);
  }

  async function importFile(e: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setOwnError(null);
    onDismissError?.();
    if (file.size > MAX_INFLATED_BYTES) {
      setOwnError(
        `This file could not be imported: it is larger than ${countText(MAX_INFLATED_BYTES)} bytes. Your work is unchanged.`,
      );
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setOwnError('This file could not be imported: it could not be read. Your work is unchanged.');
      return;
    }
    const d = importText(text);
    if (!d.ok) {
      setOwnError(`${describeError(d.error, 'file')} Your work is unchanged.`);
      return;
    }
    onImport(d.envelope);
    setStatus(`Imported "${d.envelope.scenario.name}" at tick ${d.envelope.tick}.`);
  }

  return (
    <div className="share" role="group" aria-label="Share">
      <div className="share-buttons">
        <button type="button" onClick={() => void copyLink()}>
          Copy link
        </button>
        <button type="button" onClick={showQr}>
          Show QR code
        </button>
        <button type="button" onClick={showEmbed} aria-haspopup="dialog">
          Embed
        </button>
        <button type="button" onClick={exportFile}>
          Export
        </button>
        <label className="share-import" htmlFor={`${ids}-file`}>
          Import
          <input
            ref={fileInput}
            id={`${ids}-file`}
            className="sr-only"
            type="file"
            accept=".json,application/json"
            aria-label="Import scenario file"
            onChange={(e) => void importFile(e)}
          />
        </label>
      </div>
      {link !== null && (
        <div className="share-link">
          <label htmlFor={`${ids}-link`}>Share link</label>
          <input
            ref={field}
            id={`${ids}-link`}
            type="text"
            readOnly
            value={link}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      )}
      <p role="status" className="share-status">
        {status}
      </p>
      <div role="alert" className="share-alert">
        {shown && (
          <>
            <span>{shown}</span>{' '}
            <button
              type="button"
              className="quiet"
              onClick={() => {
                setOwnError(null);
                onDismissError?.();
              }}
            >
              Dismiss
            </button>
          </>
        )}
      </div>
      <QrDialog open={qrOpen} link={link ?? ''} onClose={() => setQrOpen(false)} />
      <ModalDialog
        open={embedOpen}
        onClose={() => setEmbedOpen(false)}
        className="share-dialog embed-dialog"
        title="Embed on a course page"
      >
        <p id={`${ids}-embed-hint`} className="hint">
          Paste this into the course page’s HTML: what is on screen now plays there, at this tick, with the diagram, its
          lesson if it has one, and the timeline, and a link back to StateLab.
        </p>
        <label htmlFor={`${ids}-embed`}>Embed code</label>
        <textarea
          id={`${ids}-embed`}
          readOnly
          rows={4}
          value={snippet}
          aria-describedby={`${ids}-embed-hint`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <p>
          <button type="button" onClick={() => void copySnippet()}>
            Copy embed code
          </button>
        </p>
      </ModalDialog>
    </div>
  );
}

/** The replay check failed: said plainly, with both hashes, never hidden. */
export function MismatchNotice({ mismatch, onDismiss }: { mismatch: Mismatch | null; onDismiss: () => void }) {
  if (!mismatch) return null;
  return (
    <section className="share-mismatch" aria-labelledby="mismatch-h">
      <h2 id="mismatch-h">This replay differs from the link</h2>
      <p>{describeMismatch(mismatch)}</p>
      <details>
        <summary>Full hashes</summary>
        <p>
          Recorded: <code className="hash-full">{mismatch.recorded}</code>
        </p>
        <p>
          Replayed here: <code className="hash-full">{mismatch.replayed}</code>
        </p>
      </details>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}
