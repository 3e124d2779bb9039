import type { Dict } from '../core/dict';
import { dictDelete, dictGet, dictHas, dictKeys, dictSet } from '../core/dict';
import type { HealthConfig } from './config';
import type { HealthStatus } from './constants';
import { HEALTH_RECORDS, LN10 } from './constants';

/**
 * Health checks: heartbeats over the simulated network and a failure detector per
 * observer → target pair. Pure functions over `HealthState` (a part of the world, so it is
 * hashed, checkpointed and replayed like everything else); the engine gives them a small
 * `HealthEnv` to send real messages and set timers, and calls them before any architecture
 * or agent handler sees a heartbeat or a health timer. Contract: docs/engine.md, Health.
 *
 * Push heartbeats: every participating node has one timer, every `period` ticks. When it
 * fires, the node sends a heartbeat (a sequence number) to each node that watches it, then
 * its detector looks at each node it watches and decides healthy / suspected / down from
 * the silence since the last fresh heartbeat. A heartbeat with a sequence number not above
 * the last one heard (a duplicate, or overtaken by a later one) is not fresh.
 *
 * What is recorded for measurement only (the detector never reads it): when each target
 * crashed, and for each crash how long each observer took to suspect it and to mark it
 * down; every suspicion of a target that was up (a false suspicion) and what it was due to.
 */

export interface PairHealth {
  status: HealthStatus;
  /** Tick of the last status change (or of the start of monitoring). */
  since: number;
  /** Tick the last fresh heartbeat arrived (or monitoring (re)started). */
  lastHeard: number;
  /** Highest heartbeat sequence number heard from the target; -1 before the first. */
  lastSeq: number;
  /** φ: the last `window` inter-arrival times between fresh heartbeats heard while healthy. */
  samples: number[];
  sum: number;
  /**
   * Measurement only: the tick the target last crashed, while the observer has heard no
   * heartbeat sent after that crash (a suspicion then is a detection, late or not, never a
   * false one); null otherwise.
   */
  crash: number | null;
}

export interface Detection {
  target: string;
  observer: string;
  crashedAt: number;
  /** Tick the observer first suspected (or marked down) the target after its crash; null: not yet / never. */
  suspectedAt: number | null;
  downAt: number | null;
  /**
   * The mean inter-arrival time the detector ran on over the crash's final silence (φ's
   * scale; the period for the timeout detector): the mean at the crash, updated by each
   * heartbeat sent before the crash that arrives after it. No fresh heartbeat arrives once
   * the last of those is in, so it is the mean from then on, whenever the observer suspects.
   */
  mean: number;
}

export interface FalseSuspicion {
  observer: string;
  target: string;
  /** Tick the observer suspected a target that was up. */
  at: number;
  /** Tick a fresh heartbeat cleared it; null while it lasts. */
  until: number | null;
  /** What the engine saw (not what the detector knew): `cut` or `late` (latency, jitter, loss). */
  cause: 'cut' | 'late';
}

export interface HealthStats {
  heartbeatsSent: number;
  heartbeatsHeard: number;
  /** Transitions from healthy to suspected or down. */
  suspicions: number;
  falseSuspicions: number;
  /** Detection records ever made (the list keeps the last HEALTH_RECORDS). */
  detections: number;
}

export interface HealthState {
  config: HealthConfig;
  /** The tick this configuration began; heartbeats carry it, so old ones are ignored. */
  epoch: number;
  /** Next heartbeat sequence number per sender. */
  seq: Dict<number>;
  /** observer → target → the observer's view of it. */
  views: Dict<Dict<PairHealth>>;
  /** target → observers, sorted: whom it sends heartbeats to. */
  watchers: Dict<string[]>;
  /** Nodes whose health timer is pending. */
  armed: Dict<true>;
  /** Targets crashed now, and since when (measurement only). */
  crashedAt: Dict<number>;
  /** Measurement only: each target's heartbeat sequence number when it last crashed. */
  crashSeq: Dict<number>;
  detections: Detection[];
  falseSuspicions: FalseSuspicion[];
  stats: HealthStats;
}

export interface HeartbeatPayload {
  t: 'heartbeat';
  seq: number;
  epoch: number;
}

export interface HealthTimerPayload {
  t: 'health';
}

export function isHeartbeat(p: unknown): p is HeartbeatPayload {
  return typeof p === 'object' && p !== null && (p as { t?: unknown }).t === 'heartbeat';
}

export function isHealthTimer(p: unknown): p is HealthTimerPayload {
  return typeof p === 'object' && p !== null && (p as { t?: unknown }).t === 'health';
}

