import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { compareStrings, dictGet, dictKeys, dictSet } from '../../core/dict';
import { LIMITS } from '../../scenario/limits';
import type { Architecture, Effects, HandlerCtx, Holdings, OperationSpec, Reply, Send } from '../types';
import { isRecord, isRequest } from '../types';
import type { EventSourcingConfig } from './config';
import { EVENT_TYPES, LOG, type EventType } from './constants';
import { projectionLag } from './lag';
import {
  checkEventData,
  checkKey,
  checkValue,
  eventKey,
  EVENT_SCHEMAS,
  applyEvent,
  indexAfter,
  initView,
  isEventType,
  plainState,
  rebuildView,
  replay,
  stateAsOf,
  upcast,
  versionAtTick,
  viewAdvance,
  viewRead,
  type KvState,
  type StoredEvent,
  type ViewState,
} from './events';
import { canonicalJson, deepFreeze } from '../../core/hash';
import { checkRollbackTarget, checkUpdates } from '../args';

/**
 * Event sourcing on the simulated network: one log node (the reference's EventStore) that
 * appends with optimistic concurrency, and projection nodes (read models, each a StateView
 * over its own copy of the log) that pull or are pushed the events since their version.
 * Agents write to the log and read from a projection of their choice, so reads can be
 * stale; each read says the projection's version and how far behind it knows it is.
 */

export { LOG };

type Args = { [k: string]: JsonValue };

export interface Session {
  lastId: number;
  reply: Reply;
}

export interface LogStats {
  appends: number;
  eventsAppended: number;
  rejected: number;
  transfers: number;
  eventsSent: number;
  duplicatesIgnored: number;
  repliesResent: number;
}

export interface LogState {
  role: 'log';
  /** Frozen events, in version order: event v is events[v - 1]. */
  events: StoredEvent[];
  view: ViewState;
  /** For each key, the versions of the events that changed it (the audit trail's index). */
  keyIndex: Dict<number[]>;
  /** Durable, per agent: the last request applied and its reply (deduplication). */
  sessions: Dict<Session>;
  /** Per agent: the commit version of its last append (what read-your-writes waits for). */
  lastAppend: Dict<number>;
  /** Push mode: projections that asked to be sent each append. Volatile. */
  subscribers: Dict<{ types: EventType[] }>;
  stats: LogStats;
}

export interface WaitingRead {
  from: string;
  id: number;
  op: string;
  args: Args;
  /** The version it waits for; null until the log says the agent's last append. */
  need: number | null;
  since: number;
}

export interface ProjectionStats {
  /** Events added to the projection's copy of the log: each exactly once. */
  received: number;
  duplicatesIgnored: number;
  gapsIgnored: number;
  /** Events that arrived behind the projection's cursor yet not known: never happens when dedupe is right. */
  outOfOrder: number;
  reads: number;
  waitedReads: number;
}

export interface ProjectionState {
  role: 'projection';
  id: string;
  types: EventType[];
  /** The log version it has applied (its cursor on the tape); filtered events may skip versions. */
  version: number;
  /** Its copy of the log (only its types), frozen events shared with the log's. */
  events: StoredEvent[];
  view: ViewState;
  /** The log's version the last time it heard from the log, and when (-1: never). */
  knownHead: number;
  heardAt: number;
  requestedAt: number;
  /** Reads waiting for the projection to catch up (read-your-writes). Volatile. */
  waiting: WaitingRead[];
  stats: ProjectionStats;
}

export type EsState = LogState | ProjectionState;

/** Events a transfer message carries: the log's versions (after, upTo], only the receiver's types. */
export interface EventsMsg {
  t: 'events';
  after: number;
  upTo: number;
  events: StoredEvent[];
  head: number;
  push: boolean;
  /** Read-your-writes: that agent's last append, when the projection asked. */
  session: { agent: string; version: number } | null;
}

export interface SinceMsg {
  t: 'since';
  from: number;
  types: EventType[];
  subscribe: boolean;
  session: string | null;
}

/** How many events one op result lists at most. */
export const EVENTS_PER_RESULT = 50;
const WAITING_LIMIT = 64;
const STATE_KEYS_LIMIT = 256;

const O = (
  name: string,
  label: string,
  args: string[],
  result: string[],
  kind: OperationSpec['kind'],
  description: string,
): OperationSpec => ({ name, label, args, result, kind, description });

