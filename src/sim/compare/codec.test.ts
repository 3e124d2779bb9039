import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparisonLink, decodeComparison, encodeComparison, isComparisonFragment } from './codec';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinComparisons, type Comparison } from './constants';
import { decodeLink } from '../scenario/codec';

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
      { numRuns: 200 },
    );
  });
});
