import type { JsonObject, JsonValue } from '../core/json';
import { canonicalJson } from '../core/hash';
import { compareStrings, dictGet, dictSet } from '../core/dict';
import type { KvInput, KvOutput } from './kv-model';
import { UNKNOWN, type HistOp, type Unknown } from './model';
import type { RegInput, RegOutput, RegValue } from './register-model';
import type { History, OpRecord, Outcome } from './types';
import { rollbackWrites, snapshotState } from './writes';
export { rollbackWrites, snapshotState };

export type Format = 'statelab' | 'jepsen-etcd' | 'porcupine-kv';

/** How times are shown in explanations: StateLab ticks, or line numbers of a log file. */
export type TimeUnit = 'tick' | 'line';

interface ParsedBase {
  readonly timeUnit: TimeUnit;
  /** Things the reader skipped or could not model, in plain words. */
  readonly notes: string[];
  /**
   * Set when the history holds operations the per-key models cannot express (a `restore`
   * replaces every key with an opaque snapshot): a verdict of true or false would be a guess.
   */
  readonly unsupported?: string;
}

export interface ParsedRegisterHistory extends ParsedBase {
  readonly format: 'statelab' | 'jepsen-etcd';
  readonly model: 'register';
  readonly ops: HistOp<RegInput, RegOutput>[];
  /** The StateLab record itself, for the multi-key and session checks. */
  readonly source?: History;
}

export interface ParsedKvHistory extends ParsedBase {
  readonly format: 'porcupine-kv';
  readonly model: 'kv';
  readonly ops: HistOp<KvInput, KvOutput>[];
}

export type ParsedHistory = ParsedRegisterHistory | ParsedKvHistory;

const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+\d+\s+:(invoke|ok|fail|info)\b/;
const KV_LINE = /^\{:process \d+, :type :/;

/** Which reader fits this text; throws if none does. */
export function detectFormat(text: string): Format {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') && !KV_LINE.test(body)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error('the file starts like JSON but is not valid JSON');
    }
    if (isObject(parsed) && (Array.isArray(parsed['ops']) || isRunReport(parsed))) return 'statelab';
    throw new Error('a JSON file must be a StateLab history (an object with an "ops" array) or a report of `sim run`');
  }
  for (const line of body.split('\n')) {
    const l = line.trim();
    if (l === '') continue;
    if (ETCD_LINE.test(l)) return 'jepsen-etcd';
    if (KV_LINE.test(l)) return 'porcupine-kv';
  }
  throw new Error('unrecognised history: expected a StateLab JSON history, a Jepsen etcd log or a Porcupine kv log');
}

export function parseHistory(text: string): ParsedHistory {
  switch (detectFormat(text)) {
    case 'statelab':
      return readStateLab(parseStateLabJson(text));
    case 'jepsen-etcd':
      return parseJepsenEtcd(text);
    case 'porcupine-kv':
      return parsePorcupineKv(text);
  }
}

// ---------------------------------------------------------------------------------------
// StateLab

/** A report printed by `sim run`: its agents' operations, each list without the agent. */
function isRunReport(v: JsonObject): boolean {
  return (
    Array.isArray(v['agents']) &&
    v['agents'].every((a) => isObject(a) && typeof a['id'] === 'string' && Array.isArray(a['ops']))
  );
}

/** The run report's operations as one history, in id (invocation) order. */
function runReportOps(v: JsonObject): unknown[] {
  const ops: JsonObject[] = [];
  for (const a of v['agents'] as JsonObject[])
    for (const r of a['ops'] as unknown[]) if (isObject(r)) ops.push({ ...r, agent: a['id']! });
  return ops.sort((x, y) => (x['id'] as number) - (y['id'] as number));
}

