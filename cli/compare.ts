/**
 * `sim compare [file] [--builtin ID] [--json] [--export DIR]`: runs a comparison (a file, or
 * a built-in one) on every panel and prints its scoreboard (`--json`: the scoreboards, the verdicts and each panel's end world hash); `--export` writes each panel's
 * history where `sim check` can read it (DIR/<panel>.history.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinComparisons, type Comparison } from '../src/sim/compare/constants';
import { historyJson, runComparison, type ComparisonResult } from '../src/sim/compare/compare';
import { capCorrection } from '../src/sim/compare/reference';
import { parseComparisonText } from '../src/sim/compare/validate';
import { formatErrors } from '../src/sim/scenario/validate';

function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

export function loadComparison(
  args: string[],
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Comparison {
  const builtin = opt(args, '--builtin');
  const file = args.find((a) => !a.startsWith('--'));
  if (file !== undefined && builtin !== undefined) throw new Error('give a file or --builtin, not both');
  if (file === undefined) {
    const id = builtin ?? 'partition';
    const b = builtinComparisons.find((x) => x.id === id);
    if (!b)
      throw new Error(`no built-in comparison "${id}" (there are: ${builtinComparisons.map((x) => x.id).join(', ')})`);
    return b.make();
  }
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = parseComparisonText(text);
  if (!parsed.ok) throw new Error(`${file} is not a valid comparison:\n${formatErrors(parsed.errors)}`);
  return parsed.comparison;
}

const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);
const yn = (v: boolean | 'unknown'): string => (v === 'unknown' ? '?' : v ? 'yes' : 'no');

export function formatScoreboard(c: Comparison, r: ComparisonResult): string {
  const head = [
    'panel',
    'ok',
    'fail',
    'info',
    'avail',
    'during',
    'stale',
    'lost-upd',
    'fract',
    'div@end',
    'conv',
    'msgs',
    'bytes',
    'p50',
    'p99',
    'lin',
    'seq',
    'causal',
    'RYW',
    'MR',
    'MW',
    'WFR',
  ];
  const rows = r.panels.map(({ board: b }) => [
    b.panel,
    String(b.ops.ok),
    String(b.ops.fail),
    String(b.ops.info),
    pct(b.ops.availability),
    pct(b.windows.find((w) => w.name === 'during')?.availability ?? null),
    String(b.anomalies['stale-read']),
    String(b.anomalies['lost-update']),
    String(b.anomalies['fractured-read']),
    String(b.convergence.divergentAtEnd.length),
    b.convergence.ticksAfterHeal === null ? 'never' : String(b.convergence.ticksAfterHeal),
    String(b.messages),
    String(b.bytes),
    String(b.latency.p50 ?? '–'),
    String(b.latency.p99 ?? '–'),
    yn(b.models.linearizable),
    yn(b.models.sequential),
    yn(b.models.causal),
    yn(b.models['read-your-writes']),
    yn(b.models['monotonic-reads']),
    yn(b.models['monotonic-writes']),
    yn(b.models['writes-follow-reads']),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  const out = [
    `${c.name} · seed ${c.seed} · ${c.duration} ticks · ${c.panels.length} panels`,
    '',
    line(head),
    ...rows.map(line),
    '',
  ];
  out.push(...capCorrection(r.panels.map((p) => p.board)), '');
  for (const p of r.panels) {
    out.push(`${p.board.label} against the reference's table:`);
    for (const v of p.verdicts) out.push(`  ${v.column}: ${v.claim} → ${v.measured} (${v.verdict}). ${v.reason}`);
  }
  return out.join('\n') + '\n';
}

export function compareCommand(args: string[], write: (text: string) => void, read?: (path: string) => string): void {
  const rest = [...args];
  const json = rest.includes('--json');
  const exportDir = opt(rest, '--export');
  const c = loadComparison(
    rest.filter((a) => a !== '--json'),
    read,
  );
  const r = runComparison(c);
  if (exportDir !== undefined) {
    mkdirSync(exportDir, { recursive: true });
    for (const p of r.panels) writeFileSync(join(exportDir, `${p.board.panel}.history.json`), historyJson(p.history));
  }
  if (json) {
    write(
      JSON.stringify(
        { name: r.name, panels: r.panels.map((p) => ({ board: p.board, verdicts: p.verdicts, hash: p.hash })) },
        null,
        2,
      ) + '\n',
    );
  } else write(formatScoreboard(c, r));
}
