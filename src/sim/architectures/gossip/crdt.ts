import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { compareStrings, dictGet, dictKeys, dictSet } from '../../core/dict';

/**
 * The replicated data, as pure state-based CRDTs: a version vector (the causal context of
 * every operation a replica has seen), a last-writer-wins map, a map of multi-value
 * registers, G-Counters, PN-Counters and add-wins OR-Sets. Merges are pure (new objects,
 * inputs untouched) so the property tests check the laws on them directly; the network
 * architecture (gossip.ts) only decides who merges what, when.
 *
 * One causal context serves every type: each operation takes the next dot (origin, counter)
 * of its replica, and because whole states are merged, a replica always knows a prefix of
 * each origin's dots. So "b knows the dot of a's entry but has no entry" means b deleted or
 * overwrote it (the optimised OR-Set of Bieniusa et al. 2012, and Almeida et al.'s dot stores,
 * 2018): removals need no per-element tombstone. LWW and multi-value deletes still leave an
 * explicit tombstone (a concurrent write must meet it), collected by `collect` once causally
 * stable.
 */

/** origin → how many of its operations are known (a prefix). */
export type VV = Dict<number>;
/** [origin, counter] */
export type Dot = [string, number];
/**
 * A hybrid logical clock reading [tick, counter] ordered lexicographically, then the origin:
 * a Lamport clock (a write after a merge is later than everything merged) that is also at
 * least the tick it was taken at, so a write made after a tombstone was collected always
 * beats that tombstone, whoever makes it (see docs/gossip.md, "Garbage collection").
 */
export type Stamp = [number, number, string];

export interface LwwEntry {
  /** null: a tombstone (the key was deleted). */
  v: JsonValue | null;
  ts: Stamp;
  dot: Dot;
}

export interface Sibling {
  /** null: a delete, kept as a sibling so a concurrent write meets it. */
  v: JsonValue | null;
  dot: Dot;
}

export interface PN {
  p: VV;
  n: VV;
}

/** element (canonical JSON) → the dots of the adds that are still live. */
export type ORSet = Dict<Dot[]>;

export interface Doc {
  vv: VV;
  /** The hybrid clock's last reading [tick, counter]. */
  clock: [number, number];
  lww: Dict<LwwEntry>;
  mv: Dict<Sibling[]>;
  g: Dict<VV>;
  pn: Dict<PN>;
  sets: Dict<ORSet>;
}

export function emptyDoc(): Doc {
  return { vv: {}, clock: [0, 0], lww: {}, mv: {}, g: {}, pn: {}, sets: {} };
}

// ------------------------------------------------------------------ version vectors

export function vvGet(vv: VV, origin: string): number {
  return dictGet(vv, origin) ?? 0;
}

export function knows(vv: VV, dot: Dot): boolean {
  return vvGet(vv, dot[0]) >= dot[1];
}

/** Pointwise maximum, keys in order (so equal vectors serialise equally). */
export function vvMerge(a: VV, b: VV): VV {
  const out: VV = {};
  for (const k of unionKeys(a, b)) dictSet(out, k, Math.max(vvGet(a, k), vvGet(b, k)));
  return out;
}

/** Pointwise minimum over several vectors (absent counts as 0). */
export function vvMin(vs: readonly VV[]): VV {
  const out: VV = {};
  if (vs.length === 0) return out;
  const keys = new Set<string>();
  for (const v of vs) for (const k of Object.keys(v)) keys.add(k);
  for (const k of [...keys].sort(compareStrings)) {
    let m = Infinity;
    for (const v of vs) m = Math.min(m, vvGet(v, k));
    if (m > 0) dictSet(out, k, m);
  }
  return out;
}

export function vvLeq(a: VV, b: VV): boolean {
  for (const k of Object.keys(a)) if (a[k]! > vvGet(b, k)) return false;
  return true;
}

export type Order = 'equal' | 'a-dominates' | 'b-dominates' | 'concurrent';

export function vvCompare(a: VV, b: VV): Order {
  // vvLeq both ways in one pass over a and one over the origins only b has.
  // for-in, not Object.keys: no array per call (vectors are compared per key per merge).
  let ab = true;
  let ba = true;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    const x = a[k]!;
    const y = vvGet(b, k);
    if (x > y) ab = false;
    else if (x < y) ba = false;
  }
  for (const k in b) if (Object.hasOwn(b, k) && b[k]! > 0 && !Object.hasOwn(a, k)) ba = false;
  if (ab && ba) return 'equal';
  if (ba) return 'a-dominates';
  if (ab) return 'b-dominates';
  return 'concurrent';
}

function unionKeys(a: Dict<unknown>, b: Dict<unknown>): string[] {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  // Most maps of a document are empty on one side or both: no set to build then.
  if (kb.length === 0) return ka.sort(compareStrings);
  if (ka.length === 0) return kb.sort(compareStrings);
  const s = new Set(ka);
  for (const k of kb) s.add(k);
  return [...s].sort(compareStrings);
}

export function compareDots(a: Dot, b: Dot): number {
  return compareStrings(a[0], b[0]) || a[1] - b[1];
}

