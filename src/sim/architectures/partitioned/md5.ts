/**
 * MD5 (RFC 1321) specialised for short keys, as hashlib is: a key whose UTF-8 form fits one
 * 64-byte block with its padding (at most 55 bytes) is encoded straight into the block's
 * sixteen words and compressed once, with no byte array, no hasher object and no
 * allocation. Routing hashes every key of every operation, and keys are short. Anything
 * else (a longer key, a surrogate, which the general encoder replaces) says so, and the
 * caller takes the general MD5 (@noble/hashes). Property-tested against it and against
 * Node's crypto on random keys.
 */

// The sine table of RFC 1321, floor(|sin(i + 1)| · 2^32), as literals: the engine computes
// no transcendental function.
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
  0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
  0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
  0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
  0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
  0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
  0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
  0xeb86d391,
]);

const S = new Uint8Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4,
  11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
]);

/** The block being hashed, and the digest as four little-endian words (scratch, reused). */
const M = new Int32Array(16);
const H = new Int32Array(4);

/** The longest UTF-8 form one block holds beside its 0x80 byte and 8-byte length. */
export const SHORT_KEY_BYTES = 55;

function put(pos: number, byte: number): void {
  M[pos >> 2] = M[pos >> 2]! | (byte << ((pos & 3) << 3));
}

/**
 * MD5 of the key's UTF-8 form into H, when the key is short; false (H untouched) when it is
 * not, or holds a surrogate (left to the general encoder, which replaces lone ones).
 */
function hashShort(key: string): boolean {
  if (key.length > SHORT_KEY_BYTES) return false;
  M.fill(0);
  let pos = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) {
      if (pos >= SHORT_KEY_BYTES) return false;
      put(pos++, c);
    } else if (c < 0x800) {
      if (pos + 2 > SHORT_KEY_BYTES) return false;
      put(pos++, 0xc0 | (c >> 6));
      put(pos++, 0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      return false;
    } else {
      if (pos + 3 > SHORT_KEY_BYTES) return false;
      put(pos++, 0xe0 | (c >> 12));
      put(pos++, 0x80 | ((c >> 6) & 0x3f));
      put(pos++, 0x80 | (c & 0x3f));
    }
  }
  put(pos, 0x80);
  M[14] = pos << 3;
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const x = (a + f + K[i]! + M[g]!) | 0;
    const s = S[i]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
  }
  H[0] = (a + 0x67452301) | 0;
  H[1] = (b + 0xefcdab89) | 0;
  H[2] = (c + 0x98badcfe) | 0;
  H[3] = (d + 0x10325476) | 0;
  return true;
}

/** The digest word i read big-endian (as the hex digest reads it), unsigned. */
function beWord(i: number): number {
  const x = H[i]!;
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** MD5 digest bytes of a short key, or null when the key is not short (see hashShort). */
export function md5Short(key: string): Uint8Array | null {
  if (!hashShort(key)) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    const x = H[i]!;
    out[4 * i] = x & 0xff;
    out[4 * i + 1] = (x >>> 8) & 0xff;
    out[4 * i + 2] = (x >>> 16) & 0xff;
    out[4 * i + 3] = x >>> 24;
  }
  return out;
}

/**
 * int(md5(key).hexdigest(), 16) % n for a short key and 1 ≤ n ≤ 2^20, or null. The digest is
 * reduced a 32-bit word at a time: r < n ≤ 2^20 keeps r · 2^32 + w below 2^53, exact.
 */
export function md5ModShort(key: string, n: number): number | null {
  if (!Number.isInteger(n) || n < 1 || n > 1 << 20 || !hashShort(key)) return null;
  let r = 0;
  for (let i = 0; i < 4; i++) r = (r * 4294967296 + beWord(i)) % n;
  return r;
}
