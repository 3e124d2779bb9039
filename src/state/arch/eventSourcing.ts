import type { Scenario, World } from '../../sim/index';
import { isCrashed, isCut } from '../../sim/net/network';
import type { EventSourcingConfig } from '../../sim/architectures/event-sourcing/config';
import { dictGet, dictKeys } from '../../sim/core/dict';
import { eventKey, stateAsOf, upcast, type StoredEvent } from '../../sim/architectures/event-sourcing/events';
import type { EsState, LogState } from '../../sim/architectures/event-sourcing/log';
import { LOG } from '../../sim/architectures/event-sourcing/constants';
import { projectionLag } from '../../sim/architectures/event-sourcing/lag';
import { keyText, shortJson } from '../format';

/**
 * What the event-sourcing panels show, copied out of the world (plain data; see ../view.ts).
 * The log is unbounded, so everything here is a window: the tape's last cells, the last
 * reads, the first keys. Each list says how many there were in all.
 */

/** Cells on the tape at once. */
export const TAPE_CELLS = 40;
/** History records scanned for stale reads (newest first). */
export const READS_SCANNED = 300;
const STALE_SHOWN = 8;
const KEYS_SHOWN = 24;

export interface EsCell {
  version: number;
  type: string;
  agent: string;
  key: string;
  tick: number;
  /** The first and last version of its atomic batch (equal when appended alone). */
  batchFirst: number;
  commit: number;
  /** The event's data in a few characters. */
  summary: string;
  /** Written with an older schema (replayed through the upcaster). */
  schema: number;
  current: number;
  /** A compensating event (a rollback): the version its batch brings the key back to. */
  compensates: number | null;
}

export interface EsProjectionView {
  id: string;
  types: string[];
  crashed: boolean;
  version: number;
  /** Behind the log now, in events and in ticks (since the oldest event it lacks was appended). */
  lagEvents: number;
  lagTicks: number;
  /** What it believes: the log's version when it last heard, and how long ago. */
  knownHead: number;
  sinceSync: number | null;
  /** Either direction of its link with the log is cut. */
  cut: boolean;
  /** How far behind the log and why, in the words of the diagram and Inspect. */
  behind: string;
  behindWhy: string;
  behindReason: string;
  received: number;
  duplicatesIgnored: number;
  gapsIgnored: number;
  eventsApplied: number;
  rebuilds: number;
  snapshots: number;
  waiting: number;
}

export interface EsStaleRead {
  opId: number;
  agent: string;
  key: string;
  value: string;
  projection: string;
  projectionVersion: number;
  /** The log's version when the read was issued. */
  logVersion: number;
  tick: number;
}

export interface EventSourcingView {
  kind: 'event-sourcing';
  tick: number;
  head: number;
  config: EventSourcingConfig;
  logCrashed: boolean;
  log: {
    appends: number;
    rejected: number;
    eventsApplied: number;
    rebuilds: number;
    snapshots: number;
    transfers: number;
  };
  projections: EsProjectionView[];
  /** Versions of the log's snapshots, the last few. */
  snapshotVersions: number[];
  /** Keys the log has ever touched (the first KEYS_SHOWN): each opens its audit trail in Inspect. */
  keys: string[];
  keyCount: number;
  staleReads: EsStaleRead[];
  staleCount: number;
  readsScanned: number;
  /** Each agent's last successful append (for "wait until caught up with my own append"). */
  lastAppend: { agent: string; version: number }[];
  agents: string[];
  /** The tape's last cells and the state at the head. */
  latest: EsAsOfView | null;
}

function isLog(s: EsState | undefined): s is LogState {
  return s !== undefined && s.role === 'log';
}

function logOf(w: World): LogState | null {
  const s = dictGet(w.servers, LOG)?.state as EsState | undefined;
  return isLog(s) ? s : null;
}