export const eventSourcingOperations: readonly OperationSpec[] = [
  O(
    'get',
    'Read',
    ['key', 'projection', 'minVersion'],
    ['value', 'version', 'projection', 'projectionVersion', 'lag', 'sinceSync'],
    'read',
    'Read one key from a projection (or "log"): may be stale; says the projection\'s version and lag. minVersion: wait until it has applied that version.',
  ),
  O(
    'set',
    'Write',
    ['key', 'value', 'expectedVersion'],
    ['version'],
    'write',
    'Append key_set to the log; with expectedVersion, only if the log is at that version.',
  ),
  O(
    'update',
    'Update many',
    ['updates', 'expectedVersion'],
    ['version', 'first'],
    'write',
    'Append one key_set per key as one atomic batch (consecutive versions, never seen in part).',
  ),
  O(
    'delete',
    'Delete',
    ['key', 'expectedVersion'],
    ['version', 'existed'],
    'write',
    'Append key_deleted (nothing when the key is absent).',
  ),
  O(
    'append',
    'Append event',
    ['type', 'data', 'expectedVersion', 'schema'],
    ['version'],
    'write',
    'Append any typed event, checked against its schema (schema: write an old version, to see the upcaster).',
  ),
  O(
    'get_all',
    'Read all',
    ['projection', 'minVersion'],
    ['state', 'version'],
    'read',
    "A projection's whole state and version.",
  ),
  O('get_version', 'Log version', [], ['version'], 'admin', 'The log version (how many events it holds).'),
  O(
    'get_events_since',
    'Events since',
    ['version'],
    ['events', 'head', 'more'],
    'admin',
    `The events after a version (at most ${EVENTS_PER_RESULT}).`,
  ),
  O(
    'get_all_events',
    'All events',
    [],
    ['events', 'count'],
    'admin',
    `The reference's get_all_events (the first ${EVENTS_PER_RESULT}; page with Events since).`,
  ),
  O(
    'replay',
    'Replay',
    ['type'],
    ['state', 'version', 'eventsApplied'],
    'read',
    "The reference's replay(event_type): the state from every event, or only one type's.",
  ),
  O(
    'get_as_of',
    'State as of',
    ['key', 'version', 'tick'],
    ['value', 'state', 'asOfVersion', 'eventsApplied', 'from'],
    'read',
    'A key (or the whole state) as of a log version or a tick, rebuilt from the nearest snapshot.',
  ),
  O(
    'audit',
    'Audit trail',
    ['key'],
    ['events', 'total'],
    'admin',
    `Which events changed a key, by which agent, when (the last ${EVENTS_PER_RESULT}).`,
  ),
  O(
    'rollback',
    'Roll back',
    ['key', 'version', 'expectedVersion'],
    ['version', 'first', 'restored', 'to'],
    'write',
    'Append compensating events that bring a key (or, without a key, every key) back to its value at an earlier log version: one atomic batch, the log never rewritten.',
  ),
];

const READS_AT_PROJECTION = new Set(['get', 'get_all']);

// ---------------------------------------------------------------- arguments

function optVersion(v: JsonValue | undefined, name: string): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : `${name} must be a whole number ≥ 0`;
}

function optProjection(v: JsonValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' && v.length > 0 && v.length <= LIMITS.idLength
    ? null
    : 'the projection must be a node id';
}

export function checkEsArgs(op: string, args: Args): string | null {
  const ev = (): string | null => optVersion(args['expectedVersion'], 'the expected version');
  switch (op) {
    case 'get':
      return checkKey(args['key']) ?? optProjection(args['projection']) ?? optVersion(args['minVersion'], 'minVersion');
    case 'get_all':
      return optProjection(args['projection']) ?? optVersion(args['minVersion'], 'minVersion');
    case 'set':
      return checkKey(args['key']) ?? checkValue(args['value']) ?? ev();
    case 'delete':
      return checkKey(args['key']) ?? ev();
    case 'update':
      return checkUpdates(args['updates']) ?? ev();
    case 'append': {
      const s = args['schema'];
      if (s !== undefined && s !== null && (typeof s !== 'number' || !Number.isInteger(s)))
        return 'the schema version must be a whole number';
      const type = args['type'];
      const schema = typeof s === 'number' ? s : isEventType(type) ? EVENT_SCHEMAS[type].current : 1;
      return checkEventData(type, args['data'], schema) ?? ev();
    }
    case 'get_version':
    case 'get_all_events':
      return null;
    case 'get_events_since':
      return (
        optVersion(args['version'], 'the version') ??
        (args['version'] === undefined || args['version'] === null ? 'a version is required' : null)
      );
    case 'replay': {
      const t = args['type'];
      return t === undefined || t === null || isEventType(t)
        ? null
        : `the event type must be one of ${EVENT_TYPES.join(', ')}`;
    }
    case 'get_as_of': {
      const k = args['key'];
      if (k !== undefined && k !== null) {
        const e = checkKey(k);
        if (e) return e;
      }
      const hasV = args['version'] !== undefined && args['version'] !== null;
      const hasT = args['tick'] !== undefined && args['tick'] !== null;
      if (hasV && hasT) return 'give a version or a tick, not both';
      return optVersion(args['version'], 'the version') ?? optVersion(args['tick'], 'the tick');
    }
    case 'audit':
      return checkKey(args['key']);
    case 'rollback':
      return checkRollbackTarget(args) ?? ev();
    default:
      return `event sourcing has no operation "${op}"`;
  }
}

