import type { JsonValue } from '../core/json';
import type { AgentSpec, Workload } from '../scenario/schema';
import type { Reply } from '../architectures/types';
import { isRecord } from '../architectures/types';
import type { Via } from '../history/types';
import type { Fallback } from '../health/constants';
import { CACHE_KEYS } from '../health/constants';
import type { Dict } from '../core/dict';
import { dictDelete, dictGet, dictHas, dictKeys, dictSet } from '../core/dict';

/**
 * An agent is a client process (Jepsen's "process"): it has one operation outstanding at a
 * time, waits up to `timeout` ticks for the reply, may resend the same request, and then
 * records the outcome. Operations a user asks for wait in the agent's own queue and go
 * before its workload's next one.
 */

export interface PendingOp {
  opId: number;
  op: string;
  args: { [k: string]: JsonValue };
  to: string;
  sentAt: number;
  /** What the engine saw happen to this request (a drop, a crash), for the timeout's reason. */
  note: string | null;
}

export interface RobotState {
  x: number;
  y: number;
  /** Robots alternate: publish their own position, then read a neighbour's. */
  publishNext: boolean;
}

export interface AgentState {
  id: string;
  workload: Workload;
  timeout: number;
  retryEvery: number;
  pending: PendingOp | null;
  queue: { op: string; args: { [k: string]: JsonValue } }[];
  /** The tick of the workload timer that counts; stale ones are ignored when they fire. */
  nextWorkAt: number | null;
  /** Counts this agent's writes, so every value it writes is unique (the checker needs that). */
  seq: number;
  robot: RobotState | null;
  stats: { issued: number; ok: number; fail: number; info: number; lateReplies: number; retries: number };
  /** What it does while its failure detector suspects its server; absent: nothing (as before). */
  fallback?: Exclude<Fallback, 'none'>;
  /** Fallback `cache`: the last value it saw per key (read or written), and when. */
  cache?: Dict<CachedValue>;
}

export interface CachedValue {
  value: JsonValue;
  at: number;
}

/** What an agent may do to the world: given by the engine, so agents stay testable alone. */
export interface AgentEnv {
  now: number;
  send(to: string, payload: unknown): void;
  setTimer(delay: number, payload: unknown): void;
  /** Records the invocation in the history; returns the operation's id. */
  invoke(op: string, args: { [k: string]: JsonValue }, via?: Via): number;
  complete(opId: number, outcome: 'ok' | 'fail' | 'info', result: JsonValue | null, reason: string | null): void;
  route(op: string, args: { [k: string]: JsonValue }): string;
  /** Why `server` cannot be reached from this agent right now, or null. */
  unreachable(server: string): string | null;
  draw(from: number, to: number): number;
  /** Whether this agent's failure detector suspects `server` now (null: no, or no health checks). */
  suspects(server: string): { status: 'suspected' | 'down'; since: number } | null;
  /** Other servers that can serve this operation instead of `current` (the architecture's). */
  alternatives(op: string, args: { [k: string]: JsonValue }, current: string): string[];
}

const GRID = 20;

export function initAgent(spec: AgentSpec, draw: (from: number, to: number) => number): AgentState {
  const a: AgentState = {
    id: spec.id,
    workload: spec.workload,
    timeout: spec.timeout,
    retryEvery: spec.retryEvery,
    pending: null,
    queue: [],
    nextWorkAt: null,
    seq: 0,
    robot: spec.workload.kind === 'robot' ? { x: draw(0, GRID), y: draw(0, GRID), publishNext: true } : null,
    stats: { issued: 0, ok: 0, fail: 0, info: 0, lateReplies: 0, retries: 0 },
  };
  if (spec.fallback) setFallback(a, spec.fallback);
  return a;
}

/** Sets the agent's fallback; the fields stay absent for `none`, so its state is as before. */
export function setFallback(a: AgentState, f: Fallback): void {
  if (f === 'none') {
    delete a.fallback;
    delete a.cache;
    return;
  }
  a.fallback = f;
  if (f === 'cache') a.cache ??= {};
  else delete a.cache;
}

function ownValue(x: JsonValue | null, field: string): JsonValue | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? dictGet(x, field) : undefined;
}

function remember(cache: Dict<CachedValue>, key: string, value: JsonValue, at: number): void {
  if (!dictHas(cache, key)) {
    const keys = dictKeys(cache);
    if (keys.length >= CACHE_KEYS) {
      let oldest = keys[0]!;
      for (const k of keys) if (cache[k]!.at < cache[oldest]!.at) oldest = k;
      dictDelete(cache, oldest);
    }
  }
  dictSet(cache, key, { value, at });
}

