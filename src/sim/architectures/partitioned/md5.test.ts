import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../core/fuzz.testkit';
import { SHORT_KEY_BYTES, md5ModShort, md5Short } from './md5';
import { bytesMod, digest, md5General, md5Mod } from './placement';

/** The specialised MD5 is the general one, and Node's, on every key it takes. */

const nodeMd5 = (key: string): Uint8Array => new Uint8Array(createHash('md5').update(key, 'utf8').digest());
const utf8Length = (key: string): number => new TextEncoder().encode(key).length;

// Keys around the one-block boundary, in every UTF-8 width, lone surrogates included.
const keys = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800', '-', '0'), minLength: 40, maxLength: 60 }),
);

describe('md5 for short keys', () => {
  it('equals the general MD5 and Node crypto, or declines (longer than a block, or a surrogate)', () => {
    fc.assert(
      fc.property(keys, (key) => {
        const short = md5Short(key);
        const general = md5General(key);
        if (short === null) {
          expect(utf8Length(key) > SHORT_KEY_BYTES || /[\ud800-\udfff]/.test(key)).toBe(true);
        } else {
          expect(utf8Length(key)).toBeLessThanOrEqual(SHORT_KEY_BYTES);
          expect([...short]).toEqual([...general]);
          expect([...short]).toEqual([...nodeMd5(key)]);
        }
        expect([...digest(key)]).toEqual([...general]);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('takes every short key without a surrogate', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (key) => {
        if (utf8Length(key) <= SHORT_KEY_BYTES && !/[\ud800-\udfff]/.test(key)) expect(md5Short(key)).not.toBeNull();
      }),
      { numRuns: runs(1000) },
    );
  });

  it("int(md5(key), 16) % n: the word-wise reduction equals the byte-wise one and Python's bigint arithmetic", () => {
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 1 << 20 }), (key, n) => {
        const want = bytesMod(md5General(key), n);
        expect(md5Mod(key, n)).toBe(want);
        const fast = md5ModShort(key, n);
        if (fast !== null) expect(fast).toBe(want);
        expect(want).toBe(Number(BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`) % BigInt(n)));
      }),
      { numRuns: runs(3000) },
    );
  });

  it('known digests (RFC 1321 test suite) and the boundary lengths', () => {
    const hex = (b: Uint8Array | null) => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join('') : null);
    expect(hex(md5Short(''))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(md5Short('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(md5Short('message digest'))).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(hex(md5Short('abcdefghijklmnopqrstuvwxyz'))).toBe('c3fcd3d76192e4007dfb496cca67e13b');
    expect(md5Short('x'.repeat(55))).not.toBeNull();
    expect(md5Short('x'.repeat(56))).toBeNull();
    expect(md5Short('é'.repeat(27) + 'x')).not.toBeNull();
    expect(md5Short('é'.repeat(28))).toBeNull();
    for (const k of ['x'.repeat(55), 'é'.repeat(27) + 'x', '€'.repeat(18) + 'x'])
      expect(hex(md5Short(k))).toBe(hex(nodeMd5(k)));
    expect(md5ModShort('apple', 0)).toBeNull();
    expect(md5ModShort('apple', 2.5)).toBeNull();
  });
});