// ---------------------------------------------------------------- the log

export function initLog(): LogState {
  return {
    role: 'log',
    events: [],
    view: initView(),
    keyIndex: {},
    sessions: {},
    lastAppend: {},
    subscribers: {},
    stats: {
      appends: 0,
      eventsAppended: 0,
      rejected: 0,
      transfers: 0,
      eventsSent: 0,
      duplicatesIgnored: 0,
      repliesResent: 0,
    },
  };
}

export function initProjection(id: string, types: readonly EventType[]): ProjectionState {
  return {
    role: 'projection',
    id,
    types: [...types],
    version: 0,
    events: [],
    view: initView(),
    knownHead: 0,
    heardAt: -1,
    requestedAt: -1,
    waiting: [],
    stats: { received: 0, duplicatesIgnored: 0, gapsIgnored: 0, outOfOrder: 0, reads: 0, waitedReads: 0 },
  };
}

function keyExists(s: LogState, key: string): boolean {
  const idx = dictGet(s.keyIndex, key);
  const last = idx?.[idx.length - 1];
  return last !== undefined && s.events[last - 1]!.type !== 'key_deleted';
}

type Outcome = { outcome: 'ok'; result: JsonValue } | { outcome: 'fail'; reason: string };

/** Appends events as one atomic batch: consecutive versions, all sharing the last as commit. */
function appendBatch(
  s: LogState,
  drafts: { type: EventType; schema: number; data: Args }[],
  agent: string,
  op: number,
  now: number,
  compensates?: number,
): StoredEvent[] {
  const first = s.events.length + 1;
  const commit = first + drafts.length - 1;
  const out: StoredEvent[] = [];
  drafts.forEach((d, i) => {
    const base: StoredEvent = {
      v: first + i,
      type: d.type,
      schema: d.schema,
      data: d.data,
      agent,
      op,
      at: now,
      commit,
    };
    const e = deepFreeze<StoredEvent>(compensates === undefined ? base : { ...base, compensates });
    s.events.push(e);
    out.push(e);
    const key = eventKey(e);
    const idx = dictGet(s.keyIndex, key);
    if (idx) idx.push(e.v);
    else dictSet(s.keyIndex, key, [e.v]);
  });
  s.stats.appends += 1;
  s.stats.eventsAppended += drafts.length;
  dictSet(s.lastAppend, agent, commit);
  return out;
}

function eventSummary(e: StoredEvent): JsonValue {
  const base = { version: e.v, type: e.type, schema: e.schema, data: e.data, agent: e.agent, tick: e.at };
  return e.compensates === undefined ? base : { ...base, compensates: e.compensates };
}

/**
 * A key's value after the log's first `v` events (undefined: absent), from the key's own
 * events only: each event changes one key, so this is the whole log's answer for that key.
 */
export function keyValueAt(s: LogState, key: string, v: number): JsonValue | undefined {
  const st: KvState = {};
  for (const ver of dictGet(s.keyIndex, key) ?? []) {
    if (ver > v) break;
    applyEvent(st, s.events[ver - 1]!);
  }
  return dictGet(st, key)?.[0];
}

/**
 * `rollback`: compensating events, one atomic batch, for every key (or the one named) whose
 * value now differs from its value at version `to`: key_set of the old value, or key_deleted
 * when it was absent. Each carries `compensates: to`. Nothing differs: nothing is appended.
 */
function rollbackAtLog(
  s: LogState,
  key: string | null,
  to: number,
  from: string,
  id: number,
  now: number,
  push: (e: StoredEvent[]) => void,
): Outcome {
  const head = s.events.length;
  if (to > head) return { outcome: 'fail', reason: `version ${to} does not exist yet (the log is at ${head})` };
  const drafts: { type: EventType; schema: number; data: Args }[] = [];
  const restored: Args = {};
  for (const k of key === null ? dictKeys(s.keyIndex) : [key]) {
    const target = keyValueAt(s, k, to);
    const cur = keyValueAt(s, k, head);
    if (target === undefined && cur === undefined) continue;
    if (target !== undefined && cur !== undefined && canonicalJson(target) === canonicalJson(cur)) continue;
    drafts.push(
      target === undefined
        ? { type: 'key_deleted', schema: 1, data: { key: k } }
        : { type: 'key_set', schema: 1, data: { key: k, value: target } },
    );
    dictSet(restored, k, target ?? null);
  }
  if (drafts.length === 0) return { outcome: 'ok', result: { version: head, first: null, restored, to } };
  const evs = appendBatch(s, drafts, from, id, now, to);
  push(evs);
  return { outcome: 'ok', result: { version: s.events.length, first: evs[0]!.v, restored, to } };
}

