/**
 * Keys of user data are hostile input ("__proto__", "constructor", ...). State is plain JSON
 * objects, so every write goes through defineProperty and every read checks own properties:
 * no key can reach Object.prototype or be shadowed by it.
 */
export type Dict<T> = { [key: string]: T };

export function dictGet<T>(d: Dict<T>, key: string): T | undefined {
  return Object.hasOwn(d, key) ? d[key] : undefined;
}

export function dictHas<T>(d: Dict<T>, key: string): boolean {
  return Object.hasOwn(d, key);
}

export function dictSet<T>(d: Dict<T>, key: string, value: T): void {
  // Plain assignment makes the same own, enumerable, writable data property for every key but
  // "__proto__" (the one accessor a plain object inherits), and costs a fraction of
  // defineProperty, which allocates a descriptor and takes V8's slow path on every write.
  if (key === '__proto__')
    Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
  else d[key] = value;
}

export function dictDelete<T>(d: Dict<T>, key: string): boolean {
  if (!Object.hasOwn(d, key)) return false;
  delete d[key];
  return true;
}

/** No key at all, without listing them (for-in stops at the first). */
export function dictIsEmpty<T>(d: Dict<T>): boolean {
  for (const k in d) if (Object.hasOwn(d, k)) return false;
  return true;
}

export function dictKeys<T>(d: Dict<T>): string[] {
  return Object.keys(d).sort(compareStrings);
}

/** Code-unit order, the same in every engine (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Natural order: runs of digits anywhere in a name compare as numbers (agent9 before
 * agent10, agent1x before agent2), everything else by code unit, and names equal but for
 * leading zeros (r01, r1) by code unit, so 0 means the same name. A total order (tested),
 * which a sort needs. Sorting 50 names every frame while playing, so it allocates nothing.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Two numbers: by value, that is by length without leading zeros, then digit by digit.
      let si = i;
      while (a.charCodeAt(si) === 48) si++;
      let sj = j;
      while (b.charCodeAt(sj) === 48) sj++;
      let ei = si;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      let ej = sj;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      for (let k = 0; k < ei - si; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      i = ei;
      j = ej;
      continue;
    }
    // A character against a character or a number: a number sorts where its digits would,
    // so every number is on the same side of any given non-digit character.
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  const longer = a.length - i - (b.length - j);
  return longer !== 0 ? longer : compareStrings(a, b);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function dictFrom<T>(entries: Iterable<[string, T]>): Dict<T> {
  const d: Dict<T> = {};
  for (const [k, v] of entries) dictSet(d, k, v);
  return d;
}