/** Fallback `cache`: what an acknowledged operation says about the keys' latest values. */
function learn(
  cache: Dict<CachedValue>,
  op: string,
  args: { [k: string]: JsonValue },
  result: JsonValue | null,
  now: number,
): void {
  const key = args['key'];
  if (op === 'get' && typeof key === 'string') {
    const v = ownValue(result, 'value');
    if (v !== undefined) remember(cache, key, v, now);
  } else if (op === 'set' && typeof key === 'string' && args['value'] !== undefined)
    remember(cache, key, args['value'], now);
  else if (op === 'delete' && typeof key === 'string') remember(cache, key, null, now);
  else if (op === 'update') {
    const u = args['updates'];
    if (typeof u === 'object' && u !== null && !Array.isArray(u))
      for (const k of Object.keys(u)) remember(cache, k, u[k]!, now);
  }
}

/**
 * The agent's failure detector suspects `to`: its fallback decides. Returns the server to
 * send to (and the label for the history), `done` when the operation ended here, unsent, or
 * null when nothing is suspected.
 */
function fallBack(
  a: AgentState,
  env: AgentEnv,
  op: string,
  args: { [k: string]: JsonValue },
  to: string,
): { to: string; via: Via } | 'done' | null {
  const sus = env.suspects(to);
  if (!sus || !a.fallback) return null;
  const why = `${to} is ${sus.status === 'down' ? 'marked down' : 'suspected'} by ${a.id}'s failure detector (since tick ${sus.since})`;
  const fail = (via: Via, reason: string): 'done' => {
    const opId = env.invoke(op, args, via);
    a.stats.issued += 1;
    a.stats.fail += 1;
    env.complete(opId, 'fail', null, reason);
    return 'done';
  };
  if (a.fallback === 'retry-other') {
    const alt = env.alternatives(op, args, to).find((id) => env.suspects(id) === null);
    if (alt !== undefined) return { to: alt, via: { fallback: 'retry-other', suspected: to, to: alt } };
    return fail({ fallback: 'retry-other', suspected: to }, `not sent: ${why}, and no other server can serve ${op}`);
  }
  if (a.fallback === 'cache') {
    const key = args['key'];
    const hit = op === 'get' && typeof key === 'string' && a.cache ? dictGet(a.cache, key) : undefined;
    if (hit) {
      const staleFor = env.now - hit.at;
      const opId = env.invoke(op, args, { fallback: 'cache', suspected: to, staleFor });
      a.stats.issued += 1;
      a.stats.ok += 1;
      env.complete(opId, 'ok', { value: hit.value, cached: true, staleFor }, null);
      return 'done';
    }
    return fail(
      { fallback: 'cache', suspected: to },
      `not sent: ${why}, and ${op === 'get' ? 'the key is not in its cache' : 'only reads are served from its cache'}`,
    );
  }
  return fail({ fallback: 'fail-fast', suspected: to }, `failed fast, not sent: ${why}`);
}

function send(a: AgentState, env: AgentEnv, op: string, args: { [k: string]: JsonValue }): void {
  let to = env.route(op, args);
  let via: Via | undefined;
  if (a.fallback) {
    const fb = fallBack(a, env, op, args, to);
    if (fb === 'done') {
      // Answered or failed at once, unsent: on to the next operation (a later tick for the workload).
      kick(a, env);
      return;
    }
    if (fb) ({ to, via } = fb);
  }
  const opId = env.invoke(op, args, via);
  a.pending = { opId, op, args, to, sentAt: env.now, note: null };
  a.stats.issued += 1;
  env.send(to, { t: 'req', id: opId, op, args });
  env.setTimer(a.timeout, { t: 'timeout', op: opId });
  if (a.retryEvery > 0 && a.retryEvery < a.timeout) env.setTimer(a.retryEvery, { t: 'retry', op: opId });
}

/** Starts the next operation if idle: the user's queue first, then the workload's timer. */
export function kick(a: AgentState, env: AgentEnv): void {
  if (a.pending) return;
  const next = a.queue.shift();
  if (next) {
    send(a, env, next.op, next.args);
    return;
  }
  if (a.nextWorkAt !== null || a.workload.kind === 'idle') return;
  const mean = a.workload.interval;
  const delay = env.draw(1, Math.max(1, 2 * mean - 1));
  a.nextWorkAt = env.now + delay;
  env.setTimer(delay, { t: 'work', at: a.nextWorkAt });
}

export function enqueueUserOp(a: AgentState, env: AgentEnv, op: string, args: { [k: string]: JsonValue }): void {
  a.queue.push({ op, args });
  kick(a, env);
}

export function setWorkload(a: AgentState, env: AgentEnv, w: Workload): void {
  a.workload = w;
  a.nextWorkAt = null;
  if (w.kind === 'robot' && !a.robot) a.robot = { x: env.draw(0, GRID), y: env.draw(0, GRID), publishNext: true };
  kick(a, env);
}