function stateResult(state: ReturnType<typeof plainState>): JsonValue {
  return state;
}

/** Applies one agent request at the log; `appended` collects what a push must send. */
function applyAtLog(
  s: LogState,
  config: EventSourcingConfig,
  from: string,
  id: number,
  op: string,
  args: Args,
  now: number,
  appended: StoredEvent[],
): Outcome {
  const bad = checkEsArgs(op, args);
  if (bad) return { outcome: 'fail', reason: bad };
  const head = s.events.length;
  const expected = args['expectedVersion'];
  if (
    typeof expected === 'number' &&
    (op === 'set' || op === 'delete' || op === 'update' || op === 'append' || op === 'rollback') &&
    expected !== head
  ) {
    s.stats.rejected += 1;
    const since = s.events.slice(expected).map((e) => e.agent);
    const who = [...new Set(since)].sort(compareStrings).slice(0, 4).join(', ');
    return {
      outcome: 'fail',
      reason:
        expected < head
          ? `expected version ${expected}, but the log is at ${head}: ${head - expected} event${head - expected === 1 ? '' : 's'} appended since (by ${who}); read again and retry`
          : `expected version ${expected}, but the log is only at ${head}`,
    };
  }
  const push = (events: StoredEvent[]): void => {
    appended.push(...events);
  };
  switch (op) {
    case 'set':
      push(
        appendBatch(
          s,
          [{ type: 'key_set', schema: 1, data: { key: args['key']!, value: args['value']! } }],
          from,
          id,
          now,
        ),
      );
      return { outcome: 'ok', result: { version: s.events.length } };
    case 'update': {
      const u = args['updates'] as Args;
      const keys = Object.keys(u).sort(compareStrings);
      const evs = appendBatch(
        s,
        keys.map((k) => ({ type: 'key_set' as const, schema: 1, data: { key: k, value: u[k]! } })),
        from,
        id,
        now,
      );
      push(evs);
      return { outcome: 'ok', result: { version: s.events.length, first: evs[0]!.v } };
    }
    case 'delete': {
      const key = args['key'] as string;
      // As the reference store: deleting an absent key appends nothing.
      if (!keyExists(s, key)) return { outcome: 'ok', result: { version: head, existed: false } };
      push(appendBatch(s, [{ type: 'key_deleted', schema: 1, data: { key } }], from, id, now));
      return { outcome: 'ok', result: { version: s.events.length, existed: true } };
    }
    case 'append': {
      const type = args['type'] as EventType;
      const schema = typeof args['schema'] === 'number' ? args['schema'] : EVENT_SCHEMAS[type].current;
      push(appendBatch(s, [{ type, schema, data: args['data'] as Args }], from, id, now));
      return { outcome: 'ok', result: { version: s.events.length } };
    }
    case 'get': {
      const proj = args['projection'];
      if (typeof proj === 'string' && proj !== LOG)
        return {
          outcome: 'fail',
          reason: `there is no projection "${proj}" (projections: ${config.projections.map((p) => p.id).join(', ') || 'none'})`,
        };
      const e = dictGet(viewRead(s.view, s.events, head, config.view), args['key'] as string);
      return {
        outcome: 'ok',
        result: {
          value: e ? e[0] : null,
          version: e ? e[1] : 0,
          projection: LOG,
          projectionVersion: head,
          lag: 0,
          sinceSync: 0,
        },
      };
    }
    case 'get_all': {
      const proj = args['projection'];
      if (typeof proj === 'string' && proj !== LOG)
        return { outcome: 'fail', reason: `there is no projection "${proj}"` };
      return {
        outcome: 'ok',
        result: {
          state: stateResult(plainState(viewRead(s.view, s.events, head, config.view), STATE_KEYS_LIMIT)),
          version: head,
        },
      };
    }
    case 'get_version':
      return { outcome: 'ok', result: { version: head } };
    case 'get_events_since': {
      const v = args['version'] as number;
      const list = s.events.slice(v, v + EVENTS_PER_RESULT);
      return { outcome: 'ok', result: { events: list.map(eventSummary), head, more: v + list.length < head } };
    }
    case 'get_all_events':
      return { outcome: 'ok', result: { events: s.events.slice(0, EVENTS_PER_RESULT).map(eventSummary), count: head } };
    case 'replay': {
      const t = args['type'];
      const r = replay(s.events, isEventType(t) ? t : null);
      return {
        outcome: 'ok',
        result: { state: stateResult(plainState(r.state, STATE_KEYS_LIMIT)), version: head, eventsApplied: r.applied },
      };
    }
    case 'get_as_of': {
      const tick = args['tick'];
      const ver = args['version'];
      const v = typeof ver === 'number' ? ver : typeof tick === 'number' ? versionAtTick(s.events, tick) : head;
      if (v > head) return { outcome: 'fail', reason: `version ${v} does not exist yet (the log is at ${head})` };
      const r = stateAsOf(s.events, s.view.snapshots, v, config.view);
      const key = args['key'];
      if (typeof key === 'string') {
        const e = dictGet(r.state, key);
        return {
          outcome: 'ok',
          result: { value: e ? e[0] : null, asOfVersion: v, eventsApplied: r.applied, from: r.from },
        };
      }
      return {
        outcome: 'ok',
        result: {
          state: stateResult(plainState(r.state, STATE_KEYS_LIMIT)),
          asOfVersion: v,
          eventsApplied: r.applied,
          from: r.from,
        },
      };
    }
    case 'rollback':
      return rollbackAtLog(
        s,
        typeof args['key'] === 'string' ? args['key'] : null,
        args['version'] as number,
        from,
        id,
        now,
        push,
      );
    case 'audit': {
      const idx = dictGet(s.keyIndex, args['key'] as string) ?? [];
      const last = idx.slice(-EVENTS_PER_RESULT);
      return {
        outcome: 'ok',
        result: {
          events: last.map((v) => {
            const e = s.events[v - 1]!;
            const base = { version: v, type: e.type, agent: e.agent, op: e.op, tick: e.at, data: upcast(e) };
            return e.compensates === undefined ? base : { ...base, compensates: e.compensates };
          }),
          total: idx.length,
        },
      };
    }
    default:
      return { outcome: 'fail', reason: `event sourcing has no operation "${op}"` };
  }
}

