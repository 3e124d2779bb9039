import fc from 'fast-check';
import type { Conformance, Run } from '../conformance.testkit';
import { checkHistory } from '../../history/check';
import { canonicalJson } from '../../core/hash';
import { workloadArb } from '../../scenario/arbitrary.testkit';
import type { Action, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/schema';
import type { GossipConfig } from './config';
import type { GossipState } from './gossip';
import { content } from './harness.testkit';
import { worldAt } from '../../engine/engine';

/**
 * Gossip's promise (docs/engine.md), for the correct modes (lww, mv-register); the reference
 * mode is excluded and its failure is a named test (gossip.test.ts, crdt.test.ts).
 *
 * Runs: 2–5 replicas, agents with random workloads attached to them, partitions among the
 * replicas that change, then at tick H a heal, every workload idle, and B rounds later every
 * agent reads every key at its own replica. Agents' links to their replicas are never cut.
 */

export const BOUND_ROUNDS = 30;
const KEYS = ['x', 'y', 'z'];

const runs = fc
  .record({
    seed: fc.nat({ max: 0xffff_ffff }),
    n: fc.integer({ min: 2, max: 5 }),
    agents: fc.integer({ min: 1, max: 4 }),
    mode: fc.constantFrom<GossipConfig['mode']>('lww', 'mv-register'),
    exchange: fc.constantFrom<GossipConfig['exchange']>('push', 'pull', 'push-pull'),
    round: fc.constantFrom<GossipConfig['round']>('synchronous', 'synchronous', 'sequential'),
    latency: fc.integer({ min: 1, max: 3 }),
    extra: fc.integer({ min: 0, max: 3 }),
    workloads: fc.array(workloadArb, { minLength: 4, maxLength: 4 }),
    cuts: fc.array(fc.tuple(fc.integer({ min: 0, max: 80 }), fc.array(fc.nat(1), { minLength: 5, maxLength: 5 })), {
      maxLength: 4,
    }),
  })
  .map((r) => {
    const replicas = Array.from({ length: r.n }, (_, i) => `r${i + 1}`);
    const period = r.latency + r.extra;
    const heal = 100;
    const readAt = heal + BOUND_ROUNDS * period + period;
    const ids = Array.from({ length: r.agents }, (_, i) => `agent${i + 1}`);
    const actions: Action[] = [];
    for (const [tick, sides] of [...r.cuts].sort((a, b) => a[0] - b[0])) {
      const g0 = replicas.filter((_, i) => sides[i] === 0);
      const g1 = replicas.filter((_, i) => sides[i] === 1);
      if (g0.length && g1.length) actions.push({ tick, type: 'partition', groups: [g0, g1] });
      else actions.push({ tick, type: 'heal-all' });
    }
    actions.push({ tick: heal, type: 'heal-all' });
    for (const a of ids) actions.push({ tick: heal, type: 'set-workload', agent: a, workload: { kind: 'idle' } });
    for (const a of ids)
      for (const key of KEYS) actions.push({ tick: readAt, type: 'op', agent: a, op: 'get', args: { key } });
    const scenario: Scenario = {
      format: FORMAT_VERSION,
      name: 'gossip conformance',
      seed: r.seed,
      duration: readAt + 40,
      architecture: { kind: 'gossip', replicas, mode: r.mode, exchange: r.exchange, fanout: 1, period, round: r.round },
      network: { latency: r.latency, jitter: 0, loss: 0, duplication: 0 },
      agents: ids.map((id, i) => {
        const w = r.workloads[i]!;
        return {
          id,
          workload: w.kind === 'random' ? { ...w, keys: w.keys.map((_, j) => KEYS[j % KEYS.length]!) } : w,
          timeout: 2 * r.latency + 2,
          retryEvery: 0,
        };
      }),
      actions,
    };
    return { scenario, isolated: [] as string[] };
  });

function replicaStates(run: Run): [GossipConfig, GossipState[]] {
  const config = run.world.arch as GossipConfig;
  return [config, config.replicas.map((id) => run.world.servers[id]!.state as GossipState)];
}

function localOpsComplete(run: Run): string | null {
  const bad = run.world.history.filter((r) => r.outcome !== null && r.outcome !== 'ok');
  return bad.length
    ? bad
        .slice(0, 3)
        .map((r) => `op ${r.id} (${r.agent} ${r.op}) ended ${r.outcome}: ${r.reason}`)
        .join('\n')
    : null;
}

/**
 * Equal version vectors ⇒ equal states (SEC), at every replica pair, at several ticks of the
 * partitioned phase (replicas on one side agree while the sides differ) and at the end.
 */
function sameUpdatesSameState(run: Run): string | null {
  let pairs = 0;
  for (const t of [20, 40, 60, 80, 99, run.scenario.duration]) {
    const w = t === run.scenario.duration ? run.world : worldAt(run.scenario, t);
    const [config, states] = replicaStates({ ...run, world: w });
    for (let i = 0; i < states.length; i++) {
      for (let j = i + 1; j < states.length; j++) {
        const a = states[i]!;
        const b = states[j]!;
        if (canonicalJson(a.doc.vv) !== canonicalJson(b.doc.vv)) continue;
        pairs += 1;
        if (content(a, config) !== content(b, config))
          return `tick ${t}: ${a.id} and ${b.id} have seen the same updates (${canonicalJson(a.doc.vv)}) but differ`;
      }
    }
  }
  return pairs > 0 ? null : 'no pair of replicas ever had the same updates: the check saw nothing';
}

/**
 * After the heal, with no writes, all replicas are equal within BOUND_ROUNDS rounds: their
 * states, and what every agent reads of every key at its own replica. In the LWW mode the
 * clock is a hybrid of the tick, so the surviving write of each key is the last one in real
 * time among writes that did not overlap: the writes plus the final reads must then be
 * linearizable, which the history checker decides.
 */
function convergesAfterHeal(run: Run): string | null {
  const [config, states] = replicaStates(run);
  const first = content(states[0]!, config);
  const odd = states.find((s) => content(s, config) !== first);
  if (odd) return `${BOUND_ROUNDS} rounds after the heal ${odd.id} still differs from ${states[0]!.id}`;
  const finals = run.world.history.filter((r) => r.op === 'get' && r.invokedAt >= run.scenario.duration - 40);
  const byKey = new Map<string, string>();
  for (const r of finals) {
    if (r.outcome !== 'ok') return `final read ${r.id} by ${r.agent} ended ${r.outcome}: ${r.reason}`;
    const key = (r.args as { key: string }).key;
    const res = r.result as { value: unknown; siblings?: unknown };
    const seen = canonicalJson([res.value, res.siblings ?? null]);
    const prev = byKey.get(key);
    if (prev !== undefined && prev !== seen)
      return `final reads of ${key} disagree: ${prev} vs ${seen} (op ${r.id}, ${r.agent})`;
    byKey.set(key, seen);
  }
  if (config.mode !== 'lww') return null;
  // A delete's `existed` speaks of its replica's state at the time, which may be stale; only
  // its effect is checked here, so it is left out.
  const writesAndFinals = run.world.history
    .filter((r) => r.op !== 'get' || r.invokedAt >= run.scenario.duration - 40)
    .map((r) => (r.op === 'delete' ? { ...r, result: {} } : r));
  const rep = checkHistory({ ops: writesAndFinals }, { sequentialMaxSteps: 0 });
  if (rep.linearizable === false)
    return `the converged LWW state is no linearization of the writes: ${rep.witness?.explanation ?? ''}`;
  return null;
}

/**
 * mv-register: reads return every concurrent sibling, judged by the multi-value model (every
 * value shown was written before the read returned), and siblings do appear in these runs.
 */
function multiValueReads(run: Run): string | null {
  const config = run.world.arch as GossipConfig;
  if (config.mode !== 'mv-register') return null;
  const rep = checkHistory({ ops: run.world.history }, { sequentialMaxSteps: 0, witness: false });
  const bad = rep.multiValue?.thinAir[0];
  if (bad !== undefined)
    return `op ${bad.opId} (${bad.agent}) showed ${bad.value} for ${bad.key}, which no earlier write wrote`;
  for (const r of run.world.history) {
    const res = r.result as { value?: unknown; siblings?: unknown[] } | null;
    if (r.op === 'get' && r.outcome === 'ok' && Array.isArray(res?.siblings) && res.siblings.length < 2)
      return `op ${r.id} reports ${res.siblings.length} sibling(s): siblings are two or more`;
  }
  return null;
}

export const gossipConformance: Conformance = {
  kind: 'gossip',
  promises: [
    {
      name: 'local operations always complete (partitions among replicas do not matter)',
      runs,
      numRuns: 40,
      check: localOpsComplete,
    },
    {
      name: 'replicas that have received the same updates are equal (strong eventual consistency)',
      runs,
      numRuns: 40,
      check: sameUpdatesSameState,
    },
    {
      name: `after a heal with no new writes every replica converges within ${BOUND_ROUNDS} rounds; final reads agree (LWW: linearizable with the writes)`,
      runs,
      numRuns: 40,
      check: (run) => localOpsComplete(run) ?? convergesAfterHeal(run),
    },
    {
      name: 'mv-register reads show every concurrent sibling, each written before the read returned (the multi-value model)',
      runs,
      numRuns: 40,
      check: multiValueReads,
    },
  ],
};
