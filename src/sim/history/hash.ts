// 32-bit integer hashing only: src/sim must stay deterministic across engines, so no
// floating-point mixing and no platform hash.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over UTF-16 code units. It is a left fold, so `fnv1a(b, fnv1a(a))` equals
 * `fnv1a(a + b)`: the kv model relies on that to hash an appended string incrementally.
 */
export function fnv1a(s: string, seed: number = FNV_OFFSET): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: spreads nearby integers (bitset words, small hashes) apart. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fixed-size set of small integers (which operations are already linearized). */
export class Bitset {
  readonly words: Uint32Array;

  constructor(bits: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array(Math.max(1, Math.ceil(bits / 32)));
  }

  set(i: number): void {
    const w = i >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (i & 31));
  }

  clear(i: number): void {
    const w = i >>> 5;
    this.words[w] = (this.words[w] ?? 0) & ~(1 << (i & 31));
  }

  has(i: number): boolean {
    return (((this.words[i >>> 5] ?? 0) >>> (i & 31)) & 1) === 1;
  }

  clone(): Bitset {
    return new Bitset(0, this.words.slice());
  }
}