/** What the engine lends the health checks. */
export interface HealthEnv {
  now: number;
  send(from: string, to: string, payload: HeartbeatPayload): void;
  setTimer(node: string, delay: number, payload: HealthTimerPayload): void;
  isCrashed(node: string): boolean;
  isCut(from: string, to: string): boolean;
}

export function initHealth(config: HealthConfig, now: number): HealthState {
  return {
    config,
    epoch: now,
    seq: {},
    views: {},
    watchers: {},
    armed: {},
    crashedAt: {},
    crashSeq: {},
    detections: [],
    falseSuspicions: [],
    stats: { heartbeatsSent: 0, heartbeatsHeard: 0, suspicions: 0, falseSuspicions: 0, detections: 0 },
  };
}

function freshPair(now: number): PairHealth {
  return { status: 'healthy', since: now, lastHeard: now, lastSeq: -1, samples: [], sum: 0, crash: null };
}

/**
 * Sets who watches whom (pairs `[observer, target]`, from the architecture's links), keeping
 * the state of pairs that stay, and arms the timer of every live node that takes part.
 * Called when health is enabled and whenever the topology changes (configure, agents).
 */
export function setPairs(h: HealthState, pairs: readonly (readonly [string, string])[], env: HealthEnv): void {
  const views: Dict<Dict<PairHealth>> = {};
  const watchers: Dict<string[]> = {};
  for (const [o, t] of pairs) {
    if (o === t) continue;
    let mine = dictGet(views, o);
    if (!mine) {
      mine = {};
      dictSet(views, o, mine);
    }
    if (dictHas(mine, t)) continue;
    dictSet(mine, t, dictGet(dictGet(h.views, o) ?? {}, t) ?? freshPair(env.now));
    const ws = dictGet(watchers, t) ?? [];
    ws.push(o);
    dictSet(watchers, t, ws);
  }
  for (const t of dictKeys(watchers)) watchers[t]!.sort();
  h.views = views;
  h.watchers = watchers;
  for (const n of dictKeys(h.armed)) if (!dictHas(views, n) && !dictHas(watchers, n)) dictDelete(h.armed, n);
  const nodes = new Set([...dictKeys(views), ...dictKeys(watchers)]);
  for (const n of [...nodes].sort()) arm(h, n, 1, env);
}

function arm(h: HealthState, node: string, delay: number, env: HealthEnv): void {
  if (dictHas(h.armed, node) || env.isCrashed(node)) return;
  dictSet(h.armed, node, true);
  env.setTimer(node, delay, { t: 'health' });
}

/** The mean inter-arrival time φ divides by: the window's mean, or the period before any. */
export function meanInterval(h: HealthState, v: PairHealth): number {
  if (v.samples.length === 0) return h.config.period;
  return Math.max(1, v.sum / v.samples.length);
}

/** φ for a silence of `elapsed` ticks (exponential inter-arrivals): linear in the silence. */
export function phiOf(elapsed: number, mean: number): number {
  return elapsed / (mean * LN10);
}

/** What the detector concludes after `elapsed` ticks of silence. */
export function levelFor(h: HealthState, v: PairHealth, elapsed: number): HealthStatus {
  const c = h.config;
  if (c.detector === 'timeout')
    return elapsed >= c.downAfter ? 'down' : elapsed >= c.suspectAfter ? 'suspected' : 'healthy';
  const phi = phiOf(elapsed, meanInterval(h, v));
  return phi >= c.down ? 'down' : phi >= c.suspect ? 'suspected' : 'healthy';
}

function lastDetection(h: HealthState, target: string, observer: string, crashedAt: number): Detection | undefined {
  for (let i = h.detections.length - 1; i >= 0; i--) {
    const d = h.detections[i]!;
    if (d.crashedAt < crashedAt) return undefined;
    if (d.target === target && d.observer === observer && d.crashedAt === crashedAt) return d;
  }
  return undefined;
}

function capped<T>(list: T[], x: T): void {
  list.push(x);
  if (list.length > HEALTH_RECORDS) list.splice(0, list.length - HEALTH_RECORDS);
}

function transition(
  h: HealthState,
  observer: string,
  target: string,
  v: PairHealth,
  to: HealthStatus,
  env: HealthEnv,
): void {
  const from = v.status;
  if (from === to) return;
  v.status = to;
  v.since = env.now;
  if (to === 'healthy') {
    for (let i = h.falseSuspicions.length - 1; i >= 0; i--) {
      const f = h.falseSuspicions[i]!;
      if (f.observer === observer && f.target === target) {
        if (f.until === null) f.until = env.now;
        break;
      }
    }
    return;
  }
  if (from === 'healthy') h.stats.suspicions += 1;
  if (v.crash !== null) {
    const d = lastDetection(h, target, observer, v.crash);
    if (d) {
      if (d.suspectedAt === null) d.suspectedAt = env.now;
      if (to === 'down' && d.downAt === null) d.downAt = env.now;
    }
    return;
  }
  if (from === 'healthy') {
    h.stats.falseSuspicions += 1;
    capped(h.falseSuspicions, {
      observer,
      target,
      at: env.now,
      until: null,
      cause: env.isCut(target, observer) ? 'cut' : 'late',
    });
  }
}