/** Checks the shape of a StateLab history (or a `sim run` report) without trusting the file. */
export function parseStateLabJson(text: string): History {
  const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const raw =
    isObject(parsed) && !Array.isArray(parsed['ops']) && isRunReport(parsed) ? { ops: runReportOps(parsed) } : parsed;
  if (!isObject(raw) || !Array.isArray(raw['ops'])) throw new Error('not a StateLab history: no "ops" array');
  const ops: OpRecord[] = [];
  raw['ops'].forEach((r: unknown, i: number) => {
    if (!isObject(r)) throw new Error(`ops[${i}] is not an object`);
    const id = r['id'];
    const agent = r['agent'];
    const op = r['op'];
    const invokedAt = r['invokedAt'];
    const completedAt = r['completedAt'];
    const outcome = r['outcome'];
    if (
      typeof id !== 'number' ||
      typeof agent !== 'string' ||
      typeof op !== 'string' ||
      typeof invokedAt !== 'number'
    ) {
      throw new Error(`ops[${i}] needs a numeric id, string agent and op, numeric invokedAt`);
    }
    if (completedAt !== null && completedAt !== undefined && typeof completedAt !== 'number') {
      throw new Error(`ops[${i}].completedAt must be a number or null`);
    }
    // JSON reads 1e999 as Infinity: such a record cannot be ordered, so the file is refused
    // (the checker would otherwise leave it out of the search without a word).
    for (const [field, v] of [
      ['id', id],
      ['invokedAt', invokedAt],
      ['completedAt', completedAt ?? 0],
    ] as const)
      if (!Number.isFinite(v))
        throw new Error(`ops[${i}].${field} is ${String(v)}: ids and times must be finite numbers`);
    if (outcome !== null && outcome !== undefined && outcome !== 'ok' && outcome !== 'fail' && outcome !== 'info') {
      throw new Error(`ops[${i}].outcome must be ok, fail, info or null`);
    }
    const reason = r['reason'];
    ops.push({
      id,
      agent,
      op,
      args: toJson(r['args']),
      invokedAt,
      completedAt: completedAt ?? null,
      outcome: (outcome ?? null) as Outcome | null,
      result: toJson(r['result']),
      reason: typeof reason === 'string' ? reason : null,
    });
  });
  return { ops };
}

/**
 * A run's history as a file `sim check` reads (`parseStateLabJson`): the records as the engine
 * keeps them, under `ops`, with where they came from beside them (ignored by the reader).
 * Pending operations are written as they are (outcome null), which the checker reads as
 * unknown, as it reads `info`.
 */
export function stringifyStateLabHistory(history: History, about: { scenario?: string; tick?: number } = {}): string {
  const head: JsonObject = { format: 'statelab-history' };
  if (about.scenario !== undefined) head['scenario'] = about.scenario;
  if (about.tick !== undefined) head['tick'] = about.tick;
  return JSON.stringify({ ...head, ops: history.ops }, null, 1) + '\n';
}

/**
 * StateLab's records as per-key register operations.
 *
 * - `fail` operations definitely did not happen and are left out.
 * - `info` and pending operations never return (ret = +Infinity) with an unknown output.
 *   Reads with an unknown outcome constrain nothing and are left out.
 * - `set` with value null is a write of "no value", like delete, because `get` answers null
 *   for an absent key and the two cannot be told apart.
 * - `update` becomes one write per key, all sharing the op's id and interval. That checks
 *   each key on its own; it is necessary, not sufficient, for the update to be atomic across
 *   keys, which `fracturedReads` (anomalies.ts) checks.
 * - `get_all` reads every key the history mentions; a key missing from its result was read
 *   as absent.
 * - `cas` args `{key, expected|from, value|to}`, result `{swapped|ok|success: boolean}`.
 * - `restore` writes every key: its snapshot's value, or no value for keys the snapshot
 *   lacks. A snapshot that cannot be read makes the verdict 'unknown'.
 * - `rollback` is a write of the values it restored (`rollbackWrites`): the server's
 *   `restored` when it answered, else the `values` the client sent (partitioned, gossip). A
 *   rollback to a version whose outcome is unknown wrote values no record shows: 'unknown'.
 * - get_version, get_versioned and snapshot change nothing and say nothing about the current
 *   value of a key, so they are skipped.
 */
