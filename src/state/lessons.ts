import type { Scenario } from '../sim/index';
import type { Comparison } from '../sim/compare/constants';

/**
 * The built-in lessons: the files in lessons/ (data, not code), each loaded when needed so
 * the first page carries none of them. Parsed like any scenario or comparison from outside:
 * a lesson is a scenario with narration, or a comparison with narration (several
 * architectures on one clock), which opens in the Compare view.
 */
const files = import.meta.glob<unknown>('../../lessons/*.json', { import: 'default' });

/** Teaching order; a lesson file not listed here comes after these, by name. */
const ORDER = [
  'single-source-of-truth',
  'cap-one-partition',
  'concurrent-writes',
  'event-sourcing',
  'sharding',
  'quorums',
  'cross-shard-commits',
];

const idOf = (path: string): string => path.replace(/^.*\/([^/]+)\.json$/, '$1');

export const lessonIds: string[] = Object.keys(files)
  .map(idOf)
  .sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || (a < b ? -1 : a > b ? 1 : 0);
  });

export type LoadedLesson =
  | { ok: true; kind: 'scenario'; scenario: Scenario; name: string; summary: string; steps: number; about: string }
  | {
      ok: true;
      kind: 'comparison';
      comparison: Comparison;
      name: string;
      summary: string;
      steps: number;
      about: string;
    }
  | { ok: false; error: string };

/** A comparison is a JSON object with panels (docs/compare.md); anything else is read as a scenario. */
const isComparison = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && Object.hasOwn(data, 'panels');

export async function loadLesson(id: string): Promise<LoadedLesson> {
  const entry = Object.entries(files).find(([p]) => idOf(p) === id);
  if (!entry)
    return { ok: false, error: `There is no lesson called “${id}”. The lessons are: ${lessonIds.join(', ')}.` };
  const data = await entry[1]();
  const name = (n: string): string => n.replace(/^Lesson:\s*/, '');
  if (isComparison(data)) {
    const [{ parseComparison }, { formatErrors }] = await Promise.all([
      import('../sim/compare/validate'),
      import('../sim/scenario/validate'),
    ]);
    const r = parseComparison(data);
    if (!r.ok) return { ok: false, error: `The lesson “${id}” is not valid: ${formatErrors(r.errors)}` };
    const l = r.comparison.lesson;
    if (!l) return { ok: false, error: `“${id}” is a comparison without narration.` };
    return {
      ok: true,
      kind: 'comparison',
      comparison: r.comparison,
      name: name(r.comparison.name),
      summary: l.summary,
      steps: l.steps.length,
      about: r.comparison.panels.map((p) => p.architecture.kind).join(' · '),
    };
  }
  const { parseScenario, formatErrors } = await import('../sim/scenario/validate');
  const r = parseScenario(data);
  if (!r.ok) return { ok: false, error: `The lesson “${id}” is not valid: ${formatErrors(r.errors)}` };
  const l = r.scenario.lesson;
  if (!l) return { ok: false, error: `“${id}” is a scenario without narration.` };
  return {
    ok: true,
    kind: 'scenario',
    scenario: r.scenario,
    name: name(r.scenario.name),
    summary: l.summary,
    steps: l.steps.length,
    about: r.scenario.architecture.kind,
  };
}

export { readLessonLink, lessonLink } from './shareKeys';
export type { LessonLink } from './shareKeys';
