import type fc from 'fast-check';
import type { Scenario } from '../scenario/schema';
import type { World } from '../engine/types';
import type { ArchitectureConfig } from '../scenario/schema';

/**
 * The conformance suite: every architecture registers the promise it makes (docs/engine.md)
 * as properties over generated runs, with the history checker as the oracle. The runner
 * (conformance.test.ts) fails for an architecture in the registry that registers nothing.
 */

export interface Run {
  scenario: Scenario;
  world: World;
  /** Agents the generator cut off from the servers for the whole run. */
  isolated: ReadonlySet<string>;
}

export interface Promise {
  /** The promise in words, as docs/engine.md states it. */
  name: string;
  /** Runs to check it on; `isolated` lists agents cut off from tick 0. */
  runs: fc.Arbitrary<{ scenario: Scenario; isolated: string[] }>;
  numRuns: number;
  /** Null when the run keeps the promise, else what broke it, with the evidence. */
  check(run: Run): string | null;
}

export interface Conformance {
  kind: ArchitectureConfig['kind'];
  promises: Promise[];
}
