import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JsonValue } from '../core/json';
import { dictGet, dictKeys, dictSet } from '../core/dict';
import { advance, initWorld, worldAt } from '../engine/engine';
import type { World } from '../engine/types';
import { checkHistory } from '../history/check';
import type { Action, AgentSpec, ArchitectureConfig, Scenario } from '../scenario/schema';
import { FORMAT_VERSION, ScenarioSchema } from '../scenario/schema';
import { apply, initStore, valueAt, type CentralState } from '../architectures/centralized/store';
import { eventSourcing, initLog, keyValueAt, LOG, type LogState } from '../architectures/event-sourcing/log';
import { plainState, replay } from '../architectures/event-sourcing/events';
import { defaultEventSourcingConfig } from '../architectures/event-sourcing/constants';
import { defaultPartitionedConfig } from '../architectures/partitioned/constants';
import type { HandlerCtx, Reply } from '../architectures/types';
import { auditTrail, foldTrail, keyAudit, keyTrail, rollbackRequest, type AuditEntry } from './audit';
import { runs } from '../core/fuzz.testkit';

const KEYS = ['a', 'b', '__proto__', 'constructor'];
const key = fc.constantFrom(...KEYS);

function obj(entries: [string, JsonValue][]): { [k: string]: JsonValue } {
  const o: { [k: string]: JsonValue } = {};
  for (const [k, v] of entries) dictSet(o, k, v);
  return o;
}

type Cmd =
  | { op: 'set'; key: string; value: number }
  | { op: 'delete'; key: string }
  | { op: 'update'; updates: [string, number][] }
  | { op: 'rollback'; key: string | null; version: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('delete' as const), key }),
  fc.record({
    op: fc.constant('update' as const),
    updates: fc.uniqueArray(fc.tuple(key, fc.integer({ min: 0, max: 5 })), {
      minLength: 1,
      maxLength: 3,
      selector: (x) => x[0],
    }),
  }),
  fc.record({ op: fc.constant('rollback' as const), key: fc.option(key, { nil: null }), version: fc.nat({ max: 20 }) }),
);

const argsOf = (c: Cmd): { [k: string]: JsonValue } =>
  c.op === 'set'
    ? { key: c.key, value: c.value }
    : c.op === 'delete'
      ? { key: c.key }
      : c.op === 'update'
        ? { updates: obj(c.updates) }
        : c.key === null
          ? { version: c.version }
          : { key: c.key, version: c.version };

