import fc from 'fast-check';
import type { Conformance, Run } from '../conformance.testkit';
import { linearizable } from '../conformance.testkit';
import { workloadArb } from '../../scenario/arbitrary.testkit';
import type { Action, AgentSpec, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/limits';
import { dictKeys } from '../../core/dict';
import type { PartitionedConfig } from './config';
import { defaultPartitionedConfig, withShardAdded, withShardRetired } from './constants';
import { COORDINATOR, placementOf } from './partitioned';
import { replicasOf } from './placement';
import { coord, shards, storedValue } from './partitioned.testkit';

/**
 * The partitioned store's promise as properties over generated runs: faults (loss,
 * duplication, cuts, partitions, crashes of the coordinator and of shards), shards added and
 * retired mid-run, strategies switched; the history checker is the oracle.
 */

const KEYS = ['x', 'y', 'z', '__proto__', 'constructor', 'apple', 'mango', 'zebra'];

interface Opts {
  replicated: boolean;
  crossShard: PartitionedConfig['crossShard'];
  /** End with everything healed and recovered, and quiet time to finish. */
  settle: boolean;
}

export function partitionedRunArb(o: Opts): fc.Arbitrary<{ scenario: Scenario; isolated: string[] }> {
  return fc
    .record({
      seed: fc.nat({ max: 0xffff_ffff }),
      n: fc.integer({ min: 1, max: 3 }),
      duration: fc.integer({ min: 40, max: 160 }),
      latency: fc.integer({ min: 1, max: 4 }),
      jitter: fc.integer({ min: 0, max: 4 }),
      loss: fc.constantFrom(0, 0, 0.05, 0.15),
      duplication: fc.constantFrom(0, 0.1, 0.4),
      strategy: fc.constantFrom('md5-mod' as const, 'ranges' as const, 'consistent' as const),
      shardCount: fc.integer({ min: o.replicated ? 3 : 1, max: 4 }),
      quorum: fc.constantFrom([3, 2, 2], [3, 1, 3], [3, 3, 1], [2, 2, 1]),
      opTimeout: fc.integer({ min: 6, max: 30 }),
      workloads: fc.array(workloadArb, { minLength: 3, maxLength: 3 }),
      timeouts: fc.array(fc.integer({ min: 8, max: 60 }), { minLength: 3, maxLength: 3 }),
      retries: fc.array(fc.constantFrom(0, 0, 3, 7), { minLength: 3, maxLength: 3 }),
      faults: fc.array(
        fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 11 }), fc.nat({ max: 100 }), fc.nat({ max: 100 })),
        { maxLength: 8 },
      ),
    })
    .map((r) => {
      const [N, R, W] = o.replicated ? r.quorum : [1, 1, 1];
      const base: PartitionedConfig = {
        ...defaultPartitionedConfig(r.shardCount),
        strategy: r.strategy,
        vnodes: 20,
        replication: N!,
        readQuorum: R!,
        writeQuorum: W!,
        readWriteBack: o.replicated,
        crossShard: o.crossShard,
        opTimeout: r.opTimeout,
        rebalanceBatch: 2,
      };
      const ids = Array.from({ length: r.n }, (_, i) => `agent${i + 1}`);
      const agents: AgentSpec[] = ids.map((id, i) => ({
        id,
        // Unique keys: the agent's update picks distinct keys until it has enough.
        workload:
          r.workloads[i]!.kind === 'random'
            ? {
                ...r.workloads[i]!,
                keys: [
                  ...new Set(r.workloads[i]!.keys.map((k, j) => KEYS[(KEYS.indexOf(k) + 3 * j + i) % KEYS.length]!)),
                ],
              }
            : r.workloads[i]!,
        timeout: r.timeouts[i]!,
        retryEvery: r.retries[i]!,
      }));
      let config = base;
      const actions: Action[] = [];
      const servers = (): string[] => [COORDINATOR, ...config.shards, ...config.retired];
      const sorted = [...r.faults].sort((a, b) => (a[0] % r.duration) - (b[0] % r.duration));
      for (const [t, kind, a, b] of sorted) {
        const tick = t % r.duration;
        const nodes = [...servers(), ...ids];
        const pick = (k: number): string => nodes[k % nodes.length]!;
        switch (kind) {
          case 0:
            actions.push({ tick, type: 'cut-link', from: pick(a), to: pick(b) });
            break;
          case 1:
            actions.push({ tick, type: 'heal-link', from: pick(a), to: pick(b) });
            break;
          case 2:
            actions.push({ tick, type: 'crash', node: pick(a) });
            break;
          case 3:
            actions.push({ tick, type: 'recover', node: pick(a) });
            break;
          case 4:
            actions.push({ tick, type: 'heal-all' });
            break;
          case 5:
            actions.push({
              tick,
              type: 'op',
              agent: ids[a % ids.length]!,
              op: 'update',
              args: {
                updates: { [KEYS[a % KEYS.length]!]: `u${t}`, [KEYS[(a + 1 + (b % 7)) % KEYS.length]!]: `u${t}` },
              },
            });
            break;
          case 6:
            actions.push({ tick, type: 'drop-message', message: a });
            break;
          case 7:
          case 8: {
            // Add a shard.
            if (config.shards.length + config.retired.length >= 6) break;
            config = withShardAdded(config);
            actions.push({ tick, type: 'configure', config });
            break;
          }
          case 9: {
            // Retire a shard (it stays until its keys are handed off).
            if (config.shards.length <= Math.max(1, config.replication)) break;
            const gone = config.shards[a % config.shards.length]!;
            config = withShardRetired(config, gone);
            actions.push({ tick, type: 'configure', config });
            break;
          }
          case 10: {
            const strategy = (['md5-mod', 'ranges', 'consistent'] as const)[b % 3]!;
            config = { ...config, strategy };
            actions.push({ tick, type: 'configure', config });
            break;
          }
          default:
            actions.push({ tick, type: 'set-link', from: pick(a), to: pick(b), latency: 1 + (b % 9) });
            break;
        }
      }
      let duration = r.duration;
      if (o.settle) {
        actions.push({ tick: duration, type: 'heal-all' });
        for (const n of [...servers(), ...ids]) actions.push({ tick: duration, type: 'recover', node: n });
        for (const id of ids)
          actions.push({ tick: duration, type: 'set-workload', agent: id, workload: { kind: 'idle' } });
        duration += 250;
      }
      const scenario: Scenario = {
        format: FORMAT_VERSION,
        name: 'generated partitioned',
        seed: r.seed,
        duration,
        architecture: base,
        network: { latency: r.latency, jitter: r.jitter, loss: o.settle ? 0 : r.loss, duplication: r.duplication },
        agents,
        actions: actions.sort((x, y) => x.tick - y.tick),
      };
      return { scenario, isolated: [] };
    });
}