/** Only the types a projection subscribed to (all when none are named). */
function filterTypes(events: readonly StoredEvent[], types: readonly EventType[]): StoredEvent[] {
  return types.length === 0 ? [...events] : events.filter((e) => types.includes(e.type));
}

/**
 * The reference's get_events_since, over the network: versions (from, upTo], at most `batch`
 * events, but never ending inside an atomic batch (a projection applies whole messages, so
 * no read can see part of an update).
 */
export function transfer(
  s: LogState,
  from: number,
  types: readonly EventType[],
  batch: number,
  push: boolean,
  session: EventsMsg['session'],
): EventsMsg {
  const head = s.events.length;
  const start = Math.min(Math.max(0, from), head);
  let upTo = Math.min(head, start + batch);
  if (upTo > start) upTo = Math.max(upTo, s.events[upTo - 1]!.commit);
  const events = filterTypes(s.events.slice(start, upTo), types);
  s.stats.transfers += 1;
  s.stats.eventsSent += events.length;
  return { t: 'events', after: start, upTo, events, head, push, session };
}

function isSince(p: unknown): p is SinceMsg {
  return isRecord(p) && p['t'] === 'since' && typeof p['from'] === 'number' && Array.isArray(p['types']);
}

function isEventsMsg(p: unknown): p is EventsMsg {
  return (
    isRecord(p) &&
    p['t'] === 'events' &&
    typeof p['after'] === 'number' &&
    typeof p['upTo'] === 'number' &&
    Array.isArray(p['events'])
  );
}

function reply(id: number, r: Outcome): Reply {
  return r.outcome === 'ok'
    ? { t: 'res', id, outcome: 'ok', result: r.result, reason: null }
    : { t: 'res', id, outcome: 'fail', result: null, reason: r.reason };
}

function logMessage(
  s: LogState,
  from: string,
  payload: unknown,
  config: EventSourcingConfig,
  ctx: HandlerCtx,
): Effects<EsState> {
  const none = { state: s, send: [], timers: [] };
  if (isSince(payload)) {
    const types = payload.types.filter(isEventType);
    if (payload.subscribe && config.delivery === 'push') dictSet(s.subscribers, from, { types });
    const session =
      payload.session === null
        ? null
        : { agent: payload.session, version: dictGet(s.lastAppend, payload.session) ?? 0 };
    return {
      state: s,
      send: [{ to: from, payload: transfer(s, payload.from, types, config.batch, false, session) }],
      timers: [],
    };
  }
  if (!isRequest(payload)) return none;
  const session = dictGet(s.sessions, from);
  if (session && payload.id === session.lastId) {
    s.stats.repliesResent += 1;
    return { state: s, send: [{ to: from, payload: session.reply }], timers: [] };
  }
  if (session && payload.id < session.lastId) {
    s.stats.duplicatesIgnored += 1;
    return none;
  }
  const before = s.events.length;
  const appended: StoredEvent[] = [];
  const r = applyAtLog(s, config, from, payload.id, payload.op, payload.args, ctx.now, appended);
  const rep = reply(payload.id, r);
  dictSet(s.sessions, from, { lastId: payload.id, reply: rep });
  if (appended.length > 0) viewAdvance(s.view, appended, s.events.length, config.view, config.snapshotEvery);
  const send: Send[] = [{ to: from, payload: rep }];
  if (appended.length > 0 && config.delivery === 'push') {
    for (const sub of dictKeys(s.subscribers)) {
      const types = s.subscribers[sub]!.types;
      s.stats.transfers += 1;
      const events = filterTypes(appended, types);
      s.stats.eventsSent += events.length;
      const msg: EventsMsg = {
        t: 'events',
        after: before,
        upTo: s.events.length,
        events,
        head: s.events.length,
        push: true,
        session: null,
      };
      send.push({ to: sub, payload: msg });
    }
  }
  return { state: s, send, timers: [] };
}

