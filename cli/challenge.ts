/**
 * `sim challenge list|show ID` and `sim grade FILE`: the built-in challenges (challenges/*.json,
 * validated like any file from outside) and grading a teacher's file of receipts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeAttempt, type GradedAttempt } from '../src/sim/challenge/grade';
import { decodeReceipt, receiptFromValue, type DecodedReceipt } from '../src/sim/challenge/receipt';
import { parseChallengeText } from '../src/sim/challenge/schema';
import type { ChallengeFile } from '../src/sim/challenge/types';

export const CHALLENGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../challenges');

/** Every challenge file in the folder, ladder order; a broken one is an error naming it. */
export function loadChallenges(dir = CHALLENGES_DIR): ChallengeFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const out = files.map((f) => {
    const p = parseChallengeText(readFileSync(join(dir, f), 'utf8'));
    if (!p.ok) throw new Error(`${f}: ${p.error}`);
    if (`${p.file.challenge.id}.json` !== f) throw new Error(`${f}: its id is ${p.file.challenge.id}`);
    return p.file;
  });
  return out.sort((a, b) => a.challenge.level - b.challenge.level || (a.challenge.id < b.challenge.id ? -1 : 1));
}

export function challengeList(files: readonly ChallengeFile[]): object[] {
  return files.map(({ challenge: c, scenario }) => ({
    id: c.id,
    title: c.title,
    kind: c.kind,
    architecture: scenario.architecture.kind,
    budget: c.budget,
    property: c.violation,
    version: c.version,
  }));
}

/** One CSV field: quoted when it holds a comma, a quote or a line break; formula-safe. */
function csv(v: string | number): string {
  let s = String(v);
  // A spreadsheet would run a cell that starts with = + - @ as a formula.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const GRADE_HEADER = 'challenge,student_label,verdict,faults,par,reason,hash';

/**
 * Grades each line: a receipt link (a label may follow after a tab) or the path of a JSON file
 * {"challenge": ID, "scenario": {...}}. Returns the CSV rows (header first). The same attempt
 * (same hash) under two labels is flagged on the later row.
 */
export function gradeLines(text: string, files: readonly ChallengeFile[], baseDir: string): string[] {
  const rows = [GRADE_HEADER];
  const seen = new Map<string, string>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#!'));
  lines.forEach((line, i) => {
    const [what = '', ...rest] = line.split('\t');
    const label = rest.join(' ').trim() || `line ${i + 1}`;
    const decoded = readAttempt(what.trim(), baseDir);
    let g: GradedAttempt;
    if (!decoded.ok) {
      g = {
        challenge: '',
        verdict: 'fail',
        reason: `Not graded: ${decoded.error}.`,
        faults: 0,
        ops: 0,
        withinPar: false,
        hash: '',
      };
    } else {
      const r = decoded.receipt;
      g = gradeAttempt(
        files,
        r.challenge,
        r.version,
        r.scenario,
        r.hash === undefined ? undefined : { hash: r.hash, engine: r.engine },
      );
    }
    let reason = g.reason;
    if (g.hash !== '') {
      const key = `${g.challenge}\u0000${g.hash}`;
      const other = seen.get(key);
      if (other !== undefined && other !== label) reason = `${reason} Flagged: the same attempt as ${other}.`;
      else seen.set(key, label);
    }
    const par = g.verdict === 'pass' ? (g.withinPar ? 'within' : 'over') : '';
    rows.push([g.challenge, label, g.verdict, g.faults, par, reason, g.hash.slice(0, 16)].map(csv).join(','));
  });
  return rows;
}

function readAttempt(what: string, baseDir: string): DecodedReceipt {
  if (what.includes('receipt=') || what.startsWith('z:')) return decodeReceipt(what);
  const path = resolve(baseDir, what);
  if (!existsSync(path)) return { ok: false, error: `${what.slice(0, 80)} is neither a receipt link nor a file` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { ok: false, error: `${what.slice(0, 80)} is not JSON` };
  }
  return receiptFromValue(raw);
}