/**
 * Two-phase commit all or nothing, once everything has recovered: no transaction left open,
 * no participant still prepared, participants' logs agree, and no update is half applied
 * (if one key still holds the update's value, every other key of it holds a later write).
 */
export function atomicCommit(run: Run): string | null {
  const w = run.world;
  const c = coord(w);
  const problems: string[] = [];
  const open = dictKeys(c.txns);
  if (open.length) problems.push(`transactions still open after recovery: ${open.join(', ')}`);
  const decided = new Map<number, string>();
  for (const sh of shards(w)) {
    if (dictKeys(sh.prepared).length)
      problems.push(`${sh.id} is still prepared for ${dictKeys(sh.prepared).join(', ')}`);
    for (const [t, d] of sh.log) {
      const prev = decided.get(t);
      if (prev !== undefined && prev !== d) problems.push(`txn ${t}: one participant logged ${prev}, another ${d}`);
      decided.set(t, d);
    }
  }
  problems.push(...halfApplied(run));
  return problems.length ? problems.slice(0, 5).join('\n') : null;
}

/** Updates some of whose keys hold the update's value while another key holds an older write. */
export function halfApplied(run: Run): string[] {
  const problems: string[] = [];
  for (const op of run.world.history) {
    if (op.op !== 'update' || op.outcome === 'fail') continue;
    const u = (op.args as { updates?: Record<string, unknown> }).updates;
    if (!u) continue;
    const keys = Object.keys(u);
    if (keys.length < 2) continue;
    const stored = keys.map((k) => [k, storedValue(run.world, k)] as const);
    const mine = stored.filter(([k, s]) => s !== null && JSON.stringify(s.v) === JSON.stringify(u[k]));
    if (mine.length === 0) continue;
    const ver = Math.min(...mine.map(([, s]) => s!.ver));
    for (const [k, s] of stored) {
      if (s === null || s.ver < ver)
        problems.push(
          `update ${op.id} (${op.outcome}) is half applied: ${mine.map(([x]) => x).join(', ')} hold it but ${k} holds an older version`,
        );
    }
  }
  return problems;
}

/**
 * Fault isolation: one shard cut off from the coordinator (both ways) from the start, a
 * lossless network, timeouts that cover the round trips. Operations whose keys all live on
 * reachable shards complete `ok`; those touching the cut shard do not (reads fail, writes end
 * `info`); get_all is marked partial or fails, as configured.
 */