// ---------------------------------------------------------------- projections

function since(p: ProjectionState, config: EventSourcingConfig, now: number, session: string | null): Send {
  p.requestedAt = now;
  const msg: SinceMsg = { t: 'since', from: p.version, types: p.types, subscribe: config.delivery === 'push', session };
  return { to: LOG, payload: msg };
}

function answerRead(
  p: ProjectionState,
  w: { from: string; id: number; op: string; args: Args },
  config: EventSourcingConfig,
  now: number,
): Send {
  const state = viewRead(p.view, p.events, p.version, config.view);
  p.stats.reads += 1;
  const lag = Math.max(0, p.knownHead - p.version);
  const sinceSync = p.heardAt < 0 ? now + 1 : now - p.heardAt;
  let result: JsonValue;
  if (w.op === 'get') {
    const e = dictGet(state, w.args['key'] as string);
    result = {
      value: e ? e[0] : null,
      version: e ? e[1] : 0,
      projection: p.id,
      projectionVersion: p.version,
      lag,
      sinceSync,
    };
  } else {
    result = {
      state: plainState(state, STATE_KEYS_LIMIT),
      version: p.version,
      projection: p.id,
      projectionVersion: p.version,
      lag,
      sinceSync,
    };
  }
  const r: Reply = { t: 'res', id: w.id, outcome: 'ok', result, reason: null };
  return { to: w.from, payload: r };
}

/** Answers the waiting reads the projection has now caught up with. */
function releaseWaiting(p: ProjectionState, config: EventSourcingConfig, now: number): Send[] {
  const out: Send[] = [];
  p.waiting = p.waiting.filter((w) => {
    if (w.need === null || w.need > p.version) return true;
    out.push(answerRead(p, w, config, now));
    return false;
  });
  return out;
}

function projectionRequest(
  p: ProjectionState,
  from: string,
  payload: { id: number; op: string; args: Args },
  config: EventSourcingConfig,
  ctx: HandlerCtx,
): Effects<EsState> {
  const fail = (reason: string): Effects<EsState> => ({
    state: p,
    send: [{ to: from, payload: { t: 'res', id: payload.id, outcome: 'fail', result: null, reason } satisfies Reply }],
    timers: [],
  });
  if (!READS_AT_PROJECTION.has(payload.op)) return fail(`${p.id} is a read model: send ${payload.op} to the log`);
  const bad = checkEsArgs(payload.op, payload.args);
  if (bad) return fail(bad);
  // An agent has one operation outstanding: a copy of a waiting read is already handled,
  // and a newer request from the same agent replaces its older ones (they timed out).
  if (p.waiting.some((w) => w.from === from && w.id === payload.id)) return { state: p, send: [], timers: [] };
  p.waiting = p.waiting.filter((w) => w.from !== from);
  const min = payload.args['minVersion'];
  const ryw = config.readYourWrites;
  if (!ryw && (typeof min !== 'number' || min <= p.version)) {
    return { state: p, send: [answerRead(p, { from, ...payload }, config, ctx.now)], timers: [] };
  }
  // Wait: for the agent's own last append (asked of the log), or for the version it named.
  p.stats.waitedReads += 1;
  if (p.waiting.length >= WAITING_LIMIT) p.waiting.shift();
  p.waiting.push({
    from,
    id: payload.id,
    op: payload.op,
    args: payload.args,
    need: ryw ? null : (min as number),
    since: ctx.now,
  });
  return { state: p, send: [since(p, config, ctx.now, ryw ? from : null)], timers: [] };
}