/** A node's health timer: heartbeats to its watchers, then its detector's look at its targets. */
export function onHealthTimer(h: HealthState, node: string, env: HealthEnv): void {
  if (!dictHas(h.armed, node)) return;
  dictDelete(h.armed, node);
  const ws = dictGet(h.watchers, node);
  const mine = dictGet(h.views, node);
  if (!ws && !mine) return;
  if (ws && ws.length > 0) {
    const seq = (dictGet(h.seq, node) ?? 0) + 1;
    dictSet(h.seq, node, seq);
    for (const o of ws) {
      h.stats.heartbeatsSent += 1;
      env.send(node, o, { t: 'heartbeat', seq, epoch: h.epoch });
    }
  }
  if (mine) {
    for (const t of dictKeys(mine)) {
      const v = mine[t]!;
      transition(h, node, t, v, levelFor(h, v, env.now - v.lastHeard), env);
    }
  }
  arm(h, node, h.config.period, env);
}

/** A heartbeat `from` → `to` arrived. */
export function onHeartbeat(h: HealthState, from: string, to: string, hb: HeartbeatPayload, env: HealthEnv): void {
  if (hb.epoch !== h.epoch) return;
  const v = dictGet(dictGet(h.views, to) ?? {}, from);
  if (!v || !(hb.seq > v.lastSeq)) return;
  h.stats.heartbeatsHeard += 1;
  // A silence that made the target suspected is not an inter-arrival time of a live node:
  // counting it would make φ lenient for a long while after every recovery.
  if (h.config.detector === 'phi' && v.lastSeq >= 0 && v.status === 'healthy') {
    const gap = env.now - v.lastHeard;
    v.samples.push(gap);
    v.sum += gap;
    if (v.samples.length > h.config.window) v.sum -= v.samples.shift()!;
  }
  v.lastSeq = hb.seq;
  v.lastHeard = env.now;
  if (v.crash !== null && hb.seq > (dictGet(h.crashSeq, from) ?? 0)) v.crash = null;
  else if (v.crash !== null) {
    // A heartbeat sent before the crash, still in flight when it happened: the final silence
    // starts here, and the detector judges it on the mean as it is now.
    const d = lastDetection(h, from, to, v.crash);
    if (d) d.mean = meanInterval(h, v);
  }
  transition(h, to, from, v, 'healthy', env);
}

/** `node` crashed: its timer is gone (the engine cancels it); its crash is noted for measurement. */
export function onHealthCrash(h: HealthState, node: string, env: HealthEnv): void {
  dictDelete(h.armed, node);
  dictSet(h.crashedAt, node, env.now);
  dictSet(h.crashSeq, node, dictGet(h.seq, node) ?? 0);
  for (const o of dictGet(h.watchers, node) ?? []) {
    const v = dictGet(dictGet(h.views, o) ?? {}, node);
    if (!v) continue;
    v.crash = env.now;
    h.stats.detections += 1;
    const already = v.status !== 'healthy';
    capped(h.detections, {
      target: node,
      observer: o,
      crashedAt: env.now,
      suspectedAt: already ? env.now : null,
      downAt: v.status === 'down' ? env.now : null,
      mean: meanInterval(h, v),
    });
  }
}

/**
 * `node` recovered: heartbeats restart at once; as an observer it starts afresh (a restarted
 * process presumes its peers alive until they fall silent for a whole bound).
 */
export function onHealthRecover(h: HealthState, node: string, env: HealthEnv): void {
  dictDelete(h.crashedAt, node);
  const mine = dictGet(h.views, node);
  if (mine) {
    for (const t of dictKeys(mine)) {
      const v = mine[t]!;
      const fresh = freshPair(env.now);
      fresh.lastSeq = v.lastSeq;
      fresh.crash = v.crash;
      dictSet(mine, t, fresh);
    }
  }
  if (mine || dictHas(h.watchers, node)) arm(h, node, 1, env);
}

/** How `observer` sees `target` now, or null when it does not watch it. */
export function pairHealth(h: HealthState | undefined, observer: string, target: string): PairHealth | null {
  if (!h) return null;
  return dictGet(dictGet(h.views, observer) ?? {}, target) ?? null;
}
