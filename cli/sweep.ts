/**
 * `sim sweep gossip`: rounds until one write reaches every replica, over cluster size, mode
 * and fanout, many seeded trials each, beside what the literature predicts. An abstract round
 * model (src/sim/architectures/gossip/sweep.ts), not the engine: 10,000 replicas × 200 trials
 * would be a very long scenario, and the model is the one the theory speaks of.
 */
import { sweepRow, type SpreadMode, type SweepRow } from '../src/sim/architectures/gossip/sweep';

export const SWEEP_HEADER = 'mode,replicas,fanout,trials,mean_rounds,p50_rounds,p95_rounds,theory_rounds';

/**
 * Expected rounds to inform all n nodes, leading terms (docs/gossip.md gives the sources):
 * - push, fanout 1: log2 n + ln n (Frieze & Grimmett 1985; Pittel 1987, exact up to O(1)).
 *   fanout f: log_{1+f} n + ln(n)/f (informed nodes grow by 1+f per round, then each
 *   uninformed node is missed by all pushes of a round with probability about e^-f).
 * - pull, fanout f: log_{1+f} n + log_{1+f} ln n (growth by 1+f, then the uninformed
 *   fraction u becomes u^(1+f) per round; Karp, Schindelhauer, Shenker & Vöcking 2000).
 * - push-pull, fanout f: log_{1+2f} n + log_{1+f} ln n; for f = 1, log3 n + log2 ln n, the
 *   log3 n + O(log log n) of Karp et al. 2000.
 * The O(1) terms are dropped, so expect the measured mean within a round or two.
 */
export function theoryRounds(mode: SpreadMode, n: number, f: number): number {
  if (n <= 1) return 0;
  const ln = Math.log(n);
  const lg = (b: number, x: number) => Math.log(x) / Math.log(b);
  const lnln = Math.max(0, Math.log(ln));
  switch (mode) {
    case 'push':
      return lg(1 + f, n) + ln / f;
    case 'pull':
      return lg(1 + f, n) + Math.max(0, lg(1 + f, ln));
    case 'push-pull':
      return lg(1 + 2 * f, n) + lnln / Math.log(1 + f);
  }
}

function list(v: string, name: string): string[] {
  const xs = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (xs.length === 0) throw new Error(`${name} needs at least one value`);
  return xs;
}

function ints(v: string, name: string, min: number, max: number): number[] {
  return list(v, name).map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name}: "${x}" must be a whole number from ${min} to ${max.toLocaleString('en')}`);
    return n;
  });
}

export interface SweepArgs {
  replicas: number[];
  modes: SpreadMode[];
  fanout: number[];
  trials: number;
  seed: number;
  sequential: boolean;
}

export function parseSweepArgs(args: string[]): SweepArgs {
  const get = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(['--replicas', '--modes', '--fanout', '--trials', '--seed']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (known.has(a)) i++;
    else if (a !== '--sequential') throw new Error(`unknown option ${a}`);
  }
  const modes = list(get('--modes', 'push,pull,push-pull'), '--modes').map((m) => {
    if (m !== 'push' && m !== 'pull' && m !== 'push-pull')
      throw new Error(`--modes: "${m}" is not push, pull or push-pull`);
    return m;
  });
  const replicas = ints(get('--replicas', '10,100,1000'), '--replicas', 2, 10_000);
  const fanout = ints(get('--fanout', '1'), '--fanout', 1, 8);
  for (const f of fanout)
    for (const n of replicas) if (f >= n) throw new Error(`--fanout ${f} needs more than ${f} replicas`);
  const [trials] = ints(get('--trials', '200'), '--trials', 1, 100_000);
  const [seed] = ints(get('--seed', '1'), '--seed', 0, 0xffff_ffff);
  return { replicas, modes, fanout, trials: trials!, seed: seed!, sequential: args.includes('--sequential') };
}

export function sweepRows(a: SweepArgs): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const mode of a.modes)
    for (const n of a.replicas)
      for (const f of a.fanout) rows.push(sweepRow(a.seed, mode, n, f, a.trials, a.sequential));
  return rows;
}

export function csvLine(r: SweepRow): string {
  return [
    r.mode,
    r.replicas,
    r.fanout,
    r.trials,
    r.mean.toFixed(2),
    r.p50,
    r.p95,
    theoryRounds(r.mode, r.replicas, r.fanout).toFixed(2),
  ].join(',');
}

/** Prints the CSV as rows complete (a 10,000-replica row takes a while). */
export function sweepCommand(args: string[], write: (s: string) => void): void {
  const kind = args.shift();
  if (kind !== 'gossip')
    throw new Error(`sweep: only "gossip" can be swept (got ${kind === undefined ? 'nothing' : `"${kind}"`})`);
  const a = parseSweepArgs(args);
  write(SWEEP_HEADER + '\n');
  for (const mode of a.modes)
    for (const n of a.replicas)
      for (const f of a.fanout) write(csvLine(sweepRow(a.seed, mode, n, f, a.trials, a.sequential)) + '\n');
}