export function readStateLab(history: History): ParsedRegisterHistory {
  const notes: string[] = [];
  const keys = new Set<string>();
  for (const r of history.ops) for (const k of keysOf(r)) keys.add(k);
  const allKeys = [...keys].sort(compareStrings);

  const ops: HistOp<RegInput, RegOutput>[] = [];
  const skipped = new Map<string, number>();
  let unsupported: string | undefined;
  for (const r of history.ops) {
    if (r.outcome === 'fail') continue;
    const known = r.outcome === 'ok' && r.completedAt !== null;
    const ret = known && r.completedAt !== null ? r.completedAt : Infinity;
    // One object shape for every op: the search reads these fields in its inner loop.
    const mk = (key: string, input: RegInput, output: RegOutput | Unknown): HistOp<RegInput, RegOutput> => ({
      id: r.id,
      agent: r.agent,
      key,
      call: r.invokedAt,
      ret,
      input,
      output,
    });
    const args = isObject(r.args) ? r.args : {};
    const result = known && isObject(r.result) ? r.result : null;
    switch (r.op) {
      case 'get': {
        const key = args['key'];
        if (typeof key !== 'string') break;
        if (!known) break;
        const value = result === null ? undefined : dictGet(result, 'value');
        // A multi-value register's read of concurrent siblings (gossip, mv-register).
        const siblings = result === null ? undefined : dictGet(result, 'siblings');
        const output: RegOutput | Unknown =
          value === undefined
            ? UNKNOWN
            : Array.isArray(siblings) && siblings.length > 1
              ? { f: 'read', value: regValue(value), siblings: siblings.map((s) => regValue(s)) }
              : { f: 'read', value: regValue(value) };
        ops.push(mk(key, { f: 'read' }, output));
        break;
      }
      case 'set': {
        const key = args['key'];
        if (typeof key !== 'string') break;
        ops.push(
          mk(key, { f: 'write', value: regValue(dictGet(args, 'value') ?? null) }, known ? { f: 'write' } : UNKNOWN),
        );
        break;
      }
      case 'update': {
        const updates = args['updates'];
        if (!isObject(updates)) break;
        for (const key of Object.keys(updates).sort(compareStrings)) {
          ops.push(
            mk(key, { f: 'write', value: regValue(dictGet(updates, key) ?? null) }, known ? { f: 'write' } : UNKNOWN),
          );
        }
        break;
      }
      case 'delete': {
        const key = args['key'];
        if (typeof key !== 'string') break;
        const existed = result === null ? undefined : dictGet(result, 'existed');
        const output: RegOutput | Unknown = !known
          ? UNKNOWN
          : typeof existed === 'boolean'
            ? { f: 'delete', existed }
            : { f: 'delete' };
        ops.push(mk(key, { f: 'delete' }, output));
        break;
      }
      case 'append': {
        // Event sourcing's typed append: a write or a delete of one key.
        const e = appendEffect(r.args);
        if (e === 'counter') {
          unsupported ??= `op ${r.id} (${r.agent}) appends counter_incremented, whose value depends on the state before it`;
          break;
        }
        if (e === null) break;
        if (e.write === null) ops.push(mk(e.key, { f: 'delete' }, known ? { f: 'delete' } : UNKNOWN));
        else ops.push(mk(e.key, { f: 'write', value: regValue(e.write) }, known ? { f: 'write' } : UNKNOWN));
        break;
      }
      case 'cas': {
        const key = args['key'];
        if (typeof key !== 'string') break;
        const from = dictGet(args, 'expected') ?? dictGet(args, 'from') ?? null;
        const to = dictGet(args, 'value') ?? dictGet(args, 'to') ?? null;
        const swapped =
          result === null
            ? undefined
            : (dictGet(result, 'swapped') ?? dictGet(result, 'ok') ?? dictGet(result, 'success'));
        ops.push(
          mk(
            key,
            { f: 'cas', from: regValue(from), to: regValue(to) },
            known && typeof swapped === 'boolean' ? { f: 'cas', swapped } : UNKNOWN,
          ),
        );
        break;
      }
      case 'get_all': {
        if (!known) break;
        const st = result === null ? undefined : dictGet(result, 'state');
        if (!isObject(st)) break;
        for (const key of allKeys) {
          ops.push(mk(key, { f: 'read' }, { f: 'read', value: regValue(dictGet(st, key) ?? null) }));
        }
        break;
      }
      case 'restore': {
        const snap = snapshotState(args['snapshot'] ?? null);
        if (snap === null) {
          unsupported ??= `op ${r.id} (${r.agent}) restores a snapshot that cannot be read, so the keys' values after it are unknown`;
          break;
        }
        // A restore writes every key: the snapshot's value, or no value for keys it lacks.
        for (const key of allKeys) {
          ops.push(
            mk(key, { f: 'write', value: regValue(dictGet(snap, key) ?? null) }, known ? { f: 'write' } : UNKNOWN),
          );
        }
        break;
      }
      case 'rollback': {
        const w = rollbackWrites(r);
        if (w === null) {
          unsupported ??= `op ${r.id} (${r.agent}) rolls back to a version with an unknown outcome, so the values it wrote are unknown`;
          break;
        }
        for (const key of Object.keys(w).sort(compareStrings)) {
          ops.push(mk(key, { f: 'write', value: regValue(dictGet(w, key) ?? null) }, known ? { f: 'write' } : UNKNOWN));
        }
        break;
      }
      default:
        skipped.set(r.op, (skipped.get(r.op) ?? 0) + 1);
    }
  }
  for (const [op, count] of [...skipped].sort((a, b) => compareStrings(a[0], b[0]))) {
    notes.push(
      `${count} ${op} operation${count === 1 ? '' : 's'} skipped: ${op} does not read or write a key's current value`,
    );
  }
  return {
    format: 'statelab',
    model: 'register',
    ops,
    timeUnit: 'tick',
    notes,
    source: history,
    ...(unsupported === undefined ? {} : { unsupported }),
  };
}