function cellOf(e: StoredEvent, events: readonly StoredEvent[]): EsCell {
  const d = upcast(e);
  const current = e.type === 'update_position' || e.type === 'change_status' ? 2 : 1;
  let first = e.v;
  while (first > 1 && events[first - 2]!.commit === e.commit) first--;
  const summary =
    e.type === 'key_set'
      ? shortJson(d['value'], 14)
      : e.type === 'key_deleted'
        ? 'deleted'
        : e.type === 'counter_incremented'
          ? `+${shortJson(d['by'])}`
          : e.type === 'update_position'
            ? `(${shortJson(d['x'])}, ${shortJson(d['y'])})`
            : shortJson(d['status'], 14);
  return {
    version: e.v,
    type: e.type,
    agent: e.agent,
    key: keyText(eventKey(e), 16),
    tick: e.at,
    batchFirst: first,
    commit: e.commit,
    summary,
    schema: e.schema,
    current,
    compensates: e.compensates ?? null,
  };
}

/** The version at which `key` last changed at or before v (0: never). */
function lastChange(index: readonly number[] | undefined, v: number): number {
  if (!index) return 0;
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : index[lo - 1]!;
}

function versionAt(events: readonly StoredEvent[], tick: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.at <= tick) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildEventSourcingView(w: World, _s: Scenario): EventSourcingView {
  const config = w.arch as EventSourcingConfig;
  const log = logOf(w);
  const events = log?.events ?? [];
  const head = events.length;
  const projections: EsProjectionView[] = [];
  for (const id of dictKeys(w.servers)) {
    const p = w.servers[id]!.state as EsState;
    if (p.role !== 'projection') continue;
    const lagEvents = Math.max(0, head - p.version);
    const cut = isCut(w.net, LOG, id) || isCut(w.net, id, LOG);
    const lag = projectionLag({
      behind: lagEvents,
      crashed: isCrashed(w.net, id),
      logCrashed: isCrashed(w.net, LOG),
      cut,
      delivery: config.delivery,
    });
    projections.push({
      id,
      types: [...p.types],
      crashed: isCrashed(w.net, id),
      version: p.version,
      lagEvents,
      lagTicks: lagEvents > 0 ? Math.max(0, w.now - events[p.version]!.at) : 0,
      knownHead: p.knownHead,
      sinceSync: p.heardAt < 0 ? null : w.now - p.heardAt,
      cut,
      behind: lag.short,
      behindWhy: lag.long,
      behindReason: lag.reason,
      received: p.stats.received,
      duplicatesIgnored: p.stats.duplicatesIgnored,
      gapsIgnored: p.stats.gapsIgnored,
      eventsApplied: p.view.eventsApplied,
      rebuilds: p.view.rebuilds,
      snapshots: p.view.snapshots.length,
      waiting: p.waiting.length,
    });
  }
  const order = config.projections.map((p) => p.id);
  projections.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));

  // Stale reads among the last reads: the key changed between the version the projection
  // answered from and the log's version when the read was issued.
  const staleReads: EsStaleRead[] = [];
  let staleCount = 0;
  let scanned = 0;
  for (let i = w.history.length - 1; i >= 0 && scanned < READS_SCANNED; i--) {
    const r = w.history[i]!;
    if (r.op !== 'get' || r.outcome !== 'ok') continue;
    scanned++;
    const res = r.result as { [k: string]: unknown } | null;
    const key = (r.args as { [k: string]: unknown } | null)?.['key'];
    const pv = res?.['projectionVersion'];
    if (typeof key !== 'string' || typeof pv !== 'number' || !log) continue;
    const lv = versionAt(events, r.invokedAt - 1);
    if (pv >= lv) continue;
    const idx = dictGet(log.keyIndex, key);
    if (lastChange(idx, pv) === lastChange(idx, lv)) continue;
    staleCount++;
    if (staleReads.length < STALE_SHOWN) {
      staleReads.push({
        opId: r.id,
        agent: r.agent,
        key: keyText(key, 24),
        value: res?.['value'] === null ? 'absent' : shortJson(res?.['value'], 20),
        projection: String(res?.['projection'] ?? '?'),
        projectionVersion: pv,
        logVersion: lv,
        tick: r.completedAt ?? r.invokedAt,
      });
    }
  }

  const allKeys = log ? Object.keys(log.keyIndex) : [];
  const keys = allKeys.sort().slice(0, KEYS_SHOWN);
  const lastAppend = log ? dictKeys(log.lastAppend).map((agent) => ({ agent, version: log.lastAppend[agent]! })) : [];
  return {
    kind: 'event-sourcing',
    tick: w.now,
    head,
    config: structuredClone(config),
    logCrashed: isCrashed(w.net, LOG),
    log: {
      appends: log?.stats.appends ?? 0,
      rejected: log?.stats.rejected ?? 0,
      eventsApplied: log?.view.eventsApplied ?? 0,
      rebuilds: log?.view.rebuilds ?? 0,
      snapshots: log?.view.snapshots.length ?? 0,
      transfers: log?.stats.transfers ?? 0,
    },
    projections,
    snapshotVersions: (log?.view.snapshots ?? []).slice(-TAPE_CELLS).map((s) => s.version),
    keys,
    keyCount: allKeys.length,
    staleReads,
    staleCount,
    readsScanned: scanned,
    lastAppend: lastAppend.slice(0, 200),
    agents: dictKeys(w.agents).slice(0, 200),
    latest: buildEventSourcingAsOf(w, null),
  };
}