describe('rollback on the centralized store', () => {
  it('rolling key k (or every key) back to version v makes it read its value at v; the version never goes down', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 30 }), (cmds) => {
        const s: CentralState = initStore();
        let now = 0;
        for (const c of cmds) {
          now += 1;
          const before = s.version;
          const r = apply(s, c.op, argsOf(c), now);
          if (c.op === 'rollback' && c.version > before) {
            expect(r.outcome).toBe('fail');
            continue;
          }
          expect(r.outcome).toBe('ok');
          expect(s.version).toBeGreaterThanOrEqual(before);
          if (c.op !== 'rollback') continue;
          for (const k of c.key === null ? KEYS : [c.key]) {
            expect(dictGet(s.data, k)?.value ?? null).toEqual(valueAt(s, k, c.version));
            // ... and the history keeps what was there before, at its own version.
            expect(valueAt(s, k, before)).toEqual(valueAt(s, k, before));
          }
          const restored = (r as unknown as { result: { restored: { [k: string]: JsonValue } } }).result.restored;
          expect(s.version).toBe(Object.keys(restored).length > 0 ? before + 1 : before);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('refuses bad arguments with a clear reason, never a crash', () => {
    const s = initStore();
    expect(apply(s, 'rollback', {}, 0)).toMatchObject({ outcome: 'fail', reason: /whole number/ });
    expect(apply(s, 'rollback', { version: -1 }, 0)).toMatchObject({ outcome: 'fail' });
    expect(apply(s, 'rollback', { version: 0, key: '' }, 0)).toMatchObject({ outcome: 'fail', reason: /key/ });
    expect(apply(s, 'rollback', { version: 3 }, 0)).toMatchObject({ outcome: 'fail', reason: /does not exist yet/ });
  });
});

/** The event log driven through its own handler: requests in, replies out. */
function esDriver() {
  const config = defaultEventSourcingConfig();
  let state = initLog();
  let id = 0;
  const ctx = (now: number): HandlerCtx => ({ now, self: LOG, draw: () => 0 });
  return {
    get log(): LogState {
      return state;
    },
    send(op: string, args: { [k: string]: JsonValue }, now: number): Reply {
      id += 1;
      const fx = eventSourcing.onMessage(state, 'a1', { t: 'req', id, op, args }, config, ctx(now));
      state = fx.state as LogState;
      const reply = fx.send.find((m) => m.to === 'a1')!.payload as Reply;
      return reply;
    },
  };
}

describe('rollback on the event log: compensating events', () => {
  it('brings k back to its value at v, appends only (the prefix never changes), marks what it compensates', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 30 }), (cmds) => {
        const d = esDriver();
        let now = 0;
        for (const c of cmds) {
          now += 1;
          const head = d.log.events.length;
          const prefix = d.log.events.slice();
          const r = d.send(c.op, argsOf(c), now);
          if (c.op === 'rollback' && c.version > head) {
            expect(r.outcome).toBe('fail');
            continue;
          }
          expect(r.outcome).toBe('ok');
          // Append-only: every event that was there is still there, the very same object.
          expect(d.log.events.length).toBeGreaterThanOrEqual(head);
          prefix.forEach((e, i) => expect(d.log.events[i]).toBe(e));
          if (c.op !== 'rollback') continue;
          for (const e of d.log.events.slice(head)) expect(e.compensates).toBe(c.version);
          const after = d.log.events.length;
          for (const k of c.key === null ? KEYS : [c.key])
            expect(keyValueAt(d.log, k, after) ?? null).toEqual(keyValueAt(d.log, k, c.version) ?? null);
          // One atomic batch: every compensating event shares the batch's commit version.
          for (const e of d.log.events.slice(head)) expect(e.commit).toBe(after);
        }
        // The audit trail, from the log, folds to the log's state.
        const w = {
          arch: { kind: 'event-sourcing' },
          servers: { [LOG]: { id: LOG, state: d.log } },
          history: [],
        } as unknown as World;
        expect(foldTrail(auditTrail(w).entries)).toEqual(plainState(replay(d.log.events).state));
      }),
      { numRuns: runs(200) },
    );
  });
});

// ---------------------------------------------------------------- whole worlds

const idle = (id: string): AgentSpec => ({ id, workload: { kind: 'idle' }, timeout: 30, retryEvery: 0 });
const random = (id: string, interval: number): AgentSpec => ({
  id,
  workload: { kind: 'random', keys: KEYS, interval, mix: { get: 3, set: 4, delete: 1, update: 2 } },
  timeout: 30,
  retryEvery: 0,
});