function sameDot(a: Dot, b: Dot): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export function compareStamps(a: Stamp, b: Stamp): number {
  return a[0] - b[0] || a[1] - b[1] || compareStrings(a[2], b[2]);
}

// ------------------------------------------------------------------ merges

/**
 * Entries with dots, merged against the two causal contexts: an entry both sides hold stays;
 * an entry only one side holds stays unless the other side already knows its dot (then the
 * other side removed it, or overwrote it, or collected the tombstone that beat it).
 */
function mergeDotted<T extends { dot: Dot }>(xs: readonly T[], xvv: VV, ys: readonly T[], yvv: VV): T[] {
  const out: T[] = [];
  for (const x of xs) if (ys.some((y) => sameDot(x.dot, y.dot)) || !knows(yvv, x.dot)) out.push(x);
  for (const y of ys) if (!xs.some((x) => sameDot(x.dot, y.dot)) && !knows(xvv, y.dot)) out.push(y);
  return out.sort((p, q) => compareDots(p.dot, q.dot));
}

export function mergeLww(a: Dict<LwwEntry>, avv: VV, b: Dict<LwwEntry>, bvv: VV): Dict<LwwEntry> {
  const out: Dict<LwwEntry> = {};
  for (const k of unionKeys(a, b)) {
    const x = dictGet(a, k);
    const y = dictGet(b, k);
    let keep: LwwEntry | undefined;
    if (x && y) keep = compareStamps(x.ts, y.ts) >= 0 ? x : y;
    else if (x) keep = knows(bvv, x.dot) ? undefined : x;
    else if (y) keep = knows(avv, y.dot) ? undefined : y;
    if (keep) dictSet(out, k, keep);
  }
  return out;
}

export function mergeMv(a: Dict<Sibling[]>, avv: VV, b: Dict<Sibling[]>, bvv: VV): Dict<Sibling[]> {
  const out: Dict<Sibling[]> = {};
  for (const k of unionKeys(a, b)) {
    const s = mergeDotted(dictGet(a, k) ?? [], avv, dictGet(b, k) ?? [], bvv);
    if (s.length > 0) dictSet(out, k, s);
  }
  return out;
}

export function mergeG(a: Dict<VV>, b: Dict<VV>): Dict<VV> {
  const out: Dict<VV> = {};
  for (const k of unionKeys(a, b)) dictSet(out, k, vvMerge(dictGet(a, k) ?? {}, dictGet(b, k) ?? {}));
  return out;
}

export function mergePn(a: Dict<PN>, b: Dict<PN>): Dict<PN> {
  const out: Dict<PN> = {};
  for (const k of unionKeys(a, b)) {
    const x = dictGet(a, k);
    const y = dictGet(b, k);
    dictSet(out, k, { p: vvMerge(x?.p ?? {}, y?.p ?? {}), n: vvMerge(x?.n ?? {}, y?.n ?? {}) });
  }
  return out;
}

export function mergeOrSet(a: ORSet, avv: VV, b: ORSet, bvv: VV): ORSet {
  const out: ORSet = {};
  for (const e of unionKeys(a, b)) {
    const wrap = (ds: Dot[] | undefined) => (ds ?? []).map((dot) => ({ dot }));
    const kept = mergeDotted(wrap(dictGet(a, e)), avv, wrap(dictGet(b, e)), bvv).map((x) => x.dot);
    if (kept.length > 0) dictSet(out, e, kept);
  }
  return out;
}

export function mergeSets(a: Dict<ORSet>, avv: VV, b: Dict<ORSet>, bvv: VV): Dict<ORSet> {
  const out: Dict<ORSet> = {};
  for (const k of unionKeys(a, b)) {
    const s = mergeOrSet(dictGet(a, k) ?? {}, avv, dictGet(b, k) ?? {}, bvv);
    if (Object.keys(s).length > 0) dictSet(out, k, s);
  }
  return out;
}

function maxClock(a: [number, number], b: [number, number]): [number, number] {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]) ? a : b;
}

/** The join of two replicas' documents: every component merged against both contexts. */
export function mergeDocs(a: Doc, b: Doc): Doc {
  return {
    vv: vvMerge(a.vv, b.vv),
    clock: maxClock(a.clock, b.clock),
    lww: mergeLww(a.lww, a.vv, b.lww, b.vv),
    mv: mergeMv(a.mv, a.vv, b.mv, b.vv),
    g: mergeG(a.g, b.g),
    pn: mergePn(a.pn, b.pn),
    sets: mergeSets(a.sets, a.vv, b.sets, b.vv),
  };
}

// ------------------------------------------------------------------ local operations (pure)

function nextDot(d: Doc, origin: string): [Dot, VV] {
  const vv = { ...d.vv };
  const c = vvGet(d.vv, origin) + 1;
  dictSet(vv, origin, c);
  return [[origin, c], vv];
}

/** A hybrid clock reading at `now`: the tick if the clock is behind it, else one more count. */
function tickClock(d: Doc, now: number): [number, number] {
  const t = Math.max(0, now);
  return d.clock[0] < t ? [t, 0] : [d.clock[0], d.clock[1] + 1];
}