const isolationRuns = fc
  .record({
    seed: fc.nat({ max: 0xffff_ffff }),
    strategy: fc.constantFrom('md5-mod' as const, 'ranges' as const, 'consistent' as const),
    shardCount: fc.integer({ min: 2, max: 4 }),
    cut: fc.nat({ max: 3 }),
    latency: fc.integer({ min: 1, max: 4 }),
    jitter: fc.integer({ min: 0, max: 2 }),
    duplication: fc.constantFrom(0, 0.3),
    getAll: fc.constantFrom('partial' as const, 'fail' as const),
    workloads: fc.array(workloadArb, { minLength: 3, maxLength: 3 }),
    allAt: fc.array(fc.integer({ min: 1, max: 150 }), { maxLength: 3 }),
  })
  .map((r) => {
    const config: PartitionedConfig = {
      ...defaultPartitionedConfig(r.shardCount),
      strategy: r.strategy,
      vnodes: 20,
      getAll: r.getAll,
      opTimeout: 4 * (r.latency + r.jitter) + 4,
    };
    const cut = config.shards[r.cut % r.shardCount]!;
    const timeout = 2 * config.opTimeout + 4 * (r.latency + r.jitter) + 4;
    const ids = ['agent1', 'agent2', 'agent3'];
    const cuts: Action[] = [
      { tick: 0, type: 'cut-link', from: COORDINATOR, to: cut },
      { tick: 0, type: 'cut-link', from: cut, to: COORDINATOR },
    ];
    const alls = r.allAt.map((tick, i): Action => ({ tick, type: 'op', agent: ids[i % 3]!, op: 'get_all', args: {} }));
    const actions = [...cuts, ...alls].sort((a, b) => a.tick - b.tick);
    const scenario: Scenario = {
      format: FORMAT_VERSION,
      name: 'isolation',
      seed: r.seed,
      duration: 250,
      architecture: config,
      network: { latency: r.latency, jitter: r.jitter, loss: 0, duplication: r.duplication },
      agents: ids.map((id, i) => ({
        id,
        workload:
          r.workloads[i]!.kind === 'random'
            ? {
                ...r.workloads[i]!,
                keys: [
                  ...new Set(r.workloads[i]!.keys.map((k, j) => KEYS[(KEYS.indexOf(k) + 2 * j + i) % KEYS.length]!)),
                ],
              }
            : r.workloads[i]!,
        timeout,
        retryEvery: 0,
      })),
      actions,
    };
    return { scenario, isolated: [cut] };
  });

function faultIsolation(run: Run): string | null {
  const config = run.scenario.architecture as PartitionedConfig;
  const cut = [...run.isolated][0]!;
  const p = placementOf(config);
  const problems: string[] = [];
  for (const r of run.world.history) {
    if (r.outcome === null) continue;
    const args = r.args as { key?: string; updates?: Record<string, unknown> };
    if (r.op === 'get_all') {
      const res = r.result as { partial?: boolean } | null;
      // Complete when no key the coordinator knows lives on the cut shard; else partial or failed.
      const complete = r.outcome === 'ok' && res?.partial === false;
      const expected =
        complete || (config.getAll === 'fail' ? r.outcome === 'fail' : r.outcome === 'ok' && res?.partial === true);
      if (!expected)
        problems.push(
          `get_all ${r.id} ended ${r.outcome} ${JSON.stringify(r.result)} with ${cut} cut off (get_all: ${config.getAll})`,
        );
      continue;
    }
    const keys = args.updates ? Object.keys(args.updates) : typeof args.key === 'string' ? [args.key] : [];
    const touches = keys.some((k) => replicasOf(k, p).includes(cut));
    if (touches && r.outcome === 'ok')
      problems.push(`op ${r.id} (${r.op} ${keys.join(', ')}) ended ok although ${cut} is cut off`);
    if (!touches && r.outcome !== 'ok')
      problems.push(
        `op ${r.id} (${r.op} ${keys.join(', ')}) needs only reachable shards but ended ${r.outcome}: ${r.reason}`,
      );
  }
  return problems.length ? problems.slice(0, 5).join('\n') : linearizable(run, { fracturedReads: false });
}

export const partitionedConformance: Conformance = {
  kind: 'partitioned',
  promises: [
    {
      name: 'faults are isolated: with one shard cut off, operations on other shards complete; its keys are unavailable; get_all is partial or fails',
      runs: isolationRuns,
      numRuns: 80,
      check: faultIsolation,
    },
    {
      name: 'without replication: linearizable per key under loss, duplication, retries, partitions, crashes and rebalancing',
      runs: partitionedRunArb({ replicated: false, crossShard: 'naive', settle: false }),
      numRuns: 150,
      check: (run) => linearizable(run, { fracturedReads: false }),
    },
    {
      name: 'replicated with strict quorums and read write-back (ABD): linearizable per key under the same faults',
      runs: partitionedRunArb({ replicated: true, crossShard: 'naive', settle: false }).filter(({ scenario }) => {
        const a = scenario.architecture as PartitionedConfig;
        return a.readQuorum + a.writeQuorum > a.replication;
      }),
      numRuns: 100,
      check: (run) => linearizable(run, { fracturedReads: false }),
    },
    {
      name: 'two-phase commit: all or nothing once everyone recovers, and linearizable per key',
      runs: partitionedRunArb({ replicated: false, crossShard: '2pc', settle: true }),
      numRuns: 100,
      check: (run) => atomicCommit(run) ?? linearizable(run, { fracturedReads: false }),
    },
    {
      name: 'two-phase commit with replication and ABD: all or nothing once everyone recovers, and linearizable per key',
      runs: partitionedRunArb({ replicated: true, crossShard: '2pc', settle: true }),
      numRuns: 60,
      check: (run) => atomicCommit(run) ?? linearizable(run, { fracturedReads: false }),
    },
  ],
};