function nextWorkloadOp(a: AgentState, env: AgentEnv): { op: string; args: { [k: string]: JsonValue } } | null {
  const w = a.workload;
  if (w.kind === 'idle') return null;
  if (w.kind === 'random') {
    const total = w.mix.get + w.mix.set + w.mix.delete + w.mix.update;
    const r = env.draw(0, total - 1);
    const pick = (): string => w.keys[env.draw(0, w.keys.length - 1)]!;
    if (r < w.mix.get) return { op: 'get', args: { key: pick() } };
    if (r < w.mix.get + w.mix.set) return { op: 'set', args: { key: pick(), value: `${a.id}:${++a.seq}` } };
    if (r < w.mix.get + w.mix.set + w.mix.delete) return { op: 'delete', args: { key: pick() } };
    // A key listed twice is drawn twice as often (a hot key), so count distinct keys here:
    // asking for more distinct keys than exist would never finish.
    const n = Math.min(new Set(w.keys).size, env.draw(2, 3));
    const updates: { [k: string]: JsonValue } = {};
    const value = `${a.id}:${++a.seq}`;
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(pick());
    for (const k of [...chosen].sort())
      Object.defineProperty(updates, k, { value, enumerable: true, writable: true, configurable: true });
    return { op: 'update', args: { updates } };
  }
  // The reference's robot: agent1.position / agent1.status, published together, atomically.
  const r = a.robot ?? { x: 0, y: 0, publishNext: true };
  a.robot = r;
  if (r.publishNext || w.neighbours.length === 0) {
    r.publishNext = false;
    const dx = env.draw(-1, 1);
    const dy = env.draw(-1, 1);
    r.x = Math.min(GRID, Math.max(0, r.x + dx));
    r.y = Math.min(GRID, Math.max(0, r.y + dy));
    a.seq += 1;
    const updates: { [k: string]: JsonValue } = {};
    Object.defineProperty(updates, `${a.id}.position`, {
      value: { x: r.x, y: r.y, seq: a.seq },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(updates, `${a.id}.status`, {
      value: dx === 0 && dy === 0 ? 'idle' : 'moving',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return { op: 'update', args: { updates } };
  }
  r.publishNext = true;
  const n = w.neighbours[env.draw(0, w.neighbours.length - 1)]!;
  return { op: 'get', args: { key: `${n}.position` } };
}

function finish(
  a: AgentState,
  env: AgentEnv,
  outcome: 'ok' | 'fail' | 'info',
  result: JsonValue | null,
  reason: string | null,
): void {
  const p = a.pending;
  if (!p) return;
  env.complete(p.opId, outcome, result, reason);
  if (outcome === 'ok' && a.cache) learn(a.cache, p.op, p.args, result, env.now);
  a.stats[outcome] += 1;
  a.pending = null;
  kick(a, env);
}

export function onAgentMessage(a: AgentState, env: AgentEnv, payload: unknown): void {
  if (!isRecord(payload) || payload['t'] !== 'res') return;
  const reply = payload as unknown as Reply;
  if (!a.pending || a.pending.opId !== reply.id) {
    // A reply to an operation that already timed out: it did happen, but too late to count.
    a.stats.lateReplies += 1;
    return;
  }
  if (reply.outcome === 'ok') finish(a, env, 'ok', reply.result, null);
  else finish(a, env, 'fail', null, reply.reason ?? 'rejected by the server');
}

export function onAgentTimer(a: AgentState, env: AgentEnv, payload: unknown): void {
  if (!isRecord(payload)) return;
  const p = a.pending;
  switch (payload['t']) {
    case 'work': {
      if (payload['at'] !== a.nextWorkAt) return;
      a.nextWorkAt = null;
      if (p) return; // busy with a user's operation; kick() reschedules after it
      const next = nextWorkloadOp(a, env);
      if (next) send(a, env, next.op, next.args);
      else kick(a, env);
      return;
    }
    case 'retry': {
      if (!p || p.opId !== payload['op']) return;
      a.stats.retries += 1;
      env.send(p.to, { t: 'req', id: p.opId, op: p.op, args: p.args });
      if (env.now + a.retryEvery < p.sentAt + a.timeout) env.setTimer(a.retryEvery, { t: 'retry', op: p.opId });
      return;
    }
    case 'timeout': {
      if (!p || p.opId !== payload['op']) return;
      const now = env.unreachable(p.to);
      const why = p.note ?? (now ? `${now}` : `the request or its reply was lost or delayed`);
      finish(a, env, 'info', null, `timed out after ${a.timeout} ticks: ${why}; it may or may not have been applied`);
      return;
    }
  }
}

/** A crash or removal ends the outstanding operation with an unknown outcome. */
export function abandon(a: AgentState, env: AgentEnv, why: string): void {
  const p = a.pending;
  if (p) {
    env.complete(p.opId, 'info', null, `${why}; it may or may not have been applied`);
    a.stats.info += 1;
  }
  a.pending = null;
  a.queue = [];
  a.nextWorkAt = null;
}
