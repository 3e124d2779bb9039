/**
 * `sim route`: the partitioned store's placement, headless. Reads keys (one a line) on
 * standard input and prints `key<TAB>shard index` for each, with the same routing code the
 * engine runs; `--from N --to M` prints instead the fraction of the keys whose shard changes.
 */
import {
  keysMoved,
  ownerIndex,
  STRATEGIES,
  type Placement,
  type Strategy,
} from '../src/sim/architectures/partitioned/placement';

function placement(strategy: Strategy, n: number, vnodes: number): Placement {
  return { strategy, shards: Array.from({ length: n }, (_, i) => `shard${i}`), vnodes, replication: 1 };
}

function count(v: string | undefined, name: string, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

export function routeCommand(args: string[], input: string, write: (text: string) => void): void {
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  const strategy = (opt('--strategy') ?? 'md5-mod') as Strategy;
  if (!STRATEGIES.includes(strategy)) throw new Error(`--strategy must be one of ${STRATEGIES.join(', ')}`);
  const vnodes = count(opt('--vnodes'), '--vnodes', 100, 1000);
  // Keys are lines; a trailing newline does not make an empty key (empty lines are skipped).
  const keys = input.split(/\r?\n/).filter((k) => k.length > 0);
  const from = opt('--from');
  const to = opt('--to');
  if (from !== undefined || to !== undefined) {
    const a = count(from, '--from', 1, 4096);
    const b = count(to, '--to', 1, 4096);
    const fraction = (s: Strategy): number =>
      keys.length === 0 ? 0 : keysMoved(keys, placement(s, a, vnodes), placement(s, b, vnodes)) / keys.length;
    const others: Record<string, number> = {};
    for (const s of STRATEGIES) others[s] = fraction(s);
    write(
      JSON.stringify({ strategy, from: a, to: b, keys: keys.length, moved: fraction(strategy), byStrategy: others }) +
        '\n',
    );
    return;
  }
  const n = count(opt('--shards'), '--shards', 3, 4096);
  const p = placement(strategy, n, vnodes);
  const lines: string[] = [];
  for (const k of keys) lines.push(`${k}\t${ownerIndex(k, p)}`);
  write(lines.join('\n') + (lines.length ? '\n' : ''));
}
