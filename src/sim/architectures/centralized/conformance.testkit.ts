import fc from 'fast-check';
import type { Conformance } from '../conformance.testkit';
import { linearizable } from '../conformance.testkit';
import { scenarioArb, workloadArb } from '../../scenario/arbitrary.testkit';
import type { Action, Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/schema';
import { STORE } from './store';

/**
 * Runs on a lossless network where some agents are cut off from the store (both ways) from
 * the start and the store never crashes, with timeouts long enough for the round trip and a
 * full queue: the reachable agents' operations must all complete, the others' all time out.
 */
const availabilityRuns = fc
  .record({
    seed: fc.nat({ max: 0xffff_ffff }),
    n: fc.integer({ min: 2, max: 5 }),
    cut: fc.integer({ min: 1, max: 4 }),
    latency: fc.integer({ min: 1, max: 5 }),
    jitter: fc.integer({ min: 0, max: 3 }),
    serviceTime: fc.integer({ min: 1, max: 3 }),
    duplication: fc.constantFrom(0, 0.3),
    workloads: fc.array(workloadArb, { minLength: 5, maxLength: 5 }),
  })
  .map((r) => {
    const ids = Array.from({ length: r.n }, (_, i) => `agent${i + 1}`);
    const isolated = ids.slice(0, Math.min(r.cut, r.n - 1));
    const roundTrip = 2 * (r.latency + r.jitter + r.latency) + 2;
    const timeout = roundTrip + r.serviceTime * (r.n + 1) + 2;
    const actions: Action[] = isolated.flatMap((a): Action[] => [
      { tick: 0, type: 'cut-link', from: a, to: STORE },
      { tick: 0, type: 'cut-link', from: STORE, to: a },
    ]);
    const scenario: Scenario = {
      format: FORMAT_VERSION,
      name: 'availability',
      seed: r.seed,
      duration: 200,
      architecture: { kind: 'centralized', serviceTime: r.serviceTime },
      network: { latency: r.latency, jitter: r.jitter, loss: 0, duplication: r.duplication },
      agents: ids.map((id, i) => ({ id, workload: r.workloads[i]!, timeout, retryEvery: 0 })),
      actions,
    };
    return { scenario, isolated };
  });

export const centralizedConformance: Conformance = {
  kind: 'centralized',
  promises: [
    {
      name: 'linearizable (update included: no fractured reads) under loss, duplication, retries, partitions and crashes',
      runs: scenarioArb({ maxAgents: 4, maxDuration: 250 }).map((scenario) => ({ scenario, isolated: [] })),
      numRuns: 150,
      check: (run) => linearizable(run, { fracturedReads: true }),
    },
    {
      name: 'reachable agents complete every operation; cut-off agents time out (info)',
      runs: availabilityRuns,
      numRuns: 60,
      check(run) {
        const problems: string[] = [];
        for (const r of run.world.history) {
          if (r.outcome === null) continue; // still pending at the end of the run
          if (run.isolated.has(r.agent) && r.outcome !== 'info')
            problems.push(`${r.agent} is cut off but op ${r.id} ended ${r.outcome}`);
          if (!run.isolated.has(r.agent) && r.outcome !== 'ok')
            problems.push(`${r.agent} can reach the store but op ${r.id} ended ${r.outcome}: ${r.reason}`);
        }
        if (
          run.world.history.filter((r) => !run.isolated.has(r.agent) && r.outcome === 'ok').length === 0 &&
          run.scenario.agents.some((a) => !run.isolated.has(a.id) && a.workload.kind !== 'idle')
        ) {
          problems.push('no reachable agent completed anything');
        }
        return problems.length ? problems.slice(0, 5).join('\n') : linearizable(run, { fracturedReads: true });
      },
    },
  ],
};
