/**
 * Writes examples/*.scenario.json from the built-in scenarios and, with --update, their
 * golden hashes. Golden hashes change only on purpose: a changed hash is a changed engine.
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { builtinScenarios, worldAt, worldHash, ENGINE_VERSION } from '../src/sim/index';

const update = process.argv.includes('--update');
const goldenPath = 'examples/golden-hashes.json';
const golden: { engine: string; hashes: Record<string, string> } = existsSync(goldenPath)
  ? (JSON.parse(readFileSync(goldenPath, 'utf8')) as { engine: string; hashes: Record<string, string> })
  : { engine: ENGINE_VERSION, hashes: {} };
for (const { id, make } of builtinScenarios) {
  const s = make();
  const file = `${id}.scenario.json`;
  writeFileSync(`examples/${file}`, JSON.stringify(s, null, 2) + '\n');
  const h = worldHash(worldAt(s, s.duration));
  if (update) golden.hashes[file] = h;
  console.log(`${file}  ${h}${golden.hashes[file] === h ? '' : '  (differs from golden)'}`);
}
if (update) {
  golden.engine = ENGINE_VERSION;
  writeFileSync(goldenPath, JSON.stringify(golden, null, 2) + '\n');
}
