import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json';
import { worldAt } from '../../engine/engine';
import type { World } from '../../engine/types';
import { checkHistory } from '../../history/check';
import { checkSessions } from '../../history/sessions';
import type { OpRecord } from '../../history/types';
import type { Action, AgentSpec, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION, ScenarioSchema } from '../../scenario/schema';
import { eventSourcingScenario } from '../../scenario/builtins';
import type { EventSourcingConfig } from './config';
import { defaultEventSourcingConfig } from './constants';
import { plainState, replay } from './events';
import { LOG, type LogState, type ProjectionState } from './log';

const idle = (id: string, timeout = 30): AgentSpec => ({ id, workload: { kind: 'idle' }, timeout, retryEvery: 0 });

function scenario(
  config: Partial<EventSourcingConfig>,
  actions: Action[],
  opts: { agents?: AgentSpec[]; duration?: number; latency?: number } = {},
): Scenario {
  const s: Scenario = {
    format: FORMAT_VERSION,
    name: 'es test',
    seed: 1,
    duration: opts.duration ?? 200,
    architecture: { ...defaultEventSourcingConfig(), ...config },
    network: { latency: opts.latency ?? 2, jitter: 0, loss: 0, duplication: 0 },
    agents: opts.agents ?? [idle('a1'), idle('a2')],
    actions,
  };
  expect(ScenarioSchema.safeParse(s).success).toBe(true);
  return s;
}

const op = (tick: number, agent: string, name: string, args: { [k: string]: JsonValue }): Action => ({
  tick,
  type: 'op',
  agent,
  op: name,
  args,
});
const log = (w: World): LogState => w.servers[LOG]!.state as LogState;
const proj = (w: World, id: string): ProjectionState => w.servers[id]!.state as ProjectionState;
const rec = (w: World, agent: string, name: string): OpRecord[] =>
  w.history.filter((r) => r.agent === agent && r.op === name);
const result = (r: OpRecord | undefined): { [k: string]: JsonValue } => r!.result as { [k: string]: JsonValue };

