import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join, resolve } from 'node:path';
import { advance, initWorld, type Scenario, type World } from '../src/sim/index';
import type { GossipState } from '../src/sim/architectures/gossip/gossip';
import { refSync, refValuesEqual, type RefStore } from '../src/sim/architectures/gossip/reference';
import { plainState, replay, type StoredEvent } from '../src/sim/architectures/event-sourcing/events';
import { md5Mod } from '../src/sim/architectures/partitioned/placement';
import type { Figure } from './engine';

/**
 * `npm run bench -- seed`: StateLab beside the reference's own Python, the same work in the
 * same run (../shared/bench/seed-python, or $STATELAB_SEED_PYTHON; see its README). Each pair
 * is checked for the same final state, then printed with its ratio (the reference's time over
 * StateLab's: above 1, StateLab is faster). Timings on a shared machine are noisy: StateLab's
 * side is the median of several repetitions, warm (after a run that compiles it); the
 * reference's side is what its driver reports (Python has no JIT to warm).
 */

const NODES = 1000;
const REPS = 5;
const EVENTS = 1_000_000;
const KEYS = 100_000;
const SHARDS = 3;
const PAIRS = 1000;
const PAIR_KEYS = 20;

function seedDir(): string {
  return resolve(process.env['STATELAB_SEED_PYTHON'] ?? '../shared/bench/seed-python');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function python(args: string[], input?: string): string {
  const r = spawnSync('python3', args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// ------------------------------------------------------------------ gossip through the engine

/**
 * The reference's cluster in the engine: 1,000 replicas in the reference mode (per-key
 * counters), push-pull with one peer, the sequential round (the reference's loop: turns in
 * replica order, each exchange on the current state). Turns are a round trip apart (latency
 * 1, two ticks a turn), so every exchange completes before the next replica's turn: the
 * reference's in-place round. One write of key1 at node_0, rounds until every replica holds
 * the same values (the reference's get_converged_state, checked each round as it does).
 */
export function gossipScenario(seed: number, nodes = NODES): Scenario {
  const replicas = Array.from({ length: nodes }, (_, i) => `node_${i}`);
  return {
    format: 1,
    name: 'seed gossip',
    seed,
    duration: 2 * nodes * 31,
    architecture: {
      kind: 'gossip',
      replicas,
      mode: 'reference',
      exchange: 'push-pull',
      fanout: 1,
      period: 2 * nodes,
      round: 'sequential',
    },
    network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
    agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 10, retryEvery: 0 }],
    actions: [{ tick: 0, type: 'op', agent: 'agent1', op: 'set', args: { key: 'key1', value: 'value1' } }],
  };
}

function converged(w: World, ids: string[]): RefStore | null {
  const first = (w.servers[ids[0]!]!.state as GossipState).ref;
  for (let i = 1; i < ids.length; i++)
    if (!refValuesEqual((w.servers[ids[i]!]!.state as GossipState).ref, first)) return null;
  return first;
}

export function gossipRun(seed: number, nodes = NODES): { rounds: number; perRoundMs: number; state: RefStore | null } {
  const s = gossipScenario(seed, nodes);
  const ids = s.architecture.kind === 'gossip' ? s.architecture.replicas : [];
  const period = 2 * nodes;
  const w = initWorld(s);
  // The write lands at node_0 at tick 1, before round 1 starts (at tick `period`).
  advance(w, s, period - 1);
  let rounds = 0;
  let state: RefStore | null = null;
  const t0 = performance.now();
  while (rounds < 30) {
    rounds += 1;
    // Round k runs from k·period (node_0's turn) to the reply of the last turn.
    advance(w, s, (rounds + 1) * period - 1);
    state = converged(w, ids);
    if (state) break;
  }
  const ms = performance.now() - t0;
  return { rounds, perRoundMs: ms / rounds, state };
}

// ------------------------------------------------------------------ the merge alone

/**
 * Pairs of replicas that have seen different prefixes of the same writes: key i is written by
 * writer w(i mod 4); in pair p one side has seen (p+i) mod 3 of its writes and the other
 * (p+2i) mod 3 (0: not the key at all), so per key either side may be ahead, or both equal.
 * The reference's counters and StateLab's shadow vectors agree on every key: no concurrent
 * write, nothing for the shadow to name; the work is the merge itself.
 */
function pairCounters(p: number, i: number): [number, number] {
  return [(p + i) % 3, (p + 2 * i) % 3];
}

function refPairs(): [RefStore, RefStore][] {
  const out: [RefStore, RefStore][] = [];
  for (let p = 0; p < PAIRS; p++) {
    const a: RefStore = {};
    const b: RefStore = {};
    for (let i = 0; i < PAIR_KEYS; i++) {
      const [ca, cb] = pairCounters(p, i);
      if (ca > 0) a[`k${i}`] = Object.freeze({ v: `v${i}:${ca}`, n: ca, who: Object.freeze({ [`w${i % 4}`]: ca }) });
      if (cb > 0) b[`k${i}`] = Object.freeze({ v: `v${i}:${cb}`, n: cb, who: Object.freeze({ [`w${i % 4}`]: cb }) });
    }
    out.push([Object.freeze(a), Object.freeze(b)]);
  }
  return out;
}

const MERGE_PY = `
import sys, json, time
sys.path.insert(0, sys.argv[1])
from gossip import GossipNode
P, K = int(sys.argv[2]), int(sys.argv[3])
pairs = []
for p in range(P):
    a, b = GossipNode("a"), GossipNode("b")
    for i in range(K):
        ca, cb = (p + i) % 3, (p + 2 * i) % 3
        if ca > 0: a.state[f"k{i}"] = f"v{i}:{ca}"; a.version_vector[f"k{i}"] = ca
        if cb > 0: b.state[f"k{i}"] = f"v{i}:{cb}"; b.version_vector[f"k{i}"] = cb
    pairs.append((a, b))
t0 = time.perf_counter()
for a, b in pairs: a._sync_with_peer(b)
t1 = time.perf_counter()
print(json.dumps(dict(work="merge", pairs=P, keys=K, merge_ms=(t1 - t0) * 1000,
    state=[[a.state, a.version_vector, b.state, b.version_vector] for a, b in pairs])))
`;

function mergeRun(): { ms: number; state: unknown } {
  const pairs = refPairs();
  global.gc?.();
  const t0 = performance.now();
  const merged = pairs.map(([a, b]) => refSync(a, b));
  const ms = performance.now() - t0;
  const vals = (s: RefStore) => Object.fromEntries(Object.keys(s).map((k) => [k, s[k]!.v]));
  const ctrs = (s: RefStore) => Object.fromEntries(Object.keys(s).map((k) => [k, s[k]!.n]));
  return { ms, state: merged.map((m) => [vals(m.a), ctrs(m.a), vals(m.b), ctrs(m.b)]) };
}

// ------------------------------------------------------------------ replay

/** The reference's driver's log: update_position {x, y} and change_status {status}, as it writes them (schema 1). */
export function referenceLog(count = EVENTS): StoredEvent[] {
  const events: StoredEvent[] = new Array<StoredEvent>(count);
  for (let i = 0; i < count; i++) {
    const v = i + 1;
    events[i] = Object.freeze(
      i % 2 === 0
        ? {
            v,
            type: 'update_position' as const,
            schema: 1,
            data: Object.freeze({ x: i % 100, y: (i * 7) % 100 }),
            agent: 'agent1',
            op: v,
            at: v,
            commit: v,
          }
        : {
            v,
            type: 'change_status' as const,
            schema: 1,
            data: Object.freeze({ status: i % 4 === 1 ? 'moving' : 'idle' }),
            agent: 'agent1',
            op: v,
            at: v,
            commit: v,
          },
    );
  }
  return events;
}

// ------------------------------------------------------------------ the bench

function ratio(ref: number, ours: number): number {
  return Math.round((ref / ours) * 100) / 100;
}

export function seedBench(): { figures: Figure[]; line: string | null; notes: string[] } {
  const dir = seedDir();
  const script = join(dir, 'seed_bench.py');
  const notes: string[] = [];
  if (!existsSync(script))
    return {
      figures: [],
      line: null,
      notes: [
        `skipped: no ${script} (the reference's Python is shared/bench/seed-python; clone beside ../shared or set STATELAB_SEED_PYTHON to that folder)`,
      ],
    };
  if (spawnSync('python3', ['--version']).status !== 0)
    return { figures: [], line: null, notes: ['skipped: python3 is not on the PATH (the reference side needs it)'] };

  const figures: Figure[] = [];
  const same = (what: string, ok: boolean): void => {
    if (!ok) throw new Error(`seed: ${what}: StateLab and the reference do not reach the same final state`);
  };

  // Gossip.
  const py = JSON.parse(
    python([script, 'gossip', '--nodes', String(NODES), '--seed', '1', '--reps', String(REPS)]),
  ) as {
    rounds: number[];
    per_round_ms: number;
  };
  // StateLab's side runs warm (a JIT's first runs measure the compiler), after a collection.
  for (let k = 0; k < 3; k++) gossipRun(REPS + 1 + k);
  const runs = Array.from({ length: REPS }, (_, k) => {
    global.gc?.();
    return gossipRun(1 + k);
  });
  for (const r of runs) same('gossip', isDeepStrictEqual(r.state && plainRef(r.state), { key1: 'value1' }));
  same(
    'gossip (the reference converged)',
    py.rounds.every((r) => r < 30),
  );
  const gossipMs = median(runs.map((r) => r.perRoundMs));
  figures.push(
    {
      name: `gossip, ${NODES} nodes, reference mode, in-place round: reference, per round`,
      value: round3(py.per_round_ms),
      unit: 'ms',
    },
    {
      name: `  StateLab through the engine, per round (rounds ${runs.map((r) => r.rounds).join(',')}; reference ${py.rounds.join(',')})`,
      value: round3(gossipMs),
      unit: 'ms',
    },
  );
  const g = ratio(py.per_round_ms, gossipMs);
  figures.push({ name: '  ratio (reference / StateLab)', value: g, unit: 'x', target: '≥ 1' });

  // Merge.
  const pm = JSON.parse(python(['-c', MERGE_PY, dir, String(PAIRS), String(PAIR_KEYS)])) as {
    merge_ms: number;
    state: unknown;
  };
  mergeRun();
  mergeRun();
  const merges = Array.from({ length: 7 }, () => mergeRun());
  for (const m of merges) same('merge', isDeepStrictEqual(m.state, pm.state));
  const mergeMs = median(merges.map((m) => m.ms));
  figures.push(
    {
      name: `merge alone, ${PAIRS} pairs × ${PAIR_KEYS} keys: reference _sync_with_peer`,
      value: round3(pm.merge_ms),
      unit: 'ms',
    },
    { name: '  StateLab refSync (per-key counters and version vectors)', value: round3(mergeMs), unit: 'ms' },
  );
  const m = ratio(pm.merge_ms, mergeMs);
  figures.push({ name: '  ratio (reference / StateLab)', value: m, unit: 'x', target: '≥ 5' });

  // Replay.
  const pe = JSON.parse(python([script, 'events', '--count', String(EVENTS)])) as { replay_ms: number; state: unknown };
  const log = referenceLog();
  const replays: number[] = [];
  // No collection before these: after a full one V8 shrinks the young generation, and a
  // replay that allocates an entry per event then pays for many more scavenges.
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    const r = replay(log);
    const state = plainState(r.state);
    replays.push(performance.now() - t0);
    same('replay', isDeepStrictEqual(state, pe.state));
  }
  const replayMs = median(replays);
  figures.push(
    {
      name: `replay ${EVENTS.toLocaleString('en')} events from memory: reference replay()`,
      value: round3(pe.replay_ms),
      unit: 'ms',
    },
    { name: "  StateLab replay through the projection's apply", value: round3(replayMs), unit: 'ms' },
  );
  const r = ratio(pe.replay_ms, replayMs);
  figures.push({ name: '  ratio (reference / StateLab)', value: r, unit: 'x', target: '≥ 5' });

  // Route.
  const keys = Array.from({ length: KEYS }, (_, i) => `key-${i + 1}`);
  const input = keys.join('\n') + '\n';
  const pr = JSON.parse(python([script, 'route', '--shards', String(SHARDS)], input)) as { route_ms: number };
  const printed = python([script, 'route', '--shards', String(SHARDS), '--print'], input)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(l.split('\t')[1]));
  const routes: number[] = [];
  for (let k = 0; k < 7; k++) {
    const out = new Array<number>(keys.length);
    const t0 = performance.now();
    for (let i = 0; i < keys.length; i++) out[i] = md5Mod(keys[i]!, SHARDS);
    routes.push(performance.now() - t0);
    same('route', isDeepStrictEqual(out, printed));
  }
  const routeMs = median(routes);
  figures.push(
    {
      name: `md5-mod routing of ${KEYS.toLocaleString('en')} keys, ${SHARDS} shards: reference`,
      value: round3(pr.route_ms),
      unit: 'ms',
    },
    { name: '  StateLab md5Mod', value: round3(routeMs), unit: 'ms' },
  );
  const y = ratio(pr.route_ms, routeMs);
  figures.push({ name: '  ratio (reference / StateLab)', value: y, unit: 'x', target: '≥ 1' });

  notes.push('every pair reached the same final state on both sides');
  return { figures, line: `seed-ratio gossip=${g} merge=${m} replay=${r} route=${y}`, notes };
}

function plainRef(s: RefStore): { [k: string]: unknown } {
  return Object.fromEntries(Object.keys(s).map((k) => [k, s[k]!.v]));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
