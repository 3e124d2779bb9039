import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleFiles, goldenHashes } from './examples';

/**
 * The Node side of the determinism contract, each example in a fresh process through the
 * real CLI: its `hash` must be the golden one (examples/golden-hashes.json).
 * e2e/determinism.spec.ts checks the same files in Chromium and a Web Worker.
 */
const run = promisify(execFile);
const golden = goldenHashes();
const files = exampleFiles();

describe('golden hashes of examples/*.scenario.json (npx tsx cli/sim.ts run --no-ops)', () => {
  it('has one golden hash per example, and no stale ones', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(golden.hashes).sort()).toEqual(files);
  });

  it.each(files)('%s', async (file) => {
    const { stdout } = await run('npx', ['--no-install', 'tsx', 'cli/sim.ts', 'run', `examples/${file}`, '--no-ops'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { engine: string; hash: string };
    expect(report.engine, 'engine version (regenerate goldens with scripts/gen-examples.ts --update on purpose)').toBe(
      golden.engine,
    );
    expect(report.hash).toBe(golden.hashes[file]);
  });
});