describe('event sourcing: the log and its projections', () => {
  it('appends to the log, projections catch up, reads say their version and lag', () => {
    const s = scenario({}, [
      op(0, 'a1', 'set', { key: 'x', value: 1 }),
      op(1, 'a2', 'update', { updates: { x: 2, y: 3 } }),
      op(40, 'a1', 'get', { key: 'x' }),
      op(40, 'a2', 'get', { key: 'y', projection: 'proj2' }),
    ]);
    const w = worldAt(s, 80);
    expect(log(w).events.map((e) => [e.v, e.type, e.commit])).toEqual([
      [1, 'key_set', 1],
      [2, 'key_set', 3],
      [3, 'key_set', 3],
    ]);
    expect(result(rec(w, 'a1', 'get')[0])).toMatchObject({
      value: 2,
      version: 3,
      projection: 'proj1',
      projectionVersion: 3,
      lag: 0,
    });
    expect(result(rec(w, 'a2', 'get')[0])).toMatchObject({ value: 3, projection: 'proj2', projectionVersion: 3 });
    expect(result(rec(w, 'a2', 'update')[0])).toEqual({ version: 3, first: 2 });
    for (const id of ['proj1', 'proj2']) {
      expect(proj(w, id).version).toBe(3);
      expect(proj(w, id).stats.received).toBe(3);
    }
  });

  it('rejects an append with a stale expected version, and says why', () => {
    const s = scenario({}, [
      op(0, 'a1', 'set', { key: 'x', value: 1 }),
      op(10, 'a2', 'set', { key: 'x', value: 2, expectedVersion: 0 }),
      op(20, 'a2', 'set', { key: 'x', value: 3, expectedVersion: 1 }),
    ]);
    const w = worldAt(s, 60);
    const [stale, fresh] = rec(w, 'a2', 'set');
    expect(stale!.outcome).toBe('fail');
    expect(stale!.reason).toMatch(/expected version 0, but the log is at 1: 1 event appended since \(by a1\)/);
    expect(fresh!.outcome).toBe('ok');
    expect(log(w).events).toHaveLength(2);
    expect(log(w).stats.rejected).toBe(1);
  });

  it('a cut projection stalls and serves stale reads the checker flags; healed, it catches up applying each event once', () => {
    const actions: Action[] = [
      op(0, 'a1', 'set', { key: 'x', value: 'old' }),
      { tick: 20, type: 'cut-link', from: LOG, to: 'proj1' },
      op(21, 'a1', 'set', { key: 'x', value: 'new' }),
      op(22, 'a1', 'set', { key: 'y', value: 'other' }),
      op(40, 'a2', 'get', { key: 'x' }),
      { tick: 60, type: 'heal-link', from: LOG, to: 'proj1' },
      op(90, 'a2', 'get', { key: 'x' }),
    ];
    const w = worldAt(scenario({}, actions), 120);
    const [stale, fresh] = rec(w, 'a2', 'get');
    expect(result(stale)).toMatchObject({ value: 'old', projectionVersion: 1 });
    expect(result(stale)['sinceSync']).toBeGreaterThan(10);
    expect(result(fresh)).toMatchObject({ value: 'new', projectionVersion: 3, lag: 0 });
    const report = checkHistory({ ops: w.history });
    expect(report.anomalyCounts['stale-read']).toBe(1);
    expect(report.linearizable).toBe(false);
    const p = proj(w, 'proj1');
    expect(p.stats.received).toBe(3);
    expect(p.events.map((e) => e.v)).toEqual([1, 2, 3]);
    expect(p.stats.outOfOrder).toBe(0);
    // While cut, the lag the projection knew of was what its last contact told it.
    const mid = worldAt(scenario({}, actions), 50);
    expect(log(mid).events.length - proj(mid, 'proj1').version).toBe(2);
  });

  it('duplicated and lossy delivery, push or pull: every projection ends equal to a full replay, each event applied once', () => {
    for (const delivery of ['pull', 'push'] as const) {
      const agents: AgentSpec[] = ['a1', 'a2', 'a3'].map((id) => ({
        id,
        workload: {
          kind: 'random',
          keys: ['x', 'y', '__proto__'],
          interval: 3,
          mix: { get: 2, set: 3, delete: 1, update: 2 },
        },
        timeout: 30,
        retryEvery: 7,
      }));
      const s: Scenario = {
        ...scenario(
          { delivery, batch: 3, snapshotEvery: 4 },
          [
            { tick: 50, type: 'crash', node: 'proj2' },
            { tick: 90, type: 'recover', node: 'proj2' },
            {
              tick: 100,
              type: 'partition',
              groups: [
                [LOG, 'a1'],
                ['proj1', 'a2'],
              ],
            },
            { tick: 160, type: 'heal-all' },
            ...['a1', 'a2', 'a3'].map((agent): Action => ({
              tick: 200,
              type: 'set-workload',
              agent,
              workload: { kind: 'idle' },
            })),
          ],
          { agents, duration: 500 },
        ),
        network: { latency: 2, jitter: 2, loss: 0.1, duplication: 0.3 },
      };
      const w = worldAt(s, 500);
      const l = log(w);
      expect(l.events.length).toBeGreaterThan(20);
      for (const id of ['proj1', 'proj2']) {
        const p = proj(w, id);
        expect(p.version, `${delivery} ${id}`).toBe(l.events.length);
        expect(p.stats.received).toBe(l.events.length);
        expect(p.view.eventsApplied).toBe(l.events.length);
        expect(p.stats.outOfOrder).toBe(0);
        expect(plainState(p.view.cached)).toEqual(plainState(replay(l.events).state));
      }
    }
  });

  it('a projection added by configure rebuilds from the whole log; a filtered one keeps only its types', () => {
    const base = defaultEventSourcingConfig();
    const more: EventSourcingConfig = {
      ...base,
      projections: [...base.projections, { id: 'proj3', types: ['update_position'] }, { id: 'proj4', types: [] }],
    };
    const s = scenario({}, [
      op(0, 'a1', 'set', { key: 'x', value: 1 }),
      op(5, 'a1', 'append', { type: 'update_position', data: { key: 'a1.pos', x: 1, y: 2 } }),
      op(10, 'a1', 'append', { type: 'update_position', data: { x: 5, y: 6 }, schema: 1 }),
      { tick: 30, type: 'configure', config: more },
      op(60, 'a2', 'get', { key: 'x', projection: 'proj4' }),
      op(70, 'a2', 'get_all', { projection: 'proj3' }),
    ]);
    const w = worldAt(s, 100);
    expect(proj(w, 'proj4').version).toBe(3);
    expect(result(rec(w, 'a2', 'get')[0])).toMatchObject({ value: 1, projection: 'proj4' });
    expect(result(rec(w, 'a2', 'get_all')[0])['state']).toEqual({ 'a1.pos': { x: 1, y: 2 }, position: { x: 5, y: 6 } });
    expect(proj(w, 'proj3').events.map((e) => e.v)).toEqual([2, 3]);
    expect(proj(w, 'proj3').version).toBe(3);
  });

  it('read-your-writes: off, a lagging projection shows an agent an older value than its own write; on, the read waits', () => {
    const actions: Action[] = [
      { tick: 0, type: 'set-link', from: LOG, to: 'proj1', latency: 30 },
      op(1, 'a1', 'set', { key: 'x', value: 'mine' }),
    ];
    // The read goes right after the write completes (the agent's queue), long before proj1 hears of it.
    actions.push(op(2, 'a1', 'get', { key: 'x' }));
    const off = worldAt(scenario({ readYourWrites: false }, actions, { agents: [idle('a1', 200)] }), 150);
    expect(result(rec(off, 'a1', 'get')[0])['value']).toBeNull();
    expect(checkSessions({ ops: off.history }).counts['read-your-writes']).toBe(1);
    const on = worldAt(scenario({ readYourWrites: true }, actions, { agents: [idle('a1', 200)] }), 150);
    expect(result(rec(on, 'a1', 'get')[0])).toMatchObject({ value: 'mine', projectionVersion: 1 });
    expect(checkSessions({ ops: on.history }).holds['read-your-writes']).toBe(true);
    // minVersion, the token an agent can carry itself, waits the same way.
    const token = worldAt(
      scenario({}, [...actions.slice(0, 2), op(2, 'a1', 'get', { key: 'x', minVersion: 1 })], {
        agents: [idle('a1', 200)],
      }),
      150,
    );
    expect(result(rec(token, 'a1', 'get')[0])['value']).toBe('mine');
  });

  it('temporal queries by version and tick, and the audit trail of a key', () => {
    const s = scenario({ snapshotEvery: 2 }, [
      op(0, 'a1', 'set', { key: 'x', value: 1 }),
      op(10, 'a2', 'set', { key: 'x', value: 2 }),
      op(20, 'a1', 'append', { type: 'counter_incremented', data: { key: 'n', by: 5 } }),
      op(30, 'a1', 'delete', { key: 'x' }),
      op(40, 'a2', 'get_as_of', { key: 'x', version: 2 }),
      op(45, 'a2', 'get_as_of', { key: 'x', tick: 5 }),
      op(50, 'a2', 'get_as_of', { version: 3 }),
      op(55, 'a2', 'audit', { key: 'x' }),
      op(60, 'a2', 'get_as_of', { key: 'x', version: 99 }),
      op(65, 'a2', 'replay', { type: 'counter_incremented' }),
      op(70, 'a2', 'get_events_since', { version: 2 }),
    ]);
    const w = worldAt(s, 100);
    const [v2, t5, whole, missing] = rec(w, 'a2', 'get_as_of');
    expect(result(v2)).toEqual({ value: 2, asOfVersion: 2, eventsApplied: 0, from: 2 });
    expect(result(t5)).toMatchObject({ value: 1, asOfVersion: 1 });
    expect(result(whole)).toMatchObject({ state: { x: 2, n: 5 }, asOfVersion: 3, eventsApplied: 1, from: 2 });
    expect(missing!.outcome).toBe('fail');
    const audit = result(rec(w, 'a2', 'audit')[0]);
    expect(audit['total']).toBe(3);
    expect((audit['events'] as { [k: string]: JsonValue }[]).map((e) => [e['version'], e['type'], e['agent']])).toEqual(
      [
        [1, 'key_set', 'a1'],
        [2, 'key_set', 'a2'],
        [4, 'key_deleted', 'a1'],
      ],
    );
    expect(result(rec(w, 'a2', 'replay')[0])).toMatchObject({ state: { n: 5 }, eventsApplied: 1 });
    expect(result(rec(w, 'a2', 'get_events_since')[0])).toMatchObject({ head: 4, more: false });
  });

  it("the reference's StateView rebuilds from scratch whenever the log moved; snapshots apply each event once", () => {
    const agents: AgentSpec[] = [
      {
        id: 'a1',
        workload: { kind: 'random', keys: ['x', 'y'], interval: 2, mix: { get: 3, set: 3, delete: 0, update: 1 } },
        timeout: 30,
        retryEvery: 0,
      },
    ];
    const rebuild = worldAt(scenario({ view: 'rebuild' }, [], { agents, duration: 300 }), 300);
    const snap = worldAt(scenario({ view: 'snapshot' }, [], { agents, duration: 300 }), 300);
    const n = log(snap).events.length;
    expect(proj(snap, 'proj1').view.eventsApplied).toBe(n);
    expect(proj(rebuild, 'proj1').view.eventsApplied).toBeGreaterThan(5 * n);
    expect(proj(rebuild, 'proj1').view.rebuilds).toBeGreaterThan(10);
  });

  it('the checker reads typed appends as writes (old schemas too); a counter makes its verdict unknown', () => {
    const s = scenario({ defaultProjection: LOG }, [
      op(0, 'a1', 'append', { type: 'key_set', data: { key: 'x', value: 1 } }),
      op(10, 'a1', 'append', { type: 'update_position', data: { x: 3, y: 4 }, schema: 1 }),
      op(20, 'a2', 'get', { key: 'x' }),
      op(20, 'a1', 'get', { key: 'position' }),
      op(30, 'a2', 'append', { type: 'key_deleted', data: { key: 'x' } }),
      op(40, 'a2', 'get', { key: 'x' }),
    ]);
    const w = worldAt(s, 80);
    expect(w.history.every((r) => r.outcome === 'ok')).toBe(true);
    const report = checkHistory({ ops: w.history });
    expect(report.linearizable).toBe(true);
    expect(report.keys).toBe(2);
    const counted = worldAt(
      scenario({ defaultProjection: LOG }, [
        op(0, 'a1', 'append', { type: 'counter_incremented', data: { key: 'n', by: 1 } }),
      ]),
      40,
    );
    expect(checkHistory({ ops: counted.history }).linearizable).toBe('unknown');
  });

  it('bad arguments are rejected with a reason, never thrown', () => {
    const s = scenario({}, [
      op(0, 'a1', 'append', { type: 'nope', data: {} }),
      op(5, 'a1', 'append', { type: 'key_set', data: { key: 'x' } }),
      op(10, 'a1', 'append', { type: 'update_position', data: { x: 1, y: 2, z: 3 }, schema: 1 }),
      op(15, 'a1', 'get', { key: 'x', projection: 'ghost' }),
      op(20, 'a1', 'set', { key: 'x', value: 1, expectedVersion: -1 }),
    ]);
    const w = worldAt(s, 60);
    // Bad arguments never leave the agent (action errors); a projection that does not exist is the log's to refuse.
    expect(w.actionErrors.map((e) => e.reason)).toEqual([
      'append was not sent: the event type must be one of key_set, key_deleted, counter_incremented, update_position, change_status',
      'append was not sent: key_set field "value": a value is required',
      'append was not sent: update_position v1 has no field "z"',
      'set was not sent: the expected version must be a whole number ≥ 0',
    ]);
    expect(w.history.map((r) => r.outcome)).toEqual(['fail']);
    expect(w.history[0]!.reason).toMatch(/no projection "ghost"/);
  });

  it('the builtin scenario runs, and its projections lag behind the log at some point', () => {
    const s = eventSourcingScenario();
    expect(ScenarioSchema.safeParse(s).success).toBe(true);
    const w = worldAt(s, s.duration);
    expect(log(w).events.length).toBeGreaterThan(30);
    expect(w.actionErrors).toEqual([]);
  });
});

