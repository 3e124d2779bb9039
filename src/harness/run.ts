import { parseScenario, formatErrors, worldAt, worldHash } from '../sim/index';

/** What one runtime reports for one example file. */
export interface HashResult {
  file: string;
  /** The world hash at the scenario's end, or `error: ...`. */
  hash: string;
}

/** The examples, bundled at build time: file name -> parsed JSON. */
export function examples(): Record<string, unknown> {
  const modules = import.meta.glob<unknown>('../../examples/*.scenario.json', { eager: true, import: 'default' });
  const out: Record<string, unknown> = {};
  for (const [path, data] of Object.entries(modules)) out[path.slice(path.lastIndexOf('/') + 1)] = data;
  return out;
}

/** Validate and run each example to its end, in whatever runtime calls this. */
export function hashAll(files: Record<string, unknown>): HashResult[] {
  return Object.keys(files)
    .sort()
    .map((file) => {
      try {
        const parsed = parseScenario(files[file]);
        if (!parsed.ok) return { file, hash: `error: invalid scenario: ${formatErrors(parsed.errors)}` };
        const s = parsed.scenario;
        return { file, hash: worldHash(worldAt(s, s.duration)) };
      } catch (e) {
        return { file, hash: `error: ${e instanceof Error ? e.message : String(e)}` };
      }
    });
}
