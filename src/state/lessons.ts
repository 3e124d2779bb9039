import type { Scenario } from '../sim/index';

/**
 * The built-in lessons: the files in lessons/ (data, not code), each loaded when needed so
 * the first page carries none of them. Parsed like any scenario from outside.
 */
const files = import.meta.glob<unknown>('../../lessons/*.json', { import: 'default' });

/** Teaching order; a lesson file not listed here comes after these, by name. */
const ORDER = ['single-source-of-truth', 'cap-one-partition', 'concurrent-writes', 'event-sourcing', 'sharding', 'quorums', 'cross-shard-commits'];

const idOf = (path: string): string => path.replace(/^.*\/([^/]+)\.json$/, '$1');

export const lessonIds: string[] = Object.keys(files)
  .map(idOf)
  .sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || (a < b ? -1 : a > b ? 1 : 0);
  });

export type LoadedLesson = { ok: true; scenario: Scenario } | { ok: false; error: string };

export async function loadLesson(id: string): Promise<LoadedLesson> {
  const entry = Object.entries(files).find(([p]) => idOf(p) === id);
  if (!entry) return { ok: false, error: `There is no lesson called “${id}”. The lessons are: ${lessonIds.join(', ')}.` };
  const [data, { parseScenario, formatErrors }] = await Promise.all([entry[1](), import('../sim/scenario/validate')]);
  const r = parseScenario(data);
  if (!r.ok) return { ok: false, error: `The lesson “${id}” is not valid: ${formatErrors(r.errors)}` };
  if (!r.scenario.lesson) return { ok: false, error: `“${id}” is a scenario without narration.` };
  return { ok: true, scenario: r.scenario };
}

export { readLessonLink, lessonLink } from './shareKeys';
export type { LessonLink } from './shareKeys';
