// Node-only helpers for tests and the benchmark (a testkit may read files; the checker may not).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the linearizability corpus lives: $STATELAB_CORPUS, or ../shared/corpus/linearizability
 * relative to the repository root (the working directory of npm scripts and vitest).
 */
export function corpusDir(): string {
  const env = process.env['STATELAB_CORPUS'];
  return env !== undefined && env !== '' ? resolve(env) : resolve(process.cwd(), '../shared/corpus/linearizability');
}

export interface CorpusEntry {
  /** Path inside the corpus, e.g. "kv/c10-ok.txt". */
  readonly file: string;
  readonly linearizable: boolean;
  readonly text: string;
}

/** Every history listed in verdicts.tsv, with its expected verdict. Throws if the corpus is missing. */
export function loadCorpus(dir: string = corpusDir()): CorpusEntry[] {
  const tsv = join(dir, 'verdicts.tsv');
  if (!existsSync(tsv)) {
    throw new Error(
      `linearizability corpus not found: ${tsv} does not exist (set STATELAB_CORPUS to the folder holding verdicts.tsv)`,
    );
  }
  const rows = readFileSync(tsv, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  return rows.map((row) => {
    const [file = '', verdict = ''] = row.split('\t');
    if (verdict !== 'true' && verdict !== 'false') throw new Error(`verdicts.tsv: bad verdict for ${file}: ${verdict}`);
    return { file, linearizable: verdict === 'true', text: readFileSync(join(dir, file), 'utf8') };
  });
}
