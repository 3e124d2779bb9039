/**
 * Writes src/sim/compare/golden-links.v1.json: each built-in comparison as a frozen link
 * carrying every panel's world hash at its end (src/sim/compare/golden.test.ts checks that
 * each still decodes and runs to those hashes). Like examples/golden-hashes.json, the file
 * changes only on purpose: run with --update only when the engine changed deliberately (and
 * ENGINE_VERSION was bumped) or a built-in comparison was added. The link made before links
 * carried results (`withoutResults`) is kept as it is: it pins that such links still open.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinComparisons } from '../src/sim/compare/constants';
import { encodeComparison, resultsOf } from '../src/sim/compare/codec';
import { runPanel } from '../src/sim/compare/run';
import { ENGINE_VERSION } from '../src/sim/version';

const path = 'src/sim/compare/golden-links.v1.json';
const update = process.argv.includes('--update');

interface Golden {
  format: 1;
  engine: string;
  regenerate: string;
  links: { id: string; link: string; results: Record<string, string> }[];
  withoutResults: string;
  /** Links an earlier engine made, kept as they were: they open, and name the panels that replay differently. */
  older?: { id: string; engine: string; link: string; differs: string[] }[];
}

const old = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Golden) : null;
const links = builtinComparisons.map((b) => {
  const c = b.make();
  const results = resultsOf(
    c,
    c.panels.map((p) => ({ panel: p.id, hash: runPanel(c, p).hash })),
  );
  if (!results) throw new Error(`${b.id}: a panel has no hash`);
  const was = old?.links.find((l) => l.id === b.id);
  const same = was !== undefined && JSON.stringify(was.results) === JSON.stringify(results);
  console.log(`${b.id}: ${was === undefined ? 'new' : same ? 'same hashes as the golden' : 'DIFFERS from the golden'}`);
  return { id: b.id, link: `#${encodeComparison(c, results)}`, results: { ...results } };
});
const golden: Golden = {
  format: 1,
  engine: ENGINE_VERSION,
  regenerate:
    'npx tsx scripts/gen-compare-goldens.ts --update (only when the engine changed on purpose; see golden.test.ts)',
  links,
  withoutResults: old?.withoutResults ?? `#${encodeComparison(builtinComparisons[0]!.make())}`,
  // On an engine bump, move the previous engine's links here by hand, with the panels that differ.
  older: old?.older ?? [],
};
if (update) writeFileSync(path, `${JSON.stringify(golden, null, 2)}\n`);
else console.log('(dry run: pass --update to write the file)');
