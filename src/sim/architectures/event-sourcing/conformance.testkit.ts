import fc from 'fast-check';
import type { Conformance, Run } from '../conformance.testkit';
import { linearizable } from '../conformance.testkit';
import type { JsonValue } from '../../core/json';
import { canonicalJson } from '../../core/hash';
import { checkSessions } from '../../history/sessions';
import { workloadArb } from '../../scenario/arbitrary.testkit';
import type { Action, AgentSpec, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/schema';
import type { EventSourcingConfig, EventType } from './config';
import { plainState, replay, stateAsOf } from './events';
import { LOG, type LogState, type ProjectionState } from './log';

/**
 * Event sourcing's promise, over generated runs: loss, duplication, retries, cut links,
 * partitions and crashes of the log, the projections and the agents. Every run ends with a
 * quiet period (faults healed, nodes recovered, workloads idle), so "catches up after a
 * heal" can be checked at its end.
 */

const QUIET = 400;

interface Gen {
  readsFrom: 'log' | 'projection';
  readYourWrites: boolean;
}

function runs(gen: Gen): fc.Arbitrary<{ scenario: Scenario; isolated: string[] }> {
  return fc
    .record({
      seed: fc.nat({ max: 0xffff_ffff }),
      n: fc.integer({ min: 1, max: 4 }),
      active: fc.integer({ min: 20, max: 150 }),
      latency: fc.integer({ min: 1, max: 5 }),
      jitter: fc.integer({ min: 0, max: 3 }),
      loss: fc.constantFrom(0, 0, 0.05, 0.2),
      duplication: fc.constantFrom(0, 0.1, 0.5),
      projections: fc.integer({ min: 1, max: 3 }),
      filtered: fc.boolean(),
      delivery: fc.constantFrom('pull' as const, 'push' as const),
      pullEvery: fc.integer({ min: 1, max: 8 }),
      batch: fc.integer({ min: 1, max: 12 }),
      view: fc.constantFrom('rebuild' as const, 'snapshot' as const),
      snapshotEvery: fc.integer({ min: 1, max: 10 }),
      workloads: fc.array(workloadArb, { minLength: 4, maxLength: 4 }),
      timeouts: fc.array(fc.integer({ min: 5, max: 60 }), { minLength: 4, maxLength: 4 }),
      retries: fc.array(fc.constantFrom(0, 0, 3, 7), { minLength: 4, maxLength: 4 }),
      faults: fc.array(
        fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 7 }), fc.nat({ max: 100 }), fc.nat({ max: 100 })),
        { maxLength: 8 },
      ),
      addAt: fc.option(fc.nat({ max: 1000 }), { nil: null }),
    })
    .map((r) => {
      const ids = Array.from({ length: r.n }, (_, i) => `agent${i + 1}`);
      const projs = Array.from({ length: r.projections }, (_, i) => ({ id: `proj${i + 1}`, types: [] as EventType[] }));
      // A filtered read model only when nobody reads from it: its state is a different question.
      if (r.filtered && gen.readsFrom === 'log') projs[projs.length - 1]!.types = ['key_deleted'];
      const config: EventSourcingConfig = {
        kind: 'event-sourcing',
        projections: projs,
        defaultProjection: gen.readsFrom === 'log' ? LOG : 'proj1',
        delivery: r.delivery,
        pullEvery: r.pullEvery,
        batch: r.batch,
        view: r.view,
        snapshotEvery: r.snapshotEvery,
        readYourWrites: gen.readYourWrites,
      };
      const nodes = [LOG, ...projs.map((p) => p.id), ...ids];
      const pick = (k: number): string => nodes[k % nodes.length]!;
      const actions: Action[] = r.faults.map(([t, kind, a, b]): Action => {
        const tick = t % r.active;
        switch (kind) {
          case 0:
            return { tick, type: 'cut-link', from: pick(a), to: pick(b) };
          case 1:
            return { tick, type: 'heal-link', from: pick(a), to: pick(b) };
          case 2:
            return { tick, type: 'crash', node: pick(a) };
          case 3:
            return { tick, type: 'recover', node: pick(a) };
          case 4:
            return {
              tick,
              type: 'partition',
              groups: [nodes.filter((_, i) => i % 2 === a % 2), nodes.filter((_, i) => i % 2 !== a % 2)],
            };
          case 5:
            return { tick, type: 'heal-all' };
          case 6:
            return {
              tick,
              type: 'op',
              agent: ids[a % ids.length]!,
              op: 'update',
              args: { updates: { x: `u${b}`, y: `u${b}` } },
            };
          default:
            return { tick, type: 'set-link', from: pick(a), to: pick(b), latency: 1 + (b % 9) };
        }
      });
      if (r.addAt !== null) {
        // A projection added mid-run rebuilds from the whole log.
        actions.push({
          tick: r.addAt % r.active,
          type: 'configure',
          config: { ...config, projections: [...projs, { id: 'late', types: [] }] },
        });
      }
      actions.sort((x, y) => x.tick - y.tick);
      const end = r.active;
      actions.push({ tick: end, type: 'heal-all' });
      for (const n of nodes) actions.push({ tick: end, type: 'recover', node: n });
      for (const id of ids) actions.push({ tick: end, type: 'set-workload', agent: id, workload: { kind: 'idle' } });
      const agents: AgentSpec[] = ids.map((id, i) => ({
        id,
        workload: r.workloads[i]!,
        timeout: r.timeouts[i]!,
        retryEvery: r.retries[i]!,
      }));
      const scenario: Scenario = {
        format: FORMAT_VERSION,
        name: 'event-sourcing conformance',
        seed: r.seed,
        duration: end + QUIET,
        architecture: config,
        network: { latency: r.latency, jitter: r.jitter, loss: r.loss, duplication: r.duplication },
        agents,
        actions,
      };
      return { scenario, isolated: [] };
    });
}

