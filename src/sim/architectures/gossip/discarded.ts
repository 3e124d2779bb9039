import type { JsonValue } from '../../core/json';
import { canonicalJson } from '../../core/hash';
import type { OpRecord } from '../../history/types';
import type { GossipState } from './gossip';

export { DISCARDED_DEFINITION, LOST_UPDATE_DEFINITION } from '../../history/measures';

/**
 * Discarded writes: acknowledged writes that a merge dropped in favour of a concurrent write
 * (last-writer-wins keeps one of two writes neither of which knew the other), not those a
 * causally later write replaced, which is what a write is for. Counted once per write
 * however many replicas dropped it; the lab's gossip pane and the comparison's scoreboard
 * both read this, so they say the same number in the same words.
 *
 * A different measure from a lost update (src/sim/history/anomalies.ts): there a
 * read-modify-write's effect is overwritten by a concurrent one that read the same value.
 */

export interface DiscardedWrite {
  opId: number;
  agent: string;
  key: string;
  value: JsonValue | null;
  /** The first tick a replica dropped it. */
  tick: number;
}

export interface DiscardedWrites {
  count: number;
  /** Some replica noted more drops than it keeps: the count is a lower bound. */
  atLeast: boolean;
  writes: DiscardedWrite[];
}

function isDot(x: unknown): x is [string, number] {
  return Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'number';
}

/** Each acknowledged write's dots (one per key it wrote), as "origin:n" → the record. */
function acknowledgedDots(history: readonly OpRecord[]): Map<string, OpRecord> {
  const out = new Map<string, OpRecord>();
  for (const r of history) {
    if (r.outcome !== 'ok' || typeof r.result !== 'object' || r.result === null || Array.isArray(r.result)) continue;
    const res = r.result as { [k: string]: JsonValue };
    const dots = Object.hasOwn(res, 'dots') && Array.isArray(res['dots']) ? res['dots'] : [res['dot']];
    for (const d of dots) if (isDot(d)) out.set(`${d[0]}:${d[1]}`, r);
  }
  return out;
}

/**
 * Each acknowledged write by key and value written. The reference mode's drop notes name no
 * dot (it has none to name), only the value lost; the workloads write unique values.
 */
function acknowledgedValues(history: readonly OpRecord[]): Map<string, OpRecord> {
  const out = new Map<string, OpRecord>();
  for (const r of history) {
    if (r.outcome !== 'ok' || typeof r.args !== 'object' || r.args === null || Array.isArray(r.args)) continue;
    const a = r.args as { [k: string]: JsonValue };
    const writes: [JsonValue | undefined, JsonValue | undefined][] =
      r.op === 'set'
        ? [[a['key'], a['value']]]
        : r.op === 'delete'
          ? [[a['key'], null]]
          : r.op === 'update' && typeof a['updates'] === 'object' && a['updates'] !== null
            ? Object.entries(a['updates'] as { [k: string]: JsonValue })
            : [];
    for (const [k, v] of writes) if (typeof k === 'string' && v !== undefined) out.set(valueId(k, v), r);
  }
  return out;
}

const valueId = (key: string, v: JsonValue | null): string => `${key}\u0000${canonicalJson(v)}`;

export function discardedWrites(replicas: readonly GossipState[], history: readonly OpRecord[]): DiscardedWrites {
  const acked = acknowledgedDots(history);
  const seen = new Map<string, DiscardedWrite>();
  let atLeast = false;
  const note = (id: string, r: OpRecord, key: string, value: JsonValue | null, tick: number): void => {
    const was = seen.get(id);
    if (!was || tick < was.tick) seen.set(id, { opId: r.id, agent: r.agent, key, value, tick });
  };
  const byValue = replicas.some((st) => st.flaws.length > 0) ? acknowledgedValues(history) : null;
  for (const st of replicas) {
    if (st.droppedCount > st.dropped.length || st.flawCount > st.flaws.length) atLeast = true;
    for (const f of st.flaws) {
      if (f.kind !== 'dropped' || !byValue) continue;
      const id = valueId(f.key, f.values[1]);
      const r = byValue.get(id);
      if (r) note(id, r, f.key, f.values[1], f.tick);
    }
    for (const d of st.dropped) {
      const id = `${d.lostDot[0]}:${d.lostDot[1]}`;
      const r = acked.get(id);
      if (r) note(id, r, d.key, d.lost, d.tick);
    }
  }
  const writes = [...seen.values()].sort((a, b) => a.tick - b.tick || a.opId - b.opId);
  return { count: writes.length, atLeast, writes };
}
