import type { ChallengeFile } from '../sim/challenge/types';

/**
 * The built-in challenges: the files in challenges/ (data, like the lessons), loaded and
 * validated only when the ladder or a challenge opens, so the first page carries none of them.
 */
const files = import.meta.glob<unknown>('../../challenges/*.json', { import: 'default' });

export type LoadedChallenge = { ok: true; file: ChallengeFile } | { ok: false; id: string; error: string };

const idOf = (path: string): string => path.replace(/^.*\/([^/]+)\.json$/, '$1');

/** Every built-in challenge, ladder order (level); a broken file is an entry that says why. */
export async function loadChallenges(): Promise<LoadedChallenge[]> {
  const { parseChallenge } = await import('../sim/challenge/schema');
  const out = await Promise.all(
    Object.entries(files).map(async ([path, load]): Promise<LoadedChallenge> => {
      const p = parseChallenge(await load());
      return p.ok ? { ok: true, file: p.file } : { ok: false, id: idOf(path), error: p.error };
    }),
  );
  const level = (c: LoadedChallenge): number => (c.ok ? c.file.challenge.level : Infinity);
  return out.sort((a, b) => level(a) - level(b));
}

/** One challenge by id, or why not. */
export async function loadChallenge(id: string): Promise<LoadedChallenge> {
  const all = await loadChallenges();
  return (
    all.find((c) => (c.ok ? c.file.challenge.id : c.id) === id) ?? {
      ok: false,
      id,
      error: `there is no challenge “${id.slice(0, 64)}”`,
    }
  );
}

export { challengeOf, challengeScenarioId } from './challengeIds';

/** What a student has done on one challenge: kept with their work, shown on the ladder. */
export interface Progress {
  readonly attempts: number;
  readonly failed: number;
  /** Hints opened so far (they open one by one after failed attempts). */
  readonly hints: number;
  readonly solution: boolean;
  readonly passed: boolean;
  readonly withinPar: boolean;
  /** The latest passing attempt's receipt fragment. */
  readonly receipt: string | null;
}

export const NO_PROGRESS: Progress = {
  attempts: 0,
  failed: 0,
  hints: 0,
  solution: false,
  passed: false,
  withinPar: false,
  receipt: null,
};

/** After a Check. A pass is kept once made; within par is kept once made. */
export function afterCheck(
  p: Progress,
  verdict: 'pass' | 'fail',
  withinPar: boolean,
  receipt: string | null,
): Progress {
  return {
    ...p,
    attempts: p.attempts + 1,
    failed: p.failed + (verdict === 'fail' ? 1 : 0),
    passed: p.passed || verdict === 'pass',
    withinPar: p.withinPar || (verdict === 'pass' && withinPar),
    receipt: verdict === 'pass' ? receipt : p.receipt,
  };
}

/** Failed attempts needed before hint i (0-based) can open, and before the worked solution. */
export const hintOpensAfter = (i: number): number => i + 1;
export const SOLUTION_AFTER = 3;

/** Reads progress from storage text, dropping what is not progress (hostile or old data). */
export function readProgress(text: string | null): Record<string, Progress> {
  if (text === null) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, Progress> = Object.create(null) as Record<string, Progress>;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id) || typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>;
    const n = (k: string): number =>
      typeof o[k] === 'number' && Number.isInteger(o[k]) && (o[k] as number) >= 0 ? (o[k] as number) : 0;
    const b = (k: string): boolean => o[k] === true;
    out[id] = {
      attempts: n('attempts'),
      failed: n('failed'),
      hints: n('hints'),
      solution: b('solution'),
      passed: b('passed'),
      withinPar: b('withinPar'),
      receipt: typeof o['receipt'] === 'string' && o['receipt'].length < 400_000 ? o['receipt'] : null,
    };
  }
  return out;
}
