import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JsonValue } from '../../core/json';
import { canonicalJson } from '../../core/hash';
import type { EventSourcingConfig, EventType } from './config';
import { defaultEventSourcingConfig } from './constants';
import {
  applyEvent,
  checkEventData,
  copyState,
  EVENT_SCHEMAS,
  initView,
  plainState,
  replay,
  stateAsOf,
  upcast,
  viewAdvance,
  viewRead,
  type KvState,
  type StoredEvent,
} from './events';
import {
  eventSourcing,
  initLog,
  initProjection,
  transfer,
  type EsState,
  type EventsMsg,
  type LogState,
  type ProjectionState,
} from './log';
import { runs } from '../../core/fuzz.testkit';

const KEYS = ['x', 'y', '__proto__', 'constructor', 'position', 'status'];
const key = fc.constantFrom(...KEYS);

interface Draft {
  type: EventType;
  schema: number;
  data: { [k: string]: JsonValue };
}

/** Events of every type and schema version, with keys that collide and hostile ones. */
const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  fc
    .record({ key, value: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)) })
    .map((data): Draft => ({ type: 'key_set', schema: 1, data })),
  key.map((k): Draft => ({ type: 'key_deleted', schema: 1, data: { key: k } })),
  fc
    .record({ key, by: fc.integer({ min: -5, max: 5 }) })
    .map((data): Draft => ({ type: 'counter_incremented', schema: 1, data })),
  fc
    .record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) })
    .map((data): Draft => ({ type: 'update_position', schema: 1, data })),
  fc
    .record({ key, x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) })
    .map((data): Draft => ({ type: 'update_position', schema: 2, data })),
  fc.constantFrom('idle', 'moving').map((status): Draft => ({ type: 'change_status', schema: 1, data: { status } })),
  fc
    .record({ key, status: fc.constantFrom('idle', 'moving') })
    .map((data): Draft => ({ type: 'change_status', schema: 2, data })),
);

/** A log: atomic batches of 1..3 events, appended at non-decreasing ticks. */
function toLog(batches: Draft[][]): StoredEvent[] {
  const events: StoredEvent[] = [];
  let at = 0;
  batches.forEach((b, i) => {
    at += i % 3 === 0 ? 1 : 0;
    const first = events.length + 1;
    b.forEach((d, j) =>
      events.push({
        v: first + j,
        type: d.type,
        schema: d.schema,
        data: d.data,
        agent: `a${i % 3}`,
        op: i + 1,
        at,
        commit: first + b.length - 1,
      }),
    );
  });
  return events;
}
const logArb = fc.array(fc.array(draftArb, { minLength: 1, maxLength: 3 }), { maxLength: 40 }).map(toLog);

const same = (a: KvState, b: KvState): void => expect(canonicalJson(plainState(a))).toBe(canonicalJson(plainState(b)));
const NUM_RUNS = 1000;

