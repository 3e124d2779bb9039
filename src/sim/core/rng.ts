import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/**
 * Seeded randomness whose state is plain data, so it is checkpointed, hashed and replayed
 * like everything else in the world. The world holds one stream per subsystem (the network,
 * each agent's workload, ...): drawing one more number in one place never shifts another.
 */
export type RngState = number[];

/** FNV-1a over UTF-16 code units: a stable 32-bit mix of a seed and a stream name. */
function mix(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

export function streamState(seed: number, name: string): RngState {
  return [...xoroshiro128plus(mix(seed, name)).getState()];
}

/** Uniform integer in [from, to], both included; returns the value and the next state. */
export function drawInt(state: RngState, from: number, to: number): [number, RngState] {
  const g = xoroshiro128plusFromState(state);
  const v = uniformInt(g, from, to);
  return [v, [...g.getState()]];
}

/**
 * True with probability `p` (0..1), decided on integers: p is quantised to millionths so no
 * floating-point comparison can differ between engines.
 */
export function drawChance(state: RngState, p: number): [boolean, RngState] {
  if (p <= 0) return [false, state];
  if (p >= 1) return [true, state];
  const [v, next] = drawInt(state, 0, 999_999);
  return [v < Math.round(p * 1_000_000), next];
}

/** A holder of named streams, updated in place by the engine's working copy of the world. */
export interface Streams {
  [name: string]: RngState;
}

export function draw(streams: Streams, seed: number, name: string, from: number, to: number): number {
  const state = Object.hasOwn(streams, name) ? streams[name]! : streamState(seed, name);
  const g = xoroshiro128plusFromState(state);
  const v = uniformInt(g, from, to);
  const next = g.getState() as number[];
  // Plain assignment is the fast path; only "__proto__" needs defineProperty to stay data.
  if (name === '__proto__')
    Object.defineProperty(streams, name, { value: next, enumerable: true, writable: true, configurable: true });
  else streams[name] = next;
  return v;
}

export function chance(streams: Streams, seed: number, name: string, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return draw(streams, seed, name, 0, 999_999) < Math.round(p * 1_000_000);
}
