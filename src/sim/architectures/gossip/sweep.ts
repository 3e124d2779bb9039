import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { streamState } from '../../core/rng';

/**
 * Rounds to spread one write to every replica, as an abstract round model (no network, no
 * engine): the rumour-spreading model of the literature. n replicas, one knows the write;
 * each round every replica picks `fanout` distinct peers uniformly (seeded xoroshiro128+ from
 * pure-rand, the engine's generator). Synchronous rounds use the state as of the round's
 * start (push: knowers tell their peers; pull: others learn if a peer they ask knows;
 * push-pull: both). The sequential round is the reference's loop: replicas in order, each
 * exchange applied at once, so news can travel several hops in one round.
 */

export type SpreadMode = 'push' | 'pull' | 'push-pull';

export interface SpreadOptions {
  n: number;
  mode: SpreadMode;
  fanout: number;
  sequential?: boolean;
  /** Give up after this many rounds (a run that needs more returns the cap). */
  maxRounds?: number;
}

type Gen = ReturnType<typeof xoroshiro128plusFromState>;

/** `f` distinct peers of `self` among n, into `out`. */
function peers(g: Gen, n: number, self: number, f: number, out: number[]): number {
  let k = 0;
  while (k < f) {
    let p = uniformInt(g, 0, n - 2);
    if (p >= self) p += 1;
    let dup = false;
    for (let i = 0; i < k; i++) if (out[i] === p) dup = true;
    if (!dup) out[k++] = p;
  }
  return k;
}

/** Rounds until all n replicas know the write, and how many knew it after each round. */
export function spread(o: SpreadOptions, g: Gen): { rounds: number; curve: number[] } {
  const n = o.n;
  const f = Math.min(o.fanout, n - 1);
  const max = o.maxRounds ?? 10_000;
  let knows = new Uint8Array(n);
  knows[0] = 1;
  let count = 1;
  const curve = [1];
  const out: number[] = [];
  const push = o.mode !== 'pull';
  const pull = o.mode !== 'push';
  let rounds = 0;
  while (count < n && rounds < max) {
    rounds += 1;
    // Synchronous: decide on the round-start state, write into the next one.
    const next = o.sequential ? knows : Uint8Array.from(knows);
    for (let i = 0; i < n; i++) {
      const k = peers(g, n, i, f, out);
      for (let j = 0; j < k; j++) {
        const p = out[j]!;
        if (push && knows[i] && !next[p]) {
          next[p] = 1;
          count += 1;
        }
        if (pull && knows[p] && !next[i]) {
          next[i] = 1;
          count += 1;
        }
      }
    }
    knows = next;
    curve.push(count);
  }
  return { rounds, curve };
}

export interface SweepRow {
  mode: SpreadMode;
  replicas: number;
  fanout: number;
  trials: number;
  mean: number;
  p50: number;
  p95: number;
}

/** Nearest-rank percentile of sorted integers. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1]!;
}

/** One row: `trials` seeded runs; trial t draws from the stream named by the combination. */
export function sweepRow(
  seed: number,
  mode: SpreadMode,
  n: number,
  fanout: number,
  trials: number,
  sequential = false,
): SweepRow {
  const rounds: number[] = [];
  for (let t = 0; t < trials; t++) {
    const g = xoroshiro128plusFromState(
      streamState(seed, `sweep:${mode}:${sequential ? 'seq' : 'sync'}:${n}:${fanout}:${t}`),
    );
    rounds.push(spread({ n, mode, fanout, sequential }, g).rounds);
  }
  rounds.sort((a, b) => a - b);
  let sum = 0;
  for (const r of rounds) sum += r;
  return {
    mode,
    replicas: n,
    fanout,
    trials,
    mean: sum / trials,
    p50: percentile(rounds, 50),
    p95: percentile(rounds, 95),
  };
}
