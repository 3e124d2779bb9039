/**
 * Builders and tiny simulated stores for the tests of this folder (not used by the checker).
 */
import type { JsonValue } from '../core/json';
import type { KvInput, KvOutput } from './kv-model';
import { UNKNOWN, type HistOp, type Unknown } from './model';
import type { RegInput, RegOutput, RegValue } from './register-model';
import type { History, OpRecord } from './types';

export type RegOp = HistOp<RegInput, RegOutput>;
export type KvOp = HistOp<KvInput, KvOutput>;

const INF = Infinity;
export { INF };

/** Register ops on key "x" (values are canonical JSON strings, e.g. "1"). */
export function write(id: number, agent: string, call: number, ret: number, value: RegValue, key = 'x'): RegOp {
  return { id, agent, key, call, ret, input: { f: 'write', value }, output: ret === INF ? UNKNOWN : { f: 'write' } };
}
export function read(
  id: number,
  agent: string,
  call: number,
  ret: number,
  value: RegValue | Unknown,
  key = 'x',
): RegOp {
  return {
    id,
    agent,
    key,
    call,
    ret,
    input: { f: 'read' },
    output: value === UNKNOWN ? UNKNOWN : { f: 'read', value },
  };
}
export function cas(
  id: number,
  agent: string,
  call: number,
  ret: number,
  from: RegValue,
  to: RegValue,
  swapped: boolean | Unknown,
  key = 'x',
): RegOp {
  return {
    id,
    agent,
    key,
    call,
    ret,
    input: { f: 'cas', from, to },
    output: swapped === UNKNOWN ? UNKNOWN : { f: 'cas', swapped },
  };
}
export function del(id: number, agent: string, call: number, ret: number, existed?: boolean, key = 'x'): RegOp {
  const output: RegOutput | Unknown =
    ret === INF ? UNKNOWN : existed === undefined ? { f: 'delete' } : { f: 'delete', existed };
  return { id, agent, key, call, ret, input: { f: 'delete' }, output };
}
export function append(id: number, agent: string, call: number, ret: number, value: string, key = 'k'): KvOp {
  return { id, agent, key, call, ret, input: { f: 'append', value }, output: ret === INF ? UNKNOWN : { f: 'append' } };
}
export function put(id: number, agent: string, call: number, ret: number, value: string, key = 'k'): KvOp {
  return { id, agent, key, call, ret, input: { f: 'put', value }, output: ret === INF ? UNKNOWN : { f: 'put' } };
}
export function get(id: number, agent: string, call: number, ret: number, value: string | Unknown, key = 'k'): KvOp {
  return { id, agent, key, call, ret, input: { f: 'get' }, output: value === UNKNOWN ? UNKNOWN : { f: 'get', value } };
}

/** A StateLab op record. */
export function rec(
  id: number,
  agent: string,
  op: string,
  args: { [k: string]: JsonValue },
  invokedAt: number,
  completedAt: number | null,
  result: JsonValue | null,
  outcome: 'ok' | 'fail' | 'info' | null = completedAt === null ? null : 'ok',
): OpRecord {
  return {
    id,
    agent,
    op,
    args,
    invokedAt,
    completedAt,
    outcome,
    result: outcome === 'ok' ? result : null,
    reason: outcome === 'ok' ? null : 'test',
  };
}

/** xorshift32: deterministic randomness for the simulated stores. */
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return (n: number): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

export type StoreBug = 'none' | 'stale-read' | 'lost-write' | 'duplicate';

/**
 * A tiny key-value store behind a network with delays, driven by clients that each keep one
 * operation outstanding (get / set with unique values), recorded as a StateLab history with
 * versions. The bugs:
 * - 'stale-read': acknowledges a write on arrival but applies it `lag` ticks later; reads
 *   are served from what is applied.
 * - 'lost-write': acknowledges every 4th write without applying it.
 * - 'duplicate': the network delivers some write requests a second time, later, and the
 *   store applies them again (a write re-applied after being overwritten).
 */
export function simulateStore(opts: {
  seed: number;
  bug: StoreBug;
  clients?: number;
  opsPerClient?: number;
  keys?: number;
}): History {
  const rand = rng(opts.seed);
  const clients = opts.clients ?? 3;
  const perClient = opts.opsPerClient ?? 6;
  const keys = Array.from({ length: opts.keys ?? 2 }, (_, i) => `k${i}`);
  interface Msg {
    at: number;
    seq: number;
    kind: 'request' | 'reply' | 'apply';
    client: number;
    opId: number;
    duplicate?: boolean;
  }
  const records: OpRecord[] = [];
  const queue: Msg[] = [];
  let seq = 0;
  const push = (m: Omit<Msg, 'seq'>): void => {
    queue.push({ ...m, seq: seq++ });
  };
  const state = new Map<string, JsonValue>();
  let version = 0;
  let writes = 0;
  let nextValue = 1;
  let nextId = 0;
  const issued = new Array<number>(clients).fill(0);
  const pendingReply = new Map<number, JsonValue>();
  const invoke = (client: number, now: number): void => {
    if ((issued[client] ?? 0) >= perClient) return;
    issued[client] = (issued[client] ?? 0) + 1;
    const key = keys[rand(keys.length)] ?? 'k0';
    const isWrite = rand(2) === 0;
    const id = nextId++;
    records.push(
      rec(
        id,
        `agent${client + 1}`,
        isWrite ? 'set' : 'get',
        isWrite ? { key, value: nextValue++ } : { key },
        now,
        null,
        null,
        null,
      ),
    );
    push({ at: now + 1 + rand(3), kind: 'request', client, opId: id });
  };
  for (let c = 0; c < clients; c++) invoke(c, rand(3));
  const applyWrite = (r: OpRecord): void => {
    const args = r.args as { key: string; value: JsonValue };
    state.set(args.key, args.value);
    version++;
  };
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const m = queue.shift();
    if (m === undefined) break;
    const r = records[m.opId];
    if (r === undefined) continue;
    const args = r.args as { key: string; value?: JsonValue };
    if (m.kind === 'apply') {
      applyWrite(r);
      continue;
    }
    if (m.kind === 'request') {
      if (r.op === 'get') {
        const value = state.get(args.key) ?? null;
        if (!m.duplicate) pendingReply.set(r.id, { value, version });
      } else {
        writes++;
        if (m.duplicate) {
          applyWrite(r);
          continue;
        }
        if (opts.bug === 'stale-read') push({ at: m.at + 4 + rand(4), kind: 'apply', client: m.client, opId: r.id });
        else if (!(opts.bug === 'lost-write' && writes % 4 === 0)) applyWrite(r);
        if (opts.bug === 'duplicate' && rand(3) === 0)
          push({ at: m.at + 5 + rand(6), kind: 'request', client: m.client, opId: r.id, duplicate: true });
        pendingReply.set(r.id, { version: opts.bug === 'none' ? version : version + 1 });
      }
      if (!m.duplicate) push({ at: m.at + 1 + rand(3), kind: 'reply', client: m.client, opId: r.id });
      continue;
    }
    // reply
    r.completedAt = m.at;
    r.outcome = 'ok';
    r.result = pendingReply.get(r.id) ?? null;
    invoke(m.client, m.at + rand(2));
  }
  return { ops: records };
}