function projectionEvents(
  p: ProjectionState,
  m: EventsMsg,
  config: EventSourcingConfig,
  ctx: HandlerCtx,
): Effects<EsState> {
  const send: Send[] = [];
  const before = p.version;
  p.heardAt = ctx.now;
  if (typeof m.head === 'number') p.knownHead = Math.max(p.knownHead, m.head);
  if (m.upTo <= p.version) {
    if (m.upTo > m.after) p.stats.duplicatesIgnored += 1;
  } else if (m.after > p.version) {
    // A gap (a lost or overtaken message): ignore it; ask for what is missing, at most once per pull period.
    p.stats.gapsIgnored += 1;
    if (ctx.now - p.requestedAt >= config.pullEvery) send.push(since(p, config, ctx.now, null));
  } else {
    const fresh: StoredEvent[] = [];
    let last = p.events[p.events.length - 1]?.v ?? 0;
    for (const e of m.events) {
      if (e.v <= p.version) continue; // already applied: a version is applied once
      if (e.v <= last || e.v > m.upTo) {
        p.stats.outOfOrder += 1;
        continue;
      }
      p.events.push(e);
      fresh.push(e);
      last = e.v;
    }
    p.stats.received += fresh.length;
    p.version = m.upTo;
    viewAdvance(p.view, fresh, p.version, config.view, config.snapshotEvery);
  }
  if (m.session !== null) {
    for (const w of p.waiting) {
      if (w.from !== m.session.agent || w.need !== null) continue;
      const min = w.args['minVersion'];
      w.need = Math.max(m.session.version, typeof min === 'number' ? min : 0);
    }
  }
  send.push(...releaseWaiting(p, config, ctx.now));
  // Still behind after a reply: keep catching up now rather than at the next pull. Only a
  // reply that moved the projection asks again: a duplicated reply asking too would double
  // the requests in flight at every round trip (a storm on a duplicating network), and a
  // lost one is repaired by the next pull.
  const behind = p.knownHead > p.version || p.waiting.some((w) => w.need === null || w.need > p.version);
  const moved = p.version > before;
  if (!m.push && moved && behind && !send.some((x) => x.to === LOG)) {
    const needSession = p.waiting.find((w) => w.need === null)?.from ?? null;
    send.push(since(p, config, ctx.now, needSession));
  }
  return { state: p, send, timers: [] };
}

function pullTimer(config: EventSourcingConfig): { delay: number; payload: JsonValue } {
  return { delay: config.pullEvery, payload: { t: 'pull' } };
}

// ---------------------------------------------------------------- the architecture

export function projectionIds(config: EventSourcingConfig): string[] {
  return config.projections.map((p) => p.id).filter((id) => id !== LOG);
}