describe('event sourcing: replay, snapshots, temporal queries (properties over random logs)', () => {
  it('the live projection (each event applied once, in chunks) equals a full replay; so does the reference StateView', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), (events, every, chunk) => {
        const live = initView();
        for (let i = 0; i < events.length; i += chunk) {
          const part = events.slice(i, i + chunk);
          viewAdvance(live, part, part[part.length - 1]!.v, 'snapshot', every);
        }
        const full = replay(events);
        same(live.cached, full.state);
        expect(live.eventsApplied).toBe(events.length);
        const ref = initView();
        same(viewRead(ref, events, events.length, 'rebuild'), full.state);
        expect(ref.eventsApplied).toBe(events.length);
      }),
      { numRuns: runs(NUM_RUNS) },
    );
  });

  it('the nearest snapshot plus the tail equals a full replay to that version, and applies fewer than N events', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: 1, max: 7 }), fc.nat(), (events, every, pick) => {
        const view = initView();
        viewAdvance(view, events, events.length, 'snapshot', every);
        const k = events.length === 0 ? 0 : pick % (events.length + 1);
        const r = stateAsOf(events, view.snapshots, k, 'snapshot');
        same(r.state, replay(events, null, k).state);
        expect(r.applied).toBeLessThan(every);
        expect(k - r.from).toBe(r.applied);
        const scratch = stateAsOf(events, [], k, 'rebuild');
        same(scratch.state, r.state);
        expect(scratch.applied).toBe(k);
      }),
      { numRuns: runs(NUM_RUNS) },
    );
  });

  it('the state as of version k equals the state recorded at k while the log was written', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: 1, max: 5 }), (events, every) => {
        const recorded: KvState[] = [{}];
        const s: KvState = {};
        for (const e of events) {
          applyEvent(s, e);
          recorded.push(copyState(s));
        }
        const view = initView();
        viewAdvance(view, events, events.length, 'snapshot', every);
        for (let k = 0; k <= events.length; k++) {
          same(stateAsOf(events, view.snapshots, k, 'snapshot').state, recorded[k]!);
          same(stateAsOf(events, [], k, 'rebuild').state, recorded[k]!);
        }
      }),
      { numRuns: runs(NUM_RUNS) },
    );
  });

  it('logs written with the old event versions replay through the upcaster', () => {
    const v1 = fc.array(
      fc.oneof(
        fc
          .record({ x: fc.integer({ min: 0, max: 9 }), y: fc.integer({ min: 0, max: 9 }) })
          .map((data): Draft => ({ type: 'update_position', schema: 1, data })),
        fc
          .constantFrom('idle', 'moving')
          .map((status): Draft => ({ type: 'change_status', schema: 1, data: { status } })),
        draftArb,
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(v1, (drafts) => {
        const old = toLog(drafts.map((d) => [d]));
        // The same history as the current code would write it.
        const current = old.map((e) => ({ ...e, schema: EVENT_SCHEMAS[e.type].current, data: upcast(e) }));
        for (const e of old) expect(checkEventData(e.type, e.data, e.schema)).toBeNull();
        for (const e of current) expect(checkEventData(e.type, e.data, e.schema)).toBeNull();
        same(replay(old).state, replay(current).state);
      }),
      { numRuns: runs(NUM_RUNS) },
    );
    // The reference's own log: two positions and a status, in its v1 shape.
    const ref = toLog([
      [{ type: 'update_position', schema: 1, data: { x: 10, y: 20 } }],
      [{ type: 'change_status', schema: 1, data: { status: 'moving' } }],
      [{ type: 'update_position', schema: 1, data: { x: 15, y: 25 } }],
    ]);
    expect(plainState(replay(ref).state)).toEqual({ position: { x: 15, y: 25 }, status: 'moving' });
  });
});

describe('event sourcing: a projection under duplicated, reordered and partial delivery (properties)', () => {
  const config: EventSourcingConfig = { ...defaultEventSourcingConfig(), batch: 4, snapshotEvery: 3 };
  const ctx = (now: number) => ({ now, self: 'proj1', draw: () => 0 });

  function logOf(events: StoredEvent[]): LogState {
    const l = initLog();
    l.events = events;
    return l;
  }

  /** What must not change when a message is delivered again: everything but when it last heard. */
  const durable = (p: ProjectionState): string =>
    canonicalJson({
      version: p.version,
      events: p.events,
      cached: plainState(viewRead(p.view, p.events, p.version, config.view)),
      snaps: p.view.snapshots.length,
    });

  it('delivering any transfer twice changes nothing; in any order, it ends equal to a full replay with each event applied once', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean()), { maxLength: 25 }),
        fc.constantFrom<EventType[]>([], ['key_set'], ['update_position', 'change_status']),
        (events, plan, types) => {
          const log = logOf(events);
          let p: EsState = initProjection('proj1', types);
          let now = 0;
          const deliver = (m: EventsMsg): void => {
            p = eventSourcing.onMessage(p, 'log', m, config, ctx(now++)).state;
          };
          // Transfers from arbitrary versions (stale requests, pushes, repairs), some twice.
          for (const [from, twice, asPush] of plan) {
            const m = transfer(
              log,
              events.length === 0 ? 0 : from % (events.length + 1),
              types,
              config.batch,
              asPush,
              null,
            );
            deliver(m);
            if (twice) {
              const before = durable(p as ProjectionState);
              deliver(m);
              expect(durable(p as ProjectionState)).toBe(before);
            }
          }
          // Then it catches up, as its pulls do.
          for (let guard = 0; (p as ProjectionState).version < events.length && guard < 100; guard++)
            deliver(transfer(log, (p as ProjectionState).version, types, config.batch, false, null));
          const proj = p as ProjectionState;
          const mine = types.length === 0 ? events : events.filter((e) => types.includes(e.type));
          expect(proj.version).toBe(events.length);
          expect(proj.events.map((e) => e.v)).toEqual(mine.map((e) => e.v));
          expect(proj.stats.received).toBe(mine.length);
          expect(proj.view.eventsApplied).toBe(mine.length);
          expect(proj.stats.outOfOrder).toBe(0);
          same(proj.view.cached, replay(mine).state);
          // Whole messages only: its version is always the end of an atomic batch.
          if (proj.version > 0) expect(events[proj.version - 1]!.commit).toBe(proj.version);
        },
      ),
      { numRuns: runs(NUM_RUNS) },
    );
  });
});
