import type fc from 'fast-check';
import type { Scenario } from '../scenario/schema';
import type { World } from '../engine/types';
import type { ArchitectureConfig } from '../scenario/schema';
import { checkHistory } from '../history/check';

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

/**
 * The checker's verdict on a run's history: null when linearizable, else why, with the
 * witness. With `fracturedReads`, a read that saw part of a multi-key update fails it too
 * (the promise covers `update` as one operation).
 */
export function linearizable(run: Run, opts: { fracturedReads: boolean }): string | null {
  const r = checkHistory({ ops: run.world.history }, { sequentialMaxSteps: 0 });
  const fractured = opts.fracturedReads
    ? r.anomalies.filter((a) => a.type === 'fractured-read').map((a) => a.explanation)
    : [];
  if (r.linearizable === true && fractured.length === 0) return null;
  if (r.linearizable === 'unknown') return `the checker could not decide within its budget (${r.steps} steps)`;
  const why =
    r.linearizable === false && r.witness ? `${r.witness.explanation} (ops ${r.witness.opIds.join(', ')})` : '';
  return `not linearizable: ${why} ${fractured.join('; ')}`.trim();
}
