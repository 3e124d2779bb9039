import { md5 } from '@noble/hashes/legacy.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { md5ModShort, md5Short } from './md5';

/**
 * Where a key lives: the three placement strategies, as pure integer arithmetic.
 *
 * - md5-mod: the reference's `int(hashlib.md5(key.encode()).hexdigest(), 16) % N`, exactly:
 *   the 128-bit digest read big-endian, reduced modulo N by long division on its bytes.
 * - ranges: the reference diagram's A-F, G-P, Q-Z for three shards, and for N shards the 26
 *   letters cut into N runs; a key goes by its first character, case folded (anything before
 *   "a" to the first shard, anything after "z" to the last).
 * - consistent: a ring of 2^32 points; each shard has `vnodes` points at the first four bytes
 *   of md5("<shard>#<i>"); a key belongs to the first point at or after its own (md5 of the
 *   key, first four bytes), wrapping around.
 *
 * With replication N, a key's replicas are its owner and the next N-1 distinct shards (the
 * next indexes for md5-mod and ranges, the next distinct shards clockwise on the ring).
 */

export type Strategy = 'md5-mod' | 'ranges' | 'consistent';
export const STRATEGIES: readonly Strategy[] = ['md5-mod', 'ranges', 'consistent'];

export interface Placement {
  strategy: Strategy;
  /** Shard ids in placement order. */
  shards: string[];
  vnodes: number;
  replication: number;
}

/** MD5 of the key's UTF-8 form: one block, no hasher, for a short key; else the general MD5. */
export function digest(key: string): Uint8Array {
  return md5Short(key) ?? md5General(key);
}

export function md5General(key: string): Uint8Array {
  return md5(utf8ToBytes(key));
}

/** int(md5(key), 16) % n, as Python computes it. */
export function md5Mod(key: string, n: number): number {
  return md5ModShort(key, n) ?? bytesMod(md5General(key), n);
}

export function bytesMod(bytes: Uint8Array, n: number): number {
  let r = 0;
  // r < n ≤ 2^16 keeps r * 256 + b exact in a double.
  for (const b of bytes) r = (r * 256 + b) % n;
  return r;
}

/** The first four digest bytes, big-endian: the ring position. */
export function ringPoint(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** The reference's three ranges, by first letter index (a = 0). */
const REFERENCE_CUTS = [6, 16];

/** The letter index (0..25) at which each shard's range starts, after the first. */
export function rangeCuts(n: number): number[] {
  if (n === 3) return REFERENCE_CUTS;
  const cuts: number[] = [];
  for (let i = 1; i < n; i++) cuts.push(Math.floor((26 * i) / n));
  return cuts;
}

export function letterIndex(key: string): number {
  const c = key.charCodeAt(0);
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  if (lower < 97) return 0;
  if (lower > 122) return 25;
  return lower - 97;
}

export function rangeIndex(key: string, n: number): number {
  const li = letterIndex(key);
  const cuts = rangeCuts(n);
  let i = 0;
  while (i < cuts.length && li >= cuts[i]!) i++;
  return i;
}

/** The letters a range shard holds, e.g. "A-F". */
export function rangeLabel(index: number, n: number): string {
  const cuts = [0, ...rangeCuts(n), 26];
  const lo = cuts[index]!;
  const hi = cuts[index + 1]! - 1;
  if (hi < lo) return '(none)';
  const L = (i: number): string => String.fromCharCode(65 + i);
  return lo === hi ? L(lo) : `${L(lo)}-${L(hi)}`;
}

export interface Ring {
  /** Sorted ring points and, at the same index, the shard index owning each. */
  points: Uint32Array;
  owners: Uint16Array;
}

// Rings are pure functions of (shards, vnodes); a small cache keeps routing O(log n).
const ringCache = new Map<string, Ring>();

export function buildRing(shards: readonly string[], vnodes: number): Ring {
  const cacheKey = `${vnodes}|${shards.join(',')}`;
  const hit = ringCache.get(cacheKey);
  if (hit) return hit;
  const entries: [number, number, string][] = [];
  shards.forEach((s, si) => {
    for (let v = 0; v < vnodes; v++) entries.push([ringPoint(digest(`${s}#${v}`)), si, s]);
  });
  // Ties (astronomically rare) break by shard id, so the ring is the same whatever the order.
  entries.sort((a, b) => a[0] - b[0] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  const ring: Ring = {
    points: Uint32Array.from(entries.map((e) => e[0])),
    owners: Uint16Array.from(entries.map((e) => e[1])),
  };
  if (ringCache.size > 64) ringCache.clear();
  ringCache.set(cacheKey, ring);
  return ring;
}

/** Index of the first ring point ≥ p, wrapping to 0. */
export function ringSuccessor(ring: Ring, p: number): number {
  let lo = 0;
  let hi = ring.points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.points[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo === ring.points.length ? 0 : lo;
}

/** The primary owner's index in `shards`. */
export function ownerIndex(key: string, p: Placement): number {
  const n = p.shards.length;
  switch (p.strategy) {
    case 'md5-mod':
      return md5Mod(key, n);
    case 'ranges':
      return rangeIndex(key, n);
    case 'consistent': {
      const ring = buildRing(p.shards, p.vnodes);
      return ring.owners[ringSuccessor(ring, ringPoint(digest(key)))]!;
    }
  }
}

/** The key's replica set, owner first: min(N, shards) distinct shard ids. */
export function replicasOf(key: string, p: Placement): string[] {
  const n = p.shards.length;
  const want = Math.min(p.replication, n);
  if (p.strategy !== 'consistent') {
    const first = ownerIndex(key, p);
    return Array.from({ length: want }, (_, i) => p.shards[(first + i) % n]!);
  }
  const ring = buildRing(p.shards, p.vnodes);
  const out: string[] = [];
  let at = ringSuccessor(ring, ringPoint(digest(key)));
  for (let step = 0; step < ring.points.length && out.length < want; step++) {
    const s = p.shards[ring.owners[at]!]!;
    if (!out.includes(s)) out.push(s);
    at = (at + 1) % ring.points.length;
  }
  return out;
}

export function samePlacement(a: Placement, b: Placement): boolean {
  return (
    a.strategy === b.strategy &&
    a.vnodes === b.vnodes &&
    a.replication === b.replication &&
    a.shards.join(',') === b.shards.join(',')
  );
}

/** How many of `keys` change owner (primary) between two placements. */
export function keysMoved(keys: readonly string[], from: Placement, to: Placement): number {
  let moved = 0;
  for (const k of keys) if (from.shards[ownerIndex(k, from)] !== to.shards[ownerIndex(k, to)]) moved++;
  return moved;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