function withKey<T>(d: Dict<T>, k: string, v: T | undefined): Dict<T> {
  const out: Dict<T> = {};
  for (const x of Object.keys(d)) if (x !== k) dictSet(out, x, d[x]!);
  if (v !== undefined) dictSet(out, k, v);
  return out;
}

/** A last-writer-wins write (value null: a delete, which leaves a tombstone). */
export function lwwWrite(d: Doc, origin: string, now: number, key: string, v: JsonValue | null): Doc {
  const [dot, vv] = nextDot(d, origin);
  const clock = tickClock(d, now);
  return { ...d, vv, clock, lww: withKey(d.lww, key, { v, ts: [clock[0], clock[1], origin], dot }) };
}

/** A multi-value write: replaces every sibling this replica has seen (value null: a delete). */
export function mvWrite(d: Doc, origin: string, key: string, v: JsonValue | null): Doc {
  const [dot, vv] = nextDot(d, origin);
  return { ...d, vv, mv: withKey(d.mv, key, [{ v, dot }]) };
}

export function gIncrement(d: Doc, origin: string, key: string, by: number): Doc {
  const [, vv] = nextDot(d, origin);
  const c = { ...(dictGet(d.g, key) ?? {}) };
  dictSet(c, origin, vvGet(c, origin) + by);
  return { ...d, vv, g: withKey(d.g, key, c) };
}

export function pnAdd(d: Doc, origin: string, key: string, by: number): Doc {
  const [, vv] = nextDot(d, origin);
  const old = dictGet(d.pn, key) ?? { p: {}, n: {} };
  const side = by >= 0 ? 'p' : 'n';
  const c = { ...old[side] };
  dictSet(c, origin, vvGet(c, origin) + Math.abs(by));
  return { ...d, vv, pn: withKey(d.pn, key, side === 'p' ? { p: c, n: old.n } : { p: old.p, n: c }) };
}

/** Add-wins: the add's dot replaces the dots this replica saw (they are in its context). */
export function setAdd(d: Doc, origin: string, key: string, element: string): Doc {
  const [dot, vv] = nextDot(d, origin);
  const s = withKey(dictGet(d.sets, key) ?? {}, element, [dot]);
  return { ...d, vv, sets: withKey(d.sets, key, s) };
}

/** Removes the adds this replica has seen; a concurrent add it has not seen survives. */
export function setRemove(d: Doc, origin: string, key: string, element: string): Doc {
  const [, vv] = nextDot(d, origin);
  const s = withKey(dictGet(d.sets, key) ?? {}, element, undefined);
  return { ...d, vv, sets: withKey(d.sets, key, Object.keys(s).length ? s : undefined) };
}

// ------------------------------------------------------------------ reads

export function gValue(d: Doc, key: string): number {
  const c = dictGet(d.g, key);
  let s = 0;
  if (c) for (const k of Object.keys(c)) s += c[k]!;
  return s;
}

export function pnValue(d: Doc, key: string): number {
  const c = dictGet(d.pn, key);
  if (!c) return 0;
  let s = 0;
  for (const k of Object.keys(c.p)) s += c.p[k]!;
  for (const k of Object.keys(c.n)) s -= c.n[k]!;
  return s;
}

export function setMembers(d: Doc, key: string): string[] {
  return dictKeys(dictGet(d.sets, key) ?? {});
}

/** Siblings, deletes included, in dot order. */
export function mvSiblings(d: Doc, key: string): Sibling[] {
  return dictGet(d.mv, key) ?? [];
}

// ------------------------------------------------------------------ garbage collection

/**
 * Drops the tombstones whose dot `stable` knows: `stable` must be a vector every member of
 * the current membership has reached (the minimum of what they reported) and that this
 * replica's own context covers (gossip.ts checks both). A stable delete sibling goes even
 * when concurrent siblings remain: every replica drops it the same way, so they still agree.
 */
export function collect(d: Doc, stable: VV): { doc: Doc; collected: number } {
  let collected = 0;
  const lww: Dict<LwwEntry> = {};
  for (const k of Object.keys(d.lww)) {
    const e = d.lww[k]!;
    if (e.v === null && knows(stable, e.dot)) collected += 1;
    else dictSet(lww, k, e);
  }
  const mv: Dict<Sibling[]> = {};
  for (const k of Object.keys(d.mv)) {
    const s = d.mv[k]!;
    const kept = s.filter((x) => !(x.v === null && knows(stable, x.dot)));
    collected += s.length - kept.length;
    if (kept.length > 0) dictSet(mv, k, kept);
  }
  if (collected === 0) return { doc: d, collected };
  return { doc: { ...d, lww, mv }, collected };
}

/** How many tombstones a document holds (LWW and multi-value deletes). */
export function tombstones(d: Doc): number {
  let n = 0;
  for (const k of Object.keys(d.lww)) if (d.lww[k]!.v === null) n += 1;
  for (const k of Object.keys(d.mv)) n += d.mv[k]!.filter((s) => s.v === null).length;
  return n;
}