describe('catching up on a duplicating network', () => {
  // Found by the conformance suite (a run that never finished): every duplicated catch-up
  // reply asked for the next batch again, so requests in flight grew by half at every round
  // trip. Push delivery, batch 1, duplication 0.5, and a projection added mid-run that must
  // rebuild from the whole log.
  const scenario: Scenario = {
    format: 1,
    name: 'event-sourcing conformance',
    seed: 2,
    duration: 544,
    architecture: {
      kind: 'event-sourcing',
      projections: [
        { id: 'proj1', types: [] },
        { id: 'proj2', types: [] },
      ],
      defaultProjection: 'log',
      delivery: 'push',
      pullEvery: 7,
      batch: 1,
      view: 'rebuild',
      snapshotEvery: 1,
      readYourWrites: false,
    },
    network: { latency: 4, jitter: 0, loss: 0, duplication: 0.5 },
    agents: [
      {
        id: 'agent1',
        workload: { kind: 'random', keys: ['z'], interval: 1, mix: { get: 1, set: 2, delete: 0, update: 2 } },
        timeout: 7,
        retryEvery: 0,
      },
      {
        id: 'agent2',
        workload: { kind: 'random', keys: ['y', 'z'], interval: 4, mix: { get: 3, set: 0, delete: 1, update: 1 } },
        timeout: 7,
        retryEvery: 3,
      },
    ],
    actions: [
      { tick: 6, type: 'set-link', from: 'agent2', to: 'proj2', latency: 2 },
      { tick: 61, type: 'set-link', from: 'proj1', to: 'agent2', latency: 5 },
      { tick: 134, type: 'recover', node: 'agent2' },
      {
        tick: 135,
        type: 'configure',
        config: {
          kind: 'event-sourcing',
          projections: [
            { id: 'proj1', types: [] },
            { id: 'proj2', types: [] },
            { id: 'late', types: [] },
          ],
          defaultProjection: 'log',
          delivery: 'push',
          pullEvery: 7,
          batch: 1,
          view: 'rebuild',
          snapshotEvery: 1,
          readYourWrites: false,
        },
      },
      { tick: 144, type: 'heal-all' },
      { tick: 144, type: 'recover', node: 'log' },
      { tick: 144, type: 'recover', node: 'proj1' },
      { tick: 144, type: 'recover', node: 'proj2' },
      { tick: 144, type: 'recover', node: 'agent1' },
      { tick: 144, type: 'recover', node: 'agent2' },
      { tick: 144, type: 'set-workload', agent: 'agent1', workload: { kind: 'idle' } },
      { tick: 144, type: 'set-workload', agent: 'agent2', workload: { kind: 'idle' } },
    ],
  };

  it('asks again only after a reply that moved it: the messages stay in proportion to the events', () => {
    expect(ScenarioSchema.safeParse(scenario).success).toBe(true);
    const w = worldAt(scenario, scenario.duration);
    const log = w.servers['log']!.state as { events: unknown[] };
    const late = w.servers['late']!.state as { version: number };
    expect(late.version).toBe(log.events.length);
    // Batch 1: a full rebuild is one request and one reply per event, twice with duplicates.
    expect(w.metrics.messagesSent).toBeLessThan(20 * (log.events.length + w.history.length) + 500);
  });
});
