import { countText } from '../state/format';
import { useMemo } from 'react';
import { encode } from 'uqr';
import { ModalDialog } from './useModal';

/** The most bytes a QR code holds (version 40, error correction L, byte mode). */
export const QR_MAX_BYTES = 2953;
/** Quiet zone around the code, in modules (the standard asks for 4). */
const QUIET = 4;

export type QrResult =
  { ok: true; size: number; version: number; ecc: 'M' | 'L'; path: string } | { ok: false; reason: string };

/**
 * The QR code of a text as one SVG path (a unit square per dark module), at the strongest
 * error correction that fits: M when it can (a projector's glare costs modules), else L.
 */
export function qrFor(text: string): QrResult {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > QR_MAX_BYTES) {
    return {
      ok: false,
      reason: `This link is too long for a QR code (${countText(bytes)} characters; a QR code holds at most ${countText(QR_MAX_BYTES)}). Share it with "Copy link" or "Export" instead.`,
    };
  }
  for (const ecc of ['M', 'L'] as const) {
    try {
      const qr = encode(text, { ecc, border: 0 });
      let path = '';
      qr.data.forEach((row, y) => {
        let x = 0;
        while (x < row.length) {
          if (!row[x]) {
            x++;
            continue;
          }
          const start = x;
          while (x < row.length && row[x]) x++;
          path += `M${start + QUIET} ${y + QUIET}h${x - start}v1h${start - x}z`;
        }
      });
      return { ok: true, size: qr.size, version: qr.version, ecc, path };
    } catch {
      // Too long at this level: try a lower one.
    }
  }
  return { ok: false, reason: 'This link is too long for a QR code. Share it with "Copy link" or "Export" instead.' };
}

/** The QR code as SVG elements: black on white whatever the theme, crisp edges, a quiet zone. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const qr = useMemo(() => qrFor(text), [text]);
  if (!qr.ok) return <p className="qr-too-long">{qr.reason}</p>;
  const full = qr.size + 2 * QUIET;
  return (
    <figure className="qr-figure">
      <svg className="qr" viewBox={`0 0 ${full} ${full}`} role="img" aria-label={label} shapeRendering="crispEdges">
        <rect x={0} y={0} width={full} height={full} fill="#ffffff" />
        <path d={qr.path} fill="#000000" />
      </svg>
      <figcaption className="hint">
        QR version {qr.version}, {qr.size} × {qr.size} modules, error correction {qr.ecc}.
      </figcaption>
    </figure>
  );
}

/** "Show QR code": the current link, as large as the screen allows, in a native modal dialog. */
export function QrDialog({ open, link, onClose }: { open: boolean; link: string; onClose: () => void }) {
  return (
    <ModalDialog open={open} onClose={onClose} className="share-dialog qr-dialog" title="QR code of this link">
      {open && link && <QrCode text={link} label="QR code of the share link" />}
      <p className="hint">Scan it with a phone camera to open this scenario at this tick.</p>
    </ModalDialog>
  );
}
