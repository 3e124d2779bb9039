import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson, hashValue } from './hash';
import { draw, drawInt, streamState } from './rng';
import { compareNatural, dictGet, dictSet, dictKeys } from './dict';

describe('canonical JSON and hashing', () => {
  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(hashValue(reversed)).toBe(hashValue(o));
      }),
    );
  });

  it('is parseable JSON equal to the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('refuses what JSON cannot say exactly', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/undefined/);
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite/);
  });

  it('is SHA-256 of the canonical text (checked against an independent implementation)', () => {
    const v = { b: [1, 'x', null, { d: 2.5, c: -0 }], a: true };
    const text = '{"a":true,"b":[1,"x",null,{"c":0,"d":2.5}]}';
    expect(canonicalJson(v)).toBe(text);
    expect(hashValue(v)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('seeded streams', () => {
  it('same seed and name, same numbers; the state is plain data', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.string(), (seed, name) => {
        const a: Record<string, number[]> = {};
        const b: Record<string, number[]> = JSON.parse(JSON.stringify(a)) as Record<string, number[]>;
        const xs = Array.from({ length: 5 }, () => draw(a, seed, name, 0, 1000));
        const ys = Array.from({ length: 5 }, () => draw(b, seed, name, 0, 1000));
        expect(xs).toEqual(ys);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
    );
  });

  it('streams are independent: drawing from one does not shift another', () => {
    const a: Record<string, number[]> = {};
    const b: Record<string, number[]> = {};
    for (let i = 0; i < 10; i++) draw(a, 1, 'network', 0, 9);
    const left = Array.from({ length: 10 }, () => draw(a, 1, 'agent:agent1', 0, 1_000_000));
    const right = Array.from({ length: 10 }, () => draw(b, 1, 'agent:agent1', 0, 1_000_000));
    expect(left).toEqual(right);
  });

  it('draws stay in range and cover it', () => {
    let s = streamState(3, 'x');
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const [v, n] = drawInt(s, -2, 2);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      seen.add(v);
      s = n;
    }
    expect(seen.size).toBe(5);
  });
});

describe('dictionaries of hostile keys', () => {
  it('store __proto__ and friends as plain own data', () => {
    const d: Record<string, number> = {};
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) dictSet(d, k, 1);
    expect(dictKeys(d)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(dictGet({}, 'toString')).toBeUndefined();
    expect(JSON.parse(canonicalJson(d))).toEqual(
      JSON.parse('{"__proto__":1,"constructor":1,"hasOwnProperty":1,"toString":1}'),
    );
  });
});

describe('natural order', () => {
  it('puts agent9 before agent10, and orders names without numbers by code unit', () => {
    expect(['agent10', 'agent9', 'agent1', 'store', 'agent', 'b2', 'a10'].sort(compareNatural)).toEqual([
      'a10',
      'agent',
      'agent1',
      'agent9',
      'agent10',
      'b2',
      'store',
    ]);
    expect(compareNatural('r01', 'r1')).not.toBe(0);
    // Numbers inside a name too: agent1x is agent 1's, so it comes before agent2 and agent10.
    expect(['agent10', 'agent2', 'agent1x', 'agent1', 'r2a9', 'r2a10', 'r10a1'].sort(compareNatural)).toEqual([
      'agent1',
      'agent1x',
      'agent2',
      'agent10',
      'r2a9',
      'r2a10',
      'r10a1',
    ]);
  });

  it('orders any names totally: antisymmetric, transitive, 0 only for equal names', () => {
    const prefixed = fc
      .tuple(
        fc.constantFrom('agent', 'r', 'a', ''),
        fc.option(fc.nat({ max: 120 }), { nil: undefined }),
        fc.constantFrom('', '0'),
      )
      .map(([p, n, z]) => `${p}${n === undefined ? '' : `${z}${n}`}`);
    // Digits anywhere, next to letters and to characters below and above the digits' codes.
    const mixed = fc
      .array(fc.constantFrom('a', 'g', 'x', '-', '~', '0', '1', '2', '9'), { maxLength: 7 })
      .map((cs) => cs.join(''));
    const name = fc.oneof(prefixed, mixed);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
        expect(compareNatural(a, b) === 0).toBe(a === b);
        if (compareNatural(a, b) < 0 && compareNatural(b, c) < 0) expect(compareNatural(a, c)).toBeLessThan(0);
      }),
    );
  });
});
