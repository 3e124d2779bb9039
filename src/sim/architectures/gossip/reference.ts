import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { compareStrings, dictGet, dictSet } from '../../core/dict';
import type { VV } from './crdt';
import { vvCompare, vvGet } from './crdt';

/**
 * The reference's GossipNode, exactly: a map and one counter per key (the reference calls the
 * counters a version vector; they are not one), and `_sync_with_peer`: per key, the higher
 * counter wins, in both directions; equal counters change nothing.
 *
 * Beside what the reference keeps, each entry carries a shadow `who`: the per-key version
 * vector of the writes behind the value. It never decides anything; it only lets the class
 * watch its own flaws and name them when they happen:
 * - `tie`: equal counters, different writes: the two replicas keep their own values forever
 *   (get_converged_state never returns a state again);
 * - `dropped`: a higher counter replaced a value written concurrently: that write is lost
 *   without a trace (the counter counts writes seen on one replica, not causality).
 */

export interface RefEntry {
  /** The value; null for a delete (the reference has no delete: here it writes None). */
  v: JsonValue | null;
  /** The reference's per-key counter. */
  n: number;
  /** Shadow, for naming flaws only: origin → writes of this key behind this value. */
  who: VV;
}

export type RefStore = Dict<RefEntry>;

export interface RefFlaw {
  kind: 'tie' | 'dropped';
  key: string;
  tick: number;
  /** The replica that saw it. */
  at: string;
  /** tie: the two values that will never reconcile; dropped: [kept, lost]. */
  values: [JsonValue | null, JsonValue | null];
  counters: [number, number];
}

/** `write(key, value)`: the value, and the key's counter plus one. */
export function refWrite(s: RefStore, origin: string, key: string, v: JsonValue | null): RefStore {
  const old = dictGet(s, key);
  const who = { ...(old?.who ?? {}) };
  dictSet(who, origin, vvGet(who, origin) + 1);
  const out: RefStore = { ...s };
  dictSet(out, key, { v, n: (old?.n ?? 0) + 1, who });
  return out;
}

/**
 * One direction of `_sync_with_peer`: `mine` takes every key whose counter in `theirs` is
 * higher. Returns the new store and the flaws this exposed (a lost write, a tie).
 */
export function refAccept(
  mine: RefStore,
  theirs: RefStore,
  at: string,
  tick: number,
): { store: RefStore; flaws: RefFlaw[] } {
  // Copied on the first change only: a store that takes nothing is returned as it is (stores
  // are frozen values; the same data, the same key order).
  let out: RefStore | null = null;
  const flaws: RefFlaw[] = [];
  // Replacing a key mine already has is the same in any order; keys new to mine and flaws are
  // what key order decides (insertion order, the flaws' order), so only those are sorted.
  let ordered: string[] | null = null;
  for (const k of Object.keys(theirs)) {
    const t = theirs[k]!;
    const m = dictGet(mine, k);
    if (m === t) continue;
    if (!m) {
      (ordered ??= []).push(k);
      continue;
    }
    const order = vvCompare(m.who, t.who);
    if (t.n !== m.n ? order === 'concurrent' : order !== 'equal') (ordered ??= []).push(k);
    else if (t.n > m.n) dictSet((out ??= { ...mine }), k, t);
  }
  if (ordered === null) return { store: out ?? mine, flaws };
  out ??= { ...mine };
  for (const k of sortKeys(ordered)) {
    const t = theirs[k]!;
    const m = dictGet(mine, k);
    if (!m) {
      dictSet(out, k, t);
      continue;
    }
    const order = vvCompare(m.who, t.who);
    if (t.n > m.n) {
      if (order === 'concurrent')
        flaws.push({ kind: 'dropped', key: k, tick, at, values: [t.v, m.v], counters: [t.n, m.n] });
      dictSet(out, k, t);
    } else if (t.n < m.n) {
      if (order === 'concurrent')
        flaws.push({ kind: 'dropped', key: k, tick, at, values: [m.v, t.v], counters: [m.n, t.n] });
    } else if (order !== 'equal') {
      flaws.push({ kind: 'tie', key: k, tick, at, values: [m.v, t.v], counters: [m.n, t.n] });
    }
  }
  return { store: out, flaws };
}

/**
 * The default sort's order for strings (code units). A merge sorts a handful of keys, where
 * an insertion sort beats the builtin's set-up; distinct keys have one sorted order either way.
 */
function sortKeys(ks: string[]): string[] {
  if (ks.length > 16) return ks.sort(compareStrings);
  for (let i = 1; i < ks.length; i++) {
    const k = ks[i]!;
    let j = i - 1;
    while (j >= 0 && ks[j]! > k) {
      ks[j + 1] = ks[j]!;
      j--;
    }
    ks[j + 1] = k;
  }
  return ks;
}

/** The reference's `_sync_with_peer(peer)` in place on both: both directions at once. */
export function refSync(a: RefStore, b: RefStore, tick = 0): { a: RefStore; b: RefStore; flaws: RefFlaw[] } {
  const x = refAccept(a, b, 'a', tick);
  const y = refAccept(b, a, 'b', tick);
  return { a: x.store, b: y.store, flaws: [...x.flaws, ...y.flaws] };
}

/** Equal values per key (what get_converged_state compares: the state, not the counters). */
export function refValuesEqual(a: RefStore, b: RefStore): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => JSON.stringify(a[k]!.v) === JSON.stringify(b[k]!.v));
}
