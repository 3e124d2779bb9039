/**
 * The format version and the caps on every size, apart from the schema: the engine needs
 * them at run time, and importing them must not load the validator (it stays off the app's
 * first load until a link or a file needs it).
 */
export const FORMAT_VERSION = 1;

export const LIMITS = {
  agents: 200,
  actions: 20_000,
  ticks: 1_000_000,
  keys: 64,
  keyLength: 128,
  valueBytes: 4_096,
  idLength: 32,
  nameLength: 120,
  latency: 10_000,
} as const;
