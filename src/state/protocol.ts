import type { Scenario } from '../sim/index';

/**
 * Messages between the store and the simulation worker. The worker runs the same engine
 * on the same scenario, so anything it computes (a world far ahead, a hash, the ticks of
 * every failure) is what the main thread would have computed, without blocking it.
 */

export type ToWorker =
  /** The scenario every later request with this revision refers to. */
  | { type: 'scenario'; rev: number; scenario: Scenario }
  | { type: 'hash'; id: number; rev: number; tick: number }
  | { type: 'seek'; id: number; rev: number; tick: number }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'hash'; id: number; rev: number; tick: number; hash: string }
  | { type: 'progress'; id: number; done: number; total: number }
  /** The world as JSON text: parsing text is cheaper on the receiving thread than a structured clone. */
  | { type: 'seek-done'; id: number; rev: number; tick: number; world: string; busy: number[]; marks: [number, string][] }
  | { type: 'seek-cancelled'; id: number }
  /** Ticks at which operations failed or timed out, final up to `upTo`. */
  | { type: 'summary'; rev: number; failures: number[]; upTo: number; complete: boolean }
  | { type: 'error'; id: number | null; message: string };
