import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario/builtins';
import { linkFor } from '../state/share';
import { QR_MAX_BYTES, qrFor } from './QrDialog';

describe('qrFor', () => {
  it('encodes the default scenario link at error correction M', () => {
    const link = linkFor(defaultScenario(), 180, 'https://owner.github.io/statelab/');
    const qr = qrFor(link);
    expect(qr.ok).toBe(true);
    if (!qr.ok) return;
    expect(qr.ecc).toBe('M');
    expect(qr.size).toBe(17 + 4 * qr.version);
    expect(qr.path).toMatch(/^M\d+ \d+h\d+v1h-\d+z/);
    console.info(
      `default link ${link.length} chars -> QR version ${qr.version}, ${qr.size}x${qr.size} modules, ecc ${qr.ecc}`,
    );
  });

  it('says plainly when a link is too long', () => {
    const qr = qrFor(`https://x.test/#s=z:${'A'.repeat(QR_MAX_BYTES)}`);
    expect(qr.ok).toBe(false);
    if (!qr.ok) expect(qr.reason).toMatch(/too long for a QR code/);
  });

  it('falls back to level L near the limit', () => {
    const qr = qrFor('a'.repeat(2900));
    expect(qr.ok && qr.ecc).toBe('L');
  });
});