function logOf(run: Run): LogState {
  return run.world.servers[LOG]!.state as LogState;
}

/** One total order: versions 1..n, each batch's events consecutive and sharing its commit. */
function logIsATotalOrder(log: LogState): string | null {
  for (let i = 0; i < log.events.length; i++) {
    const e = log.events[i]!;
    if (e.v !== i + 1) return `event at index ${i} has version ${e.v}`;
    if (e.commit < e.v || e.commit > log.events.length) return `event ${e.v} commits at ${e.commit}`;
    if (i > 0 && log.events[i - 1]!.commit !== e.commit && log.events[i - 1]!.commit !== e.v - 1)
      return `batch ending at ${log.events[i - 1]!.commit} is interleaved with event ${e.v}`;
  }
  return null;
}

/** Every projection has applied every event of its types exactly once, in log order, and caught up. */
function projectionsCaughtUp(run: Run): string | null {
  const log = logOf(run);
  const problems: string[] = [];
  for (const id of Object.keys(run.world.servers).sort()) {
    if (id === LOG) continue;
    const p = run.world.servers[id]!.state as ProjectionState;
    const mine = p.types.length === 0 ? log.events : log.events.filter((e) => p.types.includes(e.type));
    if (p.version !== log.events.length)
      problems.push(
        `${id} is at version ${p.version}, the log at ${log.events.length}, ${QUIET} quiet ticks after the heal`,
      );
    const got = p.events.map((e) => e.v).join(',');
    const want = mine.map((e) => e.v).join(',');
    if (got !== want) problems.push(`${id} applied versions [${got.slice(0, 80)}], the log has [${want.slice(0, 80)}]`);
    if (p.stats.received !== mine.length || p.stats.outOfOrder !== 0)
      problems.push(
        `${id} received ${p.stats.received} events (${p.stats.outOfOrder} out of order) for ${mine.length}`,
      );
    const state = canonicalJson(plainState(stateAsOf(p.events, [], p.version, 'rebuild').state));
    if (state !== canonicalJson(plainState(replay(mine).state)))
      problems.push(`${id}'s state differs from a replay of the log`);
  }
  return problems.length ? problems.slice(0, 4).join('\n') : null;
}

/**
 * Consistent prefix: every read a projection answered returned the state of the log at the
 * version it reported (so a stale read is old, never invented or partial).
 */
function readsAreLogPrefixes(run: Run): string | null {
  const log = logOf(run);
  for (const r of run.world.history) {
    if (r.outcome !== 'ok' || (r.op !== 'get' && r.op !== 'get_all')) continue;
    const res = r.result as { [k: string]: JsonValue };
    const pv = res['projectionVersion'];
    const projection = res['projection'];
    if (typeof pv !== 'number' || typeof projection !== 'string') return `op ${r.id} reports no projection version`;
    const node = run.world.servers[projection]?.state as ProjectionState | LogState | undefined;
    const types = node && node.role === 'projection' ? node.types : [];
    const events = types.length === 0 ? log.events : log.events.filter((e) => types.includes(e.type));
    const at = plainState(replay(events, null, pv).state);
    if (pv > 0 && log.events[pv - 1]!.commit !== pv)
      return `op ${r.id} read ${projection} at version ${pv}, inside an atomic batch`;
    if (r.op === 'get') {
      const key = (r.args as { [k: string]: JsonValue })['key'] as string;
      const want = Object.hasOwn(at, key) ? at[key]! : null;
      if (canonicalJson(want) !== canonicalJson(res['value'] ?? null))
        return `op ${r.id} read ${key} = ${canonicalJson(res['value'] ?? null)} from ${projection} at version ${pv}, but the log at ${pv} says ${canonicalJson(want)}`;
    } else if (canonicalJson(at) !== canonicalJson(res['state'] ?? null))
      return `op ${r.id} read a state from ${projection} at version ${pv} that is not the log's at ${pv}`;
  }
  return null;
}

export const eventSourcingConformance: Conformance = {
  kind: 'event-sourcing',
  promises: [
    {
      name: 'appends are linearizable: one total order, reads at the log included (no fractured update), under loss, duplication, retries, partitions and crashes',
      runs: runs({ readsFrom: 'log', readYourWrites: false }),
      numRuns: 100,
      check: (run) => logIsATotalOrder(logOf(run)) ?? linearizable(run, { fracturedReads: true }),
    },
    {
      name: 'each projection applies every event once, in log order, and catches up after a heal (a projection added mid-run too)',
      runs: runs({ readsFrom: 'log', readYourWrites: false }),
      numRuns: 100,
      check: projectionsCaughtUp,
    },
    {
      name: 'reads from a projection may be stale but are a prefix of the log at the version they report',
      runs: runs({ readsFrom: 'projection', readYourWrites: false }),
      numRuns: 100,
      check: (run) => readsAreLogPrefixes(run) ?? projectionsCaughtUp(run),
    },
    {
      name: "read-your-writes holds when the projection waits for the reader's own last append",
      runs: runs({ readsFrom: 'projection', readYourWrites: true }),
      numRuns: 100,
      check(run) {
        const s = checkSessions({ ops: run.world.history });
        if (!s.holds['read-your-writes'])
          return s.violations
            .filter((v) => v.guarantee === 'read-your-writes')
            .map((v) => v.explanation)
            .slice(0, 3)
            .join('\n');
        return readsAreLogPrefixes(run);
      },
    },
  ],
};
