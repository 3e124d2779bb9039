import { describe, expect, it } from 'vitest';
import { decodeComparison } from './codec';
import { builtinComparisons } from './constants';
import { buildScenario } from './build';
import { runPanel } from './run';
import { makeEnvelope } from '../scenario/codec';
import { ENGINE_VERSION } from '../version';
import goldenJson from './golden-links.v1.json';

interface Golden {
  engine: string;
  regenerate: string;
  links: { id: string; link: string; results: { [panel: string]: string } }[];
  withoutResults: string;
  older: { id: string; engine: string; link: string; differs: string[] }[];
}
const golden: Golden = goldenJson;

/**
 * Old comparison links keep working: each built-in comparison frozen as a link string
 * carrying every panel's end hash (written once by scripts/gen-compare-goldens.ts). Each must
 * still decode to those results and, run headless, end every panel in exactly that world. A
 * change that breaks this is a changed link format (needs a migration) or a changed engine:
 * then bump ENGINE_VERSION, so the page reports the difference, and regenerate on purpose.
 */
const REGENERATE = `If the engine changed on purpose (ENGINE_VERSION bumped), regenerate with: ${golden.regenerate.split(' (')[0]}`;

describe('golden comparison links (format 1)', () => {
  it('were made by this engine version', () => {
    expect(ENGINE_VERSION, `The golden comparison links were made by engine ${golden.engine}. ${REGENERATE}`).toBe(
      golden.engine,
    );
  });

  it('cover every built-in comparison', () => {
    expect(
      golden.links.map((l) => l.id),
      `A built-in comparison has no golden link. ${REGENERATE}`,
    ).toEqual(builtinComparisons.map((b) => b.id));
  });

  it.each(golden.links.map((l) => [l.id, l] as const))(
    '%s decodes to its results and every panel ends in that world',
    (_id, g) => {
      const d = decodeComparison(g.link);
      expect(d.ok, d.ok ? '' : d.message).toBe(true);
      if (!d.ok) return;
      expect(d.engine).toBe(golden.engine);
      expect(d.resultsNote).toBeNull();
      expect({ ...d.results }).toEqual(g.results);
      expect(Object.keys(g.results)).toEqual(d.comparison.panels.map((p) => p.id));
      for (const p of d.comparison.panels) {
        expect(
          runPanel(d.comparison, p).hash,
          `${g.id}, panel ${p.id}: the world at the end differs from the golden link's. ${REGENERATE}`,
        ).toBe(g.results[p.id]);
      }
    },
  );

  it("a panel's hash is the one a scenario link of that panel at its end records", () => {
    const g = golden.links[0]!;
    const d = decodeComparison(g.link);
    if (!d.ok) throw new Error(d.message);
    const p = d.comparison.panels.find((x) => x.id === 'gossip-lww')!;
    expect(makeEnvelope(buildScenario(d.comparison, p), d.comparison.duration).hash).toBe(g.results[p.id]);
  });

  it.each(golden.older.map((l) => [`${l.id} (engine ${l.engine})`, l] as const))(
    'an older engine’s link, %s, still opens; exactly the panels its engine ran differently replay to other worlds',
    (_id, g) => {
      const d = decodeComparison(g.link);
      expect(d.ok, d.ok ? '' : d.message).toBe(true);
      if (!d.ok) return;
      expect(d.engine).toBe(g.engine);
      const differ = d.comparison.panels.filter((p) => runPanel(d.comparison, p).hash !== d.results?.[p.id]);
      expect(differ.map((p) => p.id)).toEqual(g.differs);
    },
  );

  it('a link made before links carried results still opens, with nothing to check', () => {
    const d = decodeComparison(golden.withoutResults);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.results).toBeNull();
    expect(d.resultsNote).toBeNull();
    expect(d.comparison.panels.length).toBe(6);
  });
});
