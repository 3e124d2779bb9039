import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import {
  checkResults,
  comparisonLink,
  decodeComparison,
  encodeComparison,
  isComparisonFragment,
  resultsOf,
  type PanelHashes,
} from './codec';
import { CODEC, MAX_LINK_CHARS, toBase64Url } from '../scenario/codec';
import { ENGINE_VERSION } from '../version';
import golden from './golden-links.v1.json';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinComparisons, type Comparison } from './constants';
import { decodeLink } from '../scenario/codec';
import { runs } from '../core/fuzz.testkit';

describe('comparison links', () => {
  it('round-trips every built-in comparison through a link', () => {
    for (const b of builtinComparisons) {
      const c = b.make();
      const link = comparisonLink(c, 'https://example.org/statelab/#s=old');
      expect(link.startsWith('https://example.org/statelab/#c=z:')).toBe(true);
      expect(isComparisonFragment(link.slice(link.indexOf('#')))).toBe(true);
      const d = decodeComparison(link);
      expect(d.ok && d.comparison).toEqual(c);
      expect(d.ok && d.sameEngine).toBe(true);
    }
  });

  it('carries a lesson and scripted operations like everything else', () => {
    const c = JSON.parse(readFileSync(resolve(process.cwd(), 'lessons/cap-one-partition.json'), 'utf8')) as Comparison;
    const d = decodeComparison(comparisonLink(c, 'https://example.org/'));
    expect(d.ok && d.comparison).toEqual(c);
    expect(d.ok && d.comparison.lesson?.steps.length).toBeGreaterThan(5);
  });

  it('is not mistaken for a scenario link, nor a scenario link for it', () => {
    const payload = encodeComparison(builtinComparisons[0]!.make());
    expect(decodeLink(`#${payload}`).ok).toBe(false);
    expect(decodeComparison('#s=z:abc').ok).toBe(false);
  });

  it('any string gets a comparison or a message, never a crash (property)', () => {
    const good = encodeComparison(builtinComparisons[0]!.make());
    fc.assert(
      fc.property(fc.string(), fc.nat(good.length), (junk, cut) => {
        for (const input of [junk, `#c=${junk}`, `#c=z:${junk}`, `#${good.slice(0, cut)}`]) {
          const d = decodeComparison(input);
          if (!d.ok) expect(d.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  // ------------------------------------------------------------------ results

  const c0 = builtinComparisons[0]!.make();
  const hex = (i: number): string => i.toString(16).padStart(2, '0').repeat(32);
  const full = (): PanelHashes => Object.fromEntries(c0.panels.map((p, i) => [p.id, hex(i + 1)]));
  /** A link whose envelope is exactly `env`, as a hostile or older maker could write it. */
  const raw = (env: unknown): string =>
    `#c=${CODEC}:${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(env))))}`;

  it('a version that is not a whole number is "not a valid version", not "made by a newer StateLab"', () => {
    const env = { v: 1, engine: ENGINE_VERSION, comparison: c0 };
    const err = (v: unknown): string => {
      const d = decodeComparison(raw({ ...env, v }));
      return d.ok ? 'opened' : d.message;
    };
    expect(err(1.5)).toMatch(/1\.5 is not a valid version/);
    expect(err(1.5)).not.toMatch(/newer/);
    expect(err(-3)).toMatch(/-3 is not a valid version/);
    expect(err('2')).toMatch(/"2" is not a valid version/);
    expect(err(2)).toMatch(/made by a newer StateLab/);
    expect(err(undefined)).toMatch(/has no format version/);
  });

  it("round-trips each panel's end hash; a link without them has nothing to check", () => {
    const d = decodeComparison(comparisonLink(c0, 'https://example.org/', full()));
    expect(d.ok && { ...d.results }).toEqual(full());
    expect(d.ok && d.resultsNote).toBeNull();
    const bare = decodeComparison(comparisonLink(c0, 'https://example.org/'));
    expect(bare.ok && bare.results).toBeNull();
    expect(bare.ok && bare.resultsNote).toBeNull();
  });

  it('resultsOf gives results only once every panel has its hash', () => {
    const all = c0.panels.map((p, i) => ({ panel: p.id, hash: hex(i + 1) }));
    expect({ ...resultsOf(c0, all) }).toEqual(full());
    expect(resultsOf(c0, all.slice(0, 5))).toBeNull();
    expect(resultsOf(c0, [])).toBeNull();
  });

  it('stays far under the caps: results add about 420 characters to a 1,200-character link', () => {
    const before = encodeComparison(c0).length;
    // The real hashes (golden-links.v1.json): random hex barely compresses, unlike hex(i).
    const after = encodeComparison(c0, golden.links[0]!.results).length;
    // Measured: 1224 → 1643.
    expect(after - before).toBeGreaterThan(200);
    expect(after - before).toBeLessThan(600);
    expect(after).toBeLessThan(2000);
    expect(after).toBeLessThan(MAX_LINK_CHARS);
  });

  it("checks a run against the link panel by panel, in the comparison's order", () => {
    const recorded = full();
    const replayed = c0.panels.map((p, i) => ({ panel: p.id, hash: p.id === 'quorum' ? hex(0xee) : hex(i + 1) }));
    const r = checkResults(c0, recorded, replayed.slice(0, 5));
    expect(r.differ).toEqual([{ panel: 'quorum', recorded: recorded['quorum'], replayed: hex(0xee) }]);
    expect(r.same).toEqual(['centralized', 'event-sourcing', 'partitioned', 'gossip-lww']);
    expect(r.unchecked).toEqual(['gossip-reference']);
  });

  it('bad results are ignored with a sentence, the comparison opens anyway', () => {
    const env = { v: 1, engine: ENGINE_VERSION, comparison: c0 };
    const cases: [unknown, PanelHashes | null, RegExp][] = [
      [[1, 2], null, /ignored: they are not a list/],
      ['abc', null, /ignored: they are not a list/],
      [{ centralized: 'ABC' }, null, /"centralized" is not a world hash/],
      [{ centralized: hex(0xab).toUpperCase() }, null, /not a world hash/],
      [
        { centralized: hex(1), ghost: hex(2) },
        { centralized: hex(1) },
        /Some results in this link were ignored: "ghost" is not a panel/,
      ],
      [{ __proto__: hex(1), constructor: hex(2) }, null, /"__proto__", "constructor" are not panels/],
      [
        Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, hex(i)])),
        null,
        /there are 9 of them, more than a comparison has panels/,
      ],
      [{ ['x'.repeat(5000)]: 1 }, null, /"x{40}…" is not a panel/],
    ];
    for (const [results, want, note] of cases) {
      // JSON.stringify keeps an own "__proto__" key that an object literal would not.
      const text = JSON.stringify({ ...env, results }).replace(
        '"results":{"constructor"',
        '"results":{"__proto__":"' + hex(1) + '","constructor"',
      );
      const d = decodeComparison(`#c=${CODEC}:${toBase64Url(deflateSync(new TextEncoder().encode(text)))}`);
      expect(d.ok, JSON.stringify(results).slice(0, 60)).toBe(true);
      if (!d.ok) continue;
      expect(d.results === null ? null : { ...d.results }).toEqual(want);
      expect(d.resultsNote ?? '').toMatch(note);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('centralized');
  });

  it('any JSON at all in `results` decodes without throwing; only well-formed hashes of real panels survive (property)', () => {
    const ids = c0.panels.map((p) => p.id);
    const hashArb = fc.oneof(
      fc.constant(hex(7)),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 60, maxLength: 68 }),
    );
    const results = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...ids, '__proto__', 'constructor', 'toString'), fc.string()),
        fc.oneof(hashArb, fc.jsonValue()),
      ),
    );
    fc.assert(
      fc.property(results, (r) => {
        const d = decodeComparison(raw({ v: 1, engine: ENGINE_VERSION, comparison: c0, results: r }));
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        for (const [k, v] of Object.entries(d.results ?? {})) {
          expect(ids).toContain(k);
          expect(v).toMatch(/^[0-9a-f]{64}$/);
        }
        const given = typeof r === 'object' && r !== null && !Array.isArray(r) ? Object.keys(r).length : -1;
        const kept = Object.keys(d.results ?? {}).length;
        // Anything dropped is said; nothing is said when all was kept.
        if (r !== undefined && kept !== given) expect(d.resultsNote ?? '').toMatch(/ignored/);
        if (given >= 0 && kept === given) expect(d.resultsNote).toBeNull();
      }),
      { numRuns: runs(300) },
    );
  });
});