/** Every key an operation names, including those a get_all result shows. */
export function keysOf(r: OpRecord): string[] {
  const out: string[] = [];
  const args = isObject(r.args) ? r.args : {};
  const key = args['key'];
  if (typeof key === 'string') out.push(key);
  const updates = args['updates'];
  if (isObject(updates)) out.push(...Object.keys(updates));
  if (r.op === 'get_all' && isObject(r.result)) {
    const st = r.result['state'];
    if (isObject(st)) out.push(...Object.keys(st));
  }
  if (r.op === 'restore') {
    const snap = snapshotState(args['snapshot'] ?? null);
    if (snap !== null) out.push(...Object.keys(snap));
  }
  if (r.op === 'append') {
    const e = appendEffect(r.args);
    if (e !== null && e !== 'counter') out.push(e.key);
  }
  if (r.op === 'rollback') {
    const w = rollbackWrites(r);
    if (w !== null) out.push(...Object.keys(w).filter((k) => k !== key));
  }
  return out;
}

/**
 * What an event-sourcing `append {type, data, schema?}` does to one key, as a register sees
 * it (the event types of src/sim/architectures/event-sourcing/events.ts, v1 schemas read as
 * their upcaster does): a write of a value, a delete, or 'counter' for an increment, whose
 * value depends on the state before it (a register model cannot check it). Null: not an
 * append this reader knows.
 */
export function appendEffect(args: JsonValue): { key: string; write: JsonValue | null } | 'counter' | null {
  if (!isObject(args)) return null;
  const data = args['data'];
  if (!isObject(data)) return null;
  const key = typeof data['key'] === 'string' ? data['key'] : null;
  const legacy = args['schema'] === 1;
  switch (args['type']) {
    case 'key_set':
      return key === null ? null : { key, write: dictGet(data, 'value') ?? null };
    case 'key_deleted':
      return key === null ? null : { key, write: null };
    case 'update_position': {
      const k = legacy ? 'position' : key;
      return k === null ? null : { key: k, write: { x: dictGet(data, 'x') ?? 0, y: dictGet(data, 'y') ?? 0 } };
    }
    case 'change_status': {
      const k = legacy ? 'status' : key;
      return k === null ? null : { key: k, write: dictGet(data, 'status') ?? '' };
    }
    case 'counter_incremented':
      return 'counter';
    default:
      return null;
  }
}

export function regValue(v: JsonValue): RegValue {
  return v === null ? null : canonicalJson(v);
}

// ---------------------------------------------------------------------------------------
// Jepsen etcd logs (see the corpus README)

const ETCD = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