export interface EsAsOfView {
  version: number;
  /** The tick the version was reached (the event's), or null for version 0. */
  tick: number | null;
  cells: EsCell[];
  /** The first version on the tape window, minus one. */
  windowStart: number;
  state: { key: string; value: string; version: number }[];
  stateKeys: number;
  eventsApplied: number;
  /** The snapshot it started from (0: from scratch). */
  from: number;
  /** Versions of the log's snapshots on the tape window. */
  snapshots: number[];
}

/** Versions of the log's snapshots in (start, end], found by binary search (there may be many). */
function snapshotsBetween(log: LogState, start: number, end: number): number[] {
  const snaps = log.view.snapshots;
  let lo = 0;
  let hi = snaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (snaps[mid]!.version <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < snaps.length && snaps[i]!.version <= end && out.length < TAPE_CELLS; i++)
    out.push(snaps[i]!.version);
  return out;
}

// The log's prefix up to v never changes, and its events are frozen objects every copy of the
// world shares: (the event at v, v, mode, snapshot count) names one answer. Per frame at the
// head this is then a lookup, not a replay (a replay from scratch in rebuild mode).
let lastAsOf: {
  at: StoredEvent | null;
  v: number;
  mode: string;
  snaps: number;
  r: ReturnType<typeof stateAsOf>;
} | null = null;

function memoAsOf(log: LogState, v: number, mode: EventSourcingConfig['view']): ReturnType<typeof stateAsOf> {
  const at = v === 0 ? null : log.events[v - 1]!;
  const snaps = log.view.snapshots.length;
  if (lastAsOf && lastAsOf.at === at && lastAsOf.v === v && lastAsOf.mode === mode && lastAsOf.snaps === snaps)
    return lastAsOf.r;
  const r = stateAsOf(log.events, log.view.snapshots, v, mode);
  lastAsOf = { at, v, mode, snaps, r };
  return r;
}

/**
 * The tape around version v and the state as of v, rebuilt the way the configured view
 * would (from the nearest snapshot, or from scratch for the reference's StateView). Called
 * when the slider moves, with the cursor's world; copies out a window.
 */
export function buildEventSourcingAsOf(w: World, version: number | null): EsAsOfView | null {
  const log = logOf(w);
  if (!log) return null;
  const config = w.arch as EventSourcingConfig;
  const head = log.events.length;
  const v = version === null ? head : Math.max(0, Math.min(head, version));
  // The window ends at v when looking back (so v is in view), at the head otherwise.
  const end = Math.min(head, Math.max(v + 4, TAPE_CELLS));
  const start = Math.max(0, end - TAPE_CELLS);
  const cells = log.events.slice(start, end).map((e) => cellOf(e, log.events));
  const r = memoAsOf(log, v, config.view);
  const keys = dictKeys(r.state);
  return {
    version: v,
    tick: v === 0 ? null : log.events[v - 1]!.at,
    cells,
    windowStart: start,
    state: keys
      .slice(0, KEYS_SHOWN)
      .map((k) => ({ key: keyText(k, 24), value: shortJson(r.state[k]![0], 24), version: r.state[k]![1] })),
    stateKeys: keys.length,
    eventsApplied: r.applied,
    from: r.from,
    snapshots: snapshotsBetween(log, start, end),
  };
}
