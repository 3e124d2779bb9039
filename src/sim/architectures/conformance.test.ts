import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { architectures } from './registry';
import type { Conformance } from './conformance.testkit';
import { centralizedConformance } from './centralized/conformance.testkit';
import { eventSourcingConformance } from './event-sourcing/conformance.testkit';
import { partitionedConformance } from './partitioned/conformance.testkit';
import { gossipConformance } from './gossip/conformance.testkit';
import { worldAt } from '../engine/engine';
import { runs } from '../core/fuzz.testkit';

/** Each architecture's promise, checked with the history checker as the oracle. */
const suites: Conformance[] = [
  centralizedConformance,
  eventSourcingConformance,
  partitionedConformance,
  gossipConformance,
];

describe('conformance', () => {
  it('every architecture in the registry registers its promise', () => {
    expect(suites.map((s) => s.kind).sort()).toEqual(Object.keys(architectures).sort());
  });

  for (const suite of suites) {
    describe(suite.kind, () => {
      for (const p of suite.promises) {
        it(p.name, () => {
          fc.assert(
            fc.property(p.runs, ({ scenario, isolated }) => {
              const world = worldAt(scenario, scenario.duration);
              const problem = p.check({ scenario, world, isolated: new Set(isolated) });
              expect(problem).toBeNull();
            }),
            { numRuns: runs(p.numRuns) },
          );
        });
      }
    });
  }
});
