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
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
}

export function dictDelete<T>(d: Dict<T>, key: string): boolean {
  if (!Object.hasOwn(d, key)) return false;
  delete d[key];
  return true;
}

export function dictKeys<T>(d: Dict<T>): string[] {
  return Object.keys(d).sort(compareStrings);
}

/** Code-unit order, the same in every engine (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function dictFrom<T>(entries: Iterable<[string, T]>): Dict<T> {
  const d: Dict<T> = {};
  for (const [k, v] of entries) dictSet(d, k, v);
  return d;
}