function scenario(
  architecture: ArchitectureConfig,
  actions: Action[],
  agents: AgentSpec[],
  seed = 1,
  loss = 0,
): Scenario {
  const s: Scenario = {
    format: FORMAT_VERSION,
    name: 'audit test',
    seed,
    duration: 400,
    architecture,
    network: { latency: 2, jitter: 1, loss, duplication: 0 },
    agents,
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

function stateOf(w: World): { [k: string]: JsonValue } {
  if (w.arch.kind === 'centralized') {
    const s = w.servers['store']!.state as CentralState;
    const out: { [k: string]: JsonValue } = {};
    for (const k of dictKeys(s.data)) dictSet(out, k, s.data[k]!.value);
    return out;
  }
  return plainState(replay((w.servers[LOG]!.state as LogState).events).state);
}

/**
 * An entry without what attribution by arguments adds (who, which operation, and for a
 * rollback the version it went back to): a key's trail built alone has fewer writes to match
 * a lost reply on, so it may leave unattributed what the whole trail attributes.
 */
function stripAttribution(e: AuditEntry): AuditEntry {
  if (!e.inferred && e.op !== null) return e;
  const { rollbackTo: _, ...rest } = e;
  return { ...rest, agent: null, op: null, opName: '', inferred: false };
}

const rollbacks = fc.array(
  fc.record({
    tick: fc.integer({ min: 1, max: 299 }),
    key: fc.option(key, { nil: null }),
    version: fc.nat({ max: 40 }),
  }),
  { maxLength: 4 },
);

describe('the audit trail of a run', () => {
  for (const arch of ['centralized', 'event-sourcing'] as const) {
    it(`${arch}: its new values fold to the final state, and every attributed change is its agent's`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), rollbacks, fc.constantFrom(0, 0.2), (seed, rbs, loss) => {
          const actions = rbs
            .sort((a, b) => a.tick - b.tick)
            .map((r) =>
              op(
                r.tick,
                'ops',
                'rollback',
                r.key === null ? { version: r.version } : { key: r.key, version: r.version },
              ),
            );
          const config: ArchitectureConfig =
            arch === 'centralized' ? { kind: 'centralized', serviceTime: 1 } : defaultEventSourcingConfig();
          const w = worldAt(
            scenario(config, actions, [random('w1', 9), random('w2', 11), idle('ops')], seed, loss),
            400,
          );
          const trail = auditTrail(w);
          expect(foldTrail(trail.entries)).toEqual(stateOf(w));
          const byId = new Map(w.history.map((r) => [r.id, r]));
          for (const e of trail.entries) {
            // Without loss every reply arrives (or is still on its way at the end): every
            // change is attributed, by its reply when there is one.
            if (loss === 0) expect(e.op !== null && (!e.inferred || byId.get(e.op)!.outcome === null)).toBe(true);
            if (e.op === null) continue;
            const r = byId.get(e.op)!;
            expect(r.agent).toBe(e.agent);
            // The store: the version the reply names; the log: the batch's last version (an update is several events).
            if (!e.inferred && arch === 'centralized')
              expect((r.result as { version: number }).version).toBe(e.version);
            if (arch === 'event-sourcing' && r.outcome === 'ok')
              expect((r.result as { version: number }).version).toBeGreaterThanOrEqual(e.version!);
          }
          // Rollbacks are writes to the checker: the store's promise still holds with them
          // (event sourcing reads from projections, which may be stale by design).
          if (loss === 0 && arch === 'centralized')
            expect(checkHistory({ ops: w.history }, { sequentialMaxSteps: 0, witness: false }).linearizable).not.toBe(
              false,
            );
          // One key's trail, built alone, is the whole trail's entries for that key (the
          // attribution of a lost reply may be weaker alone: fewer writes to match on).
          const strip = stripAttribution;
          for (const k of KEYS) {
            const all = keyAudit(trail, k);
            expect(auditTrail(w, k).entries.map(strip)).toEqual(all.map(strip));
            // ... and its newest few alone are the newest few of it, with the count of all.
            const tail = keyTrail(w, k, 3);
            expect(tail.total).toBe(all.length);
            expect(tail.entries.map(strip)).toEqual(all.slice(-3).map(strip));
          }
          // Versions only grow along the trail.
          for (let i = 1; i < trail.entries.length; i++)
            expect(trail.entries[i]!.version!).toBeGreaterThanOrEqual(trail.entries[i - 1]!.version!);
        }),
        { numRuns: runs(12) },
      );
    });
  }

  it('regression (fast-check, seed -1051984422): a whole-store rollback whose reply was lost is attributed by the whole trail, and a key alone may leave it unattributed, never misattributed', () => {
    const actions = [op(97, 'ops', 'rollback', { version: 1 })];
    const w = worldAt(
      scenario(
        { kind: 'centralized', serviceTime: 1 },
        actions,
        [random('w1', 9), random('w2', 11), idle('ops')],
        209414,
        0.2,
      ),
      400,
    );
    const trail = auditTrail(w);
    const rollback = w.history.find((r) => r.op === 'rollback')!;
    // Its reply was lost: the store applied it, the agent saw it time out.
    expect(rollback.outcome).toBe('info');
    const byIt = trail.entries.filter((e) => e.op === rollback.id);
    expect(byIt.length).toBeGreaterThan(0);
    for (const e of byIt) expect([e.inferred, e.rollbackTo, e.agent]).toEqual([true, 1, 'ops']);
    let weaker = 0;
    for (const k of KEYS) {
      const alone = auditTrail(w, k).entries;
      const all = keyAudit(trail, k);
      expect(alone.map(stripAttribution)).toEqual(all.map(stripAttribution));
      // Alone, and its newest few alone: an entry is attributed as the whole trail does, or not at all.
      const tail = keyTrail(w, k, 3).entries;
      expect(tail.map(stripAttribution)).toEqual(all.slice(-3).map(stripAttribution));
      for (const [part, whole] of [
        [alone, all],
        [tail, all.slice(-3)],
      ] as const) {
        part.forEach((e, i) => {
          if (e.op === null) weaker += whole[i]!.op === null ? 0 : 1;
          else expect(e).toEqual(whole[i]);
        });
      }
    }
    expect(weaker).toBeGreaterThan(0);
  });

  it('centralized: the trail of a world advanced in place (its scan cached) is the trail of a fresh copy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 399 }), { minLength: 1, maxLength: 6 }),
        (seed, stops) => {
          const s = scenario(
            { kind: 'centralized', serviceTime: 2 },
            [],
            [random('w1', 5), random('w2', 6)],
            seed,
            0.3,
          );
          const w = initWorld(s);
          for (const t of [...stops].sort((a, b) => a - b)) {
            advance(w, s, t);
            for (const k of KEYS) expect(auditTrail(w, k)).toEqual(auditTrail(structuredClone(w), k));
          }
        },
      ),
      { numRuns: runs(8) },
    );
  });

  it('centralized: a rollback is in the trail, and the history with it stays linearizable to the checker', () => {
    const s = scenario(
      { kind: 'centralized', serviceTime: 1 },
      [
        op(1, 'w', 'set', { key: '__proto__', value: 1 }),
        op(10, 'w', 'set', { key: '__proto__', value: 2 }),
        op(20, 'ops', 'rollback', { key: '__proto__', version: 1 }),
        op(30, 'w', 'get', { key: '__proto__' }),
      ],
      [idle('w'), idle('ops')],
    );
    const w = worldAt(s, 60);
    const entries = keyAudit(auditTrail(w), '__proto__');
    expect(entries.map((e) => [e.agent, e.opName, e.old, e.new, e.version])).toEqual([
      ['w', 'set', null, 1, 1],
      ['w', 'set', 1, 2, 2],
      ['ops', 'rollback', 2, 1, 3],
    ]);
    expect(entries[2]!.rollbackTo).toBe(1);
    const get = w.history.find((r) => r.op === 'get')!;
    expect(get.result).toMatchObject({ value: 1 });
    expect(checkHistory({ ops: w.history }).linearizable).toBe(true);
    // The check can fail: a read that saw the value the rollback replaced is caught.
    const tampered = w.history.map((r) => (r.op === 'get' ? { ...r, result: { value: 2, version: 2 } } : r));
    expect(checkHistory({ ops: tampered }).linearizable).toBe(false);
  });

  it('centralized: a write whose reply was lost is still attributed, marked inferred', () => {
    const s = scenario(
      { kind: 'centralized', serviceTime: 1 },
      [op(1, 'w', 'set', { key: 'x', value: 'lost-reply' }), { tick: 2, type: 'cut-link', from: 'store', to: 'w' }],
      [idle('w')],
    );
    const w = worldAt(s, 60);
    expect(w.history[0]!.outcome).toBe('info');
    const [e] = keyAudit(auditTrail(w), 'x');
    expect(e).toMatchObject({ agent: 'w', op: w.history[0]!.id, inferred: true, new: 'lost-reply' });
  });

  it('event sourcing: rollback of the whole store by tick, through rollbackRequest', () => {
    const base = [
      op(1, 'w', 'set', { key: 'x', value: 1 }),
      op(2, 'w', 'set', { key: 'y', value: 1 }),
      op(40, 'w', 'update', { updates: { x: 2, y: 2, z: 2 } }),
    ];
    const before = worldAt(scenario(defaultEventSourcingConfig(), base, [idle('w'), idle('ops')]), 80);
    const req = rollbackRequest(before, auditTrail(before), null, { tick: 20 });
    expect(req).toEqual({ op: 'rollback', args: { version: 2 } });
    const w = worldAt(
      scenario(defaultEventSourcingConfig(), [...base, op(80, 'ops', req!.op, req!.args)], [idle('w'), idle('ops')]),
      150,
    );
    expect(stateOf(w)).toEqual({ x: 1, y: 1 });
    const log = w.servers[LOG]!.state as LogState;
    expect(log.events.slice(0, 5)).toEqual((before.servers[LOG]!.state as LogState).events);
    expect(log.events.slice(5).map((e) => [e.type, e.compensates])).toEqual([
      ['key_set', 2],
      ['key_set', 2],
      ['key_deleted', 2],
    ]);
    expect(checkHistory({ ops: w.history }).linearizable).toBe(true);
  });

  it("partitioned: a rollback writes the trail's old values back, from the history", () => {
    const config: ArchitectureConfig = { ...defaultPartitionedConfig(3), opTimeout: 20 };
    const base = [
      op(1, 'w', 'set', { key: 'x', value: 1 }),
      op(20, 'w', 'update', { updates: { x: 2, constructor: 2 } }),
      op(40, 'w', 'delete', { key: 'x' }),
    ];
    const before = worldAt(scenario(config, base, [idle('w'), idle('ops')]), 80);
    const trail = auditTrail(before);
    expect(trail.source).toBe('history');
    expect(keyAudit(trail, 'x').map((e) => [e.old, e.new, e.certain])).toEqual([
      [null, 1, true],
      [1, 2, true],
      [2, null, true],
    ]);
    const first = keyAudit(trail, 'x')[0]!;
    const one = rollbackRequest(before, trail, 'x', { entry: first });
    expect(one).toEqual({ op: 'rollback', args: { values: { x: 1 }, to: first.tick } });
    const all = rollbackRequest(before, trail, null, { tick: first.tick })!;
    expect(all.args['values']).toEqual(
      obj([
        ['constructor', null],
        ['x', 1],
      ]),
    );
    const w = worldAt(
      scenario(
        config,
        [
          ...base,
          op(80, 'ops', 'rollback', all.args),
          op(120, 'w', 'get', { key: 'x' }),
          op(125, 'w', 'get', { key: 'constructor' }),
        ],
        [idle('w'), idle('ops')],
      ),
      200,
    );
    const gets = w.history.filter((r) => r.op === 'get').map((r) => (r.result as { value: JsonValue }).value);
    expect(gets).toEqual([1, null]);
    const after = auditTrail(w);
    expect(foldTrail(after.entries)).toEqual({ x: 1 });
    expect(keyAudit(after, 'x').at(-1)).toMatchObject({
      opName: 'rollback',
      agent: 'ops',
      old: null,
      new: 1,
      rollbackTo: first.tick,
    });
    expect(checkHistory({ ops: w.history }).linearizable).toBe(true);
  });

  it('gossip: a rollback is local writes at the replica, spread by gossip', () => {
    const config: ArchitectureConfig = {
      kind: 'gossip',
      replicas: ['r1', 'r2'],
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
    };
    const base = [op(1, 'w', 'set', { key: 'x', value: 1 }), op(20, 'w', 'set', { key: 'x', value: 2 })];
    const before = worldAt(scenario(config, base, [idle('w'), idle('ops')]), 60);
    const trail = auditTrail(before);
    const req = rollbackRequest(before, trail, 'x', { entry: keyAudit(trail, 'x')[0]! })!;
    const w = worldAt(
      scenario(
        config,
        [...base, op(60, 'w', 'rollback', req.args), op(150, 'ops', 'get', { key: 'x' })],
        [idle('w'), idle('ops')],
      ),
      200,
    );
    expect(w.history.at(-1)!.result).toMatchObject({ value: 1 });
    expect(foldTrail(auditTrail(w).entries)).toEqual({ x: 1 });
  });

  it('partitioned and gossip refuse rollback values that are not an object of keys', () => {
    const config: ArchitectureConfig = { ...defaultPartitionedConfig(2), opTimeout: 20 };
    const w = worldAt(
      scenario(config, [op(1, 'w', 'rollback', { values: [] }), op(20, 'w', 'rollback', { values: {} })], [idle('w')]),
      60,
    );
    // Refused before anything is sent: kept in the log as action errors, with the reason.
    expect(w.history).toEqual([]);
    expect(w.actionErrors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/values must be an object/),
      expect.stringMatching(/at least one key/),
    ]);
  });
});
