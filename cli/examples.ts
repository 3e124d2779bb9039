import { readFileSync, readdirSync } from 'node:fs';

/**
 * The example scenarios and their golden world hashes (written by scripts/gen-examples.ts),
 * as the determinism checks in Node (cli/golden.test.ts) and Chromium (e2e) read them.
 */
export interface Golden {
  engine: string;
  hashes: Record<string, string>;
}

export function goldenHashes(): Golden {
  return JSON.parse(readFileSync('examples/golden-hashes.json', 'utf8')) as Golden;
}

export function exampleFiles(): string[] {
  return readdirSync('examples')
    .filter((f) => f.endsWith('.scenario.json'))
    .sort();
}