export function parseJepsenEtcd(text: string): ParsedRegisterHistory {
  interface Open {
    id: number;
    call: number;
    input: RegInput;
  }
  const open = new Map<string, Open>();
  const ops: HistOp<RegInput, RegOutput>[] = [];
  const notes: string[] = [];
  let nextId = 0;
  const lines = text.split('\n');
  const finish = (p: string, o: Open, ret: number, output: RegOutput | Unknown): void => {
    ops.push({ id: o.id, agent: `process ${p}`, key: 'register', call: o.call, ret, input: o.input, output });
    open.delete(p);
  };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const m = ETCD.exec(raw);
    if (m === null) return;
    const [, p = '', type, f, value = ''] = m;
    if (type === 'invoke') {
      if (open.has(p)) throw new Error(`line ${line}: process ${p} invokes while its previous operation is open`);
      let input: RegInput;
      if (f === 'read') input = { f: 'read' };
      else if (f === 'write') input = { f: 'write', value: etcdInt(value, line) };
      else {
        const [from, to] = etcdPair(value, line);
        input = { f: 'cas', from, to };
      }
      open.set(p, { id: nextId++, call: line, input });
      return;
    }
    const o = open.get(p);
    if (type === 'info') return; // no completion: the operation stays open to the end
    if (o === undefined) {
      notes.push(`line ${line}: completion for process ${p} with no open operation, ignored`);
      return;
    }
    if (o.input.f !== f) throw new Error(`line ${line}: process ${p} completes :${f} but invoked :${o.input.f}`);
    if (type === 'ok') {
      if (f === 'read') finish(p, o, line, { f: 'read', value: value === 'nil' ? null : etcdInt(value, line) });
      else if (f === 'write') finish(p, o, line, { f: 'write' });
      else finish(p, o, line, { f: 'cas', swapped: true });
    } else if (f === 'cas' && value.startsWith('[')) {
      // A failed cas completed: the value was not FROM, nothing changed.
      finish(p, o, line, { f: 'cas', swapped: false });
    } else if (f === 'read') {
      // `:fail :read :timed-out`: completed with an unknown result, as Porcupine reads it.
      finish(p, o, line, UNKNOWN);
    } else {
      // Any other :fail definitely did not happen.
      open.delete(p);
    }
  });
  for (const [p, o] of [...open].sort((a, b) => a[1].id - b[1].id)) finish(p, o, Infinity, UNKNOWN);
  ops.sort((a, b) => a.id - b.id);
  return { format: 'jepsen-etcd', model: 'register', ops, timeUnit: 'line', notes };
}

function etcdInt(s: string, line: number): string {
  if (!/^-?\d+$/.test(s)) throw new Error(`line ${line}: expected an integer, got ${s}`);
  return String(Number(s));
}

function etcdPair(s: string, line: number): [string, string] {
  const m = /^\[(-?\d+)\s+(-?\d+)\]$/.exec(s);
  if (m === null) throw new Error(`line ${line}: expected [FROM TO], got ${s}`);
  return [String(Number(m[1])), String(Number(m[2]))];
}

// ---------------------------------------------------------------------------------------
// Porcupine kv logs

const KV =
  /^\{:process (\d+), :type :(invoke|ok|fail|info), :f :(get|put|append), :key "(.*)", :value (nil|"(.*)")\}\s*$/;

export function parsePorcupineKv(text: string): ParsedKvHistory {
  interface Open {
    id: number;
    call: number;
    key: string;
    input: KvInput;
  }
  const open = new Map<string, Open>();
  const ops: HistOp<KvInput, KvOutput>[] = [];
  const notes: string[] = [];
  let nextId = 0;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const m = KV.exec(raw);
    if (m === null) {
      if (raw.trim() !== '') notes.push(`line ${line}: not an operation, ignored`);
      return;
    }
    const [, p = '', type, f, key = '', nil, value = ''] = m;
    if (type === 'invoke') {
      if (open.has(p)) throw new Error(`line ${line}: process ${p} invokes while its previous operation is open`);
      const input: KvInput = f === 'get' ? { f: 'get' } : f === 'put' ? { f: 'put', value } : { f: 'append', value };
      open.set(p, { id: nextId++, call: line, key, input });
      return;
    }
    if (type === 'info') return;
    const o = open.get(p);
    if (o === undefined) {
      notes.push(`line ${line}: completion for process ${p} with no open operation, ignored`);
      return;
    }
    open.delete(p);
    if (type === 'fail') return;
    const output: KvOutput =
      o.input.f === 'get'
        ? { f: 'get', value: nil === 'nil' ? '' : value }
        : o.input.f === 'put'
          ? { f: 'put' }
          : { f: 'append' };
    ops.push({ id: o.id, agent: `process ${p}`, key: o.key, call: o.call, ret: line, input: o.input, output });
  });
  for (const [p, o] of open) {
    ops.push({
      id: o.id,
      agent: `process ${p}`,
      key: o.key,
      call: o.call,
      ret: Infinity,
      input: o.input,
      output: UNKNOWN,
    });
  }
  ops.sort((a, b) => a.id - b.id);
  return { format: 'porcupine-kv', model: 'kv', ops, timeUnit: 'line', notes };
}

// ---------------------------------------------------------------------------------------

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toJson(v: unknown): JsonValue {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) dictSet(out, k, toJson(x));
    return out;
  }
  throw new Error('not JSON');
}