export const eventSourcing: Architecture<EventSourcingConfig, EsState> = {
  kind: 'event-sourcing',
  label: 'Event sourcing',
  promise:
    "Appends are linearizable (one total order; an append with a stale expected version is rejected). Each projection applies every event once, in log order, and catches up after a heal. Reads from a projection may be stale; read-your-writes holds when the projection waits for the reader's own last append.",
  operations: eventSourcingOperations,
  serverIds: (config) => [LOG, ...projectionIds(config)],
  initServer: (id, config) =>
    id === LOG ? initLog() : initProjection(id, config.projections.find((p) => p.id === id)?.types ?? []),
  route(config, _agent, op, args) {
    if (!READS_AT_PROJECTION.has(op)) return LOG;
    const named = args['projection'];
    const ids = projectionIds(config);
    if (typeof named === 'string') return ids.includes(named) ? named : LOG;
    return ids.includes(config.defaultProjection) ? config.defaultProjection : LOG;
  },
  checkArgs: checkEsArgs,
  // Writes have only the log. A read may go to another projection that holds every event
  // type (stale, perhaps), or to the log itself (linearizable).
  alternatives(config, _agent, op, _args, current) {
    if (!READS_AT_PROJECTION.has(op) || current === LOG) return [];
    const full = config.projections
      .filter((p) => p.id !== LOG && p.id !== current && p.types.length === 0)
      .map((p) => p.id);
    return [...full, LOG];
  },

  onMessage(state, from, payload, config, ctx) {
    if (state.role === 'log') return logMessage(state, from, payload, config, ctx);
    if (isEventsMsg(payload)) return projectionEvents(state, payload, config, ctx);
    if (isRequest(payload)) return projectionRequest(state, from, payload, config, ctx);
    return { state, send: [], timers: [] };
  },

  onTimer(state, payload, config, ctx) {
    if (state.role !== 'projection' || !isRecord(payload) || payload['t'] !== 'pull')
      return { state, send: [], timers: [] };
    const session = state.waiting.find((w) => w.need === null)?.from ?? null;
    return { state, send: [since(state, config, ctx.now, session)], timers: [pullTimer(config)] };
  },

  onStart(state) {
    if (state.role !== 'projection') return { state, send: [], timers: [] };
    return { state, send: [], timers: [{ delay: 1, payload: { t: 'pull' } }] };
  },

  onCrash(state) {
    if (state.role === 'log') state.subscribers = {};
    else state.waiting = [];
    return state;
  },

  onRecover(state, config, ctx) {
    if (state.role !== 'projection') return { state, send: [], timers: [] };
    return { state, send: [since(state, config, ctx.now, null)], timers: [pullTimer(config)] };
  },

  onConfigure(state, from, to) {
    const modeChanged = from.view !== to.view || (to.view === 'snapshot' && from.snapshotEvery !== to.snapshotEvery);
    if (state.role === 'log') {
      if (to.delivery === 'pull') state.subscribers = {};
      if (modeChanged) rebuildView(state.events, state.events.length, to.view, to.snapshotEvery, state.view);
      return { state, send: [], timers: [] };
    }
    const mine = to.projections.find((p) => p.id === state.id);
    const types = mine?.types ?? state.types;
    if (types.length !== state.types.length || types.some((t, i) => t !== state.types[i])) {
      // A new subscription: this read model is rebuilt from the whole log.
      const fresh = initProjection(state.id, types);
      fresh.stats = state.stats;
      fresh.view.eventsApplied = state.view.eventsApplied;
      fresh.view.rebuilds = state.view.rebuilds + 1;
      return { state: fresh, send: [], timers: [] };
    }
    if (modeChanged) rebuildView(state.events, state.version, to.view, to.snapshotEvery, state.view);
    return { state, send: [], timers: [] };
  },

  links(config, agents) {
    const out: [string, string][] = [];
    for (const p of projectionIds(config)) out.push([LOG, p]);
    for (const a of agents) {
      out.push([a, LOG]);
      for (const p of projectionIds(config)) out.push([a, p]);
    }
    return out;
  },

  summary(state, config, ctx) {
    if (state.role === 'log') {
      const head = state.events.length;
      return {
        role: 'log',
        detail: `${head} event${head === 1 ? '' : 's'}`,
        version: head,
        facts: [
          ['Appends', String(state.stats.appends)],
          ['Rejected (stale expected version)', String(state.stats.rejected)],
          ['Events sent to projections', String(state.stats.eventsSent)],
        ],
      };
    }
    const log = ctx.server(LOG);
    const head = log?.role === 'log' ? log.events.length : state.version;
    const lag = projectionLag({
      behind: Math.max(0, head - state.version),
      crashed: ctx.isCrashed(ctx.self),
      logCrashed: ctx.isCrashed(LOG),
      cut: ctx.isCut(LOG, ctx.self) || ctx.isCut(ctx.self, LOG),
      delivery: config.delivery,
    });
    return {
      role: 'projection',
      detail: lag.short,
      version: state.version,
      facts: [
        ['Log version', String(head)],
        ['Behind the log', lag.long],
        // The head as this projection last heard it: what it knows it is missing.
        ['Last heard head', String(state.knownHead)],
        ['Events received', String(state.stats.received)],
        ['Events applied (view)', String(state.view.eventsApplied)],
        ['Rebuilds from scratch', String(state.view.rebuilds)],
        ['Duplicates ignored', String(state.stats.duplicatesIgnored)],
      ],
    };
  },

  holdings(servers, config) {
    // The log and every projection of all event types: each holds every key at its version.
    // A projection of some types only is a partial copy by design, so it is left out.
    const holders = servers.filter(({ state }) => state.role === 'log' || state.types.length === 0);
    const views = holders.map(({ id, state }) => {
      const version = state.role === 'log' ? state.events.length : state.version;
      // The cache is read only when it is at the node's version (snapshot mode keeps it so);
      // otherwise the state is rebuilt aside, never touching the node's cache.
      const kv =
        state.view.cachedVersion === version
          ? state.view.cached
          : stateAsOf(state.events, state.view.snapshots, version, config.view).state;
      return { id, kv: plainState(kv) };
    });
    const out: Holdings = {};
    const keys = new Set(views.flatMap((v) => Object.keys(v.kv)));
    for (const k of [...keys].sort(compareStrings)) {
      const row: { [server: string]: JsonValue | null } = {};
      for (const v of views) dictSet(row, v.id, dictGet(v.kv, k) ?? null);
      dictSet(out, k, row);
    }
    return out;
  },

  settle(state) {
    for (const e of state.events) deepFreeze(e);
    for (const s of state.view.snapshots) deepFreeze(s);
    for (const k of Object.keys(state.view.cached)) deepFreeze(state.view.cached[k]);
  },
};

/** The log's state as of a version, for the diagram's slider and the agents' get_as_of. */
export function logStateAsOf(s: LogState, v: number, config: EventSourcingConfig): ReturnType<typeof stateAsOf> {
  return stateAsOf(s.events, s.view.snapshots, Math.min(v, s.events.length), config.view);
}

export { indexAfter };
