import fc from 'fast-check';
import type { Action, AgentSpec, Scenario, Workload } from './schema';
import { FORMAT_VERSION } from './limits';

/**
 * fast-check generators of valid scenarios, for property tests only (never bundled: only
 * *.test.ts files import this). They force the interesting cases: loss, duplication,
 * partitions, crashes and recoveries of the store and of agents, ops aimed at crashed nodes.
 */

const KEYS = ['x', 'y', 'z', '__proto__', 'constructor'];

export const workloadArb: fc.Arbitrary<Workload> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Workload>({ kind: 'idle' }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('random' as const),
      keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }),
      interval: fc.integer({ min: 1, max: 15 }),
      mix: fc.record({
        get: fc.integer({ min: 1, max: 5 }),
        set: fc.integer({ min: 0, max: 5 }),
        delete: fc.integer({ min: 0, max: 2 }),
        update: fc.integer({ min: 0, max: 2 }),
      }),
    }),
  },
);

export function scenarioArb(
  opts: { maxAgents?: number; maxDuration?: number; faults?: boolean } = {},
): fc.Arbitrary<Scenario> {
  const maxAgents = opts.maxAgents ?? 4;
  const maxDuration = opts.maxDuration ?? 300;
  const faults = opts.faults ?? true;
  return fc
    .record({
      seed: fc.nat({ max: 0xffff_ffff }),
      n: fc.integer({ min: 1, max: maxAgents }),
      duration: fc.integer({ min: 20, max: maxDuration }),
      latency: fc.integer({ min: 1, max: 6 }),
      jitter: fc.integer({ min: 0, max: 3 }),
      loss: faults ? fc.constantFrom(0, 0, 0.05, 0.2) : fc.constant(0),
      duplication: faults ? fc.constantFrom(0, 0.1, 0.5) : fc.constant(0),
      serviceTime: fc.integer({ min: 1, max: 3 }),
      workloads: fc.array(workloadArb, { minLength: maxAgents, maxLength: maxAgents }),
      timeouts: fc.array(fc.integer({ min: 5, max: 40 }), { minLength: maxAgents, maxLength: maxAgents }),
      retries: fc.array(fc.constantFrom(0, 0, 3, 7), { minLength: maxAgents, maxLength: maxAgents }),
      faultSeeds: fc.array(
        fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 9 }), fc.nat({ max: 100 }), fc.nat({ max: 100 })),
        { maxLength: faults ? 8 : 0 },
      ),
    })
    .map((r) => {
      const ids = Array.from({ length: r.n }, (_, i) => `agent${i + 1}`);
      const agents: AgentSpec[] = ids.map((id, i) => ({
        id,
        workload: r.workloads[i]!,
        timeout: r.timeouts[i]!,
        retryEvery: r.retries[i]!,
      }));
      const nodes = ['store', ...ids];
      const pick = (k: number): string => nodes[k % nodes.length]!;
      const actions: Action[] = r.faultSeeds
        .map(([t, kind, a, b]): Action => {
          const tick = t % r.duration;
          switch (kind) {
            case 0:
              return { tick, type: 'cut-link', from: pick(a), to: pick(b) };
            case 1:
              return { tick, type: 'heal-link', from: pick(a), to: pick(b) };
            case 2:
              return { tick, type: 'crash', node: pick(a) };
            case 3:
              return { tick, type: 'recover', node: pick(a) };
            case 4:
              return {
                tick,
                type: 'partition',
                groups: [nodes.filter((_, i) => i % 2 === a % 2), nodes.filter((_, i) => i % 2 !== a % 2)]
                  .filter((g) => g.length > 0)
                  .concat(nodes.length === 1 ? [['agent1']] : []),
              };
            case 5:
              return { tick, type: 'heal-all' };
            case 6:
              return {
                tick,
                type: 'op',
                agent: ids[a % ids.length]!,
                op: 'set',
                args: { key: KEYS[b % KEYS.length]!, value: `manual${b}` },
              };
            case 7:
              return {
                tick,
                type: 'op',
                agent: ids[a % ids.length]!,
                op: 'update',
                args: { updates: { x: `u${b}`, y: `u${b}` } },
              };
            case 8:
              return { tick, type: 'drop-message', message: a };
            default:
              return { tick, type: 'set-link', from: pick(a), to: pick(b), latency: 1 + (b % 9) };
          }
        })
        .filter((a) => a.type !== 'partition' || a.groups.length >= 2)
        .sort((x, y) => x.tick - y.tick);
      const s: Scenario = {
        format: FORMAT_VERSION,
        name: 'generated',
        seed: r.seed,
        duration: r.duration,
        architecture: { kind: 'centralized', serviceTime: r.serviceTime },
        network: { latency: r.latency, jitter: r.jitter, loss: r.loss, duplication: r.duplication },
        agents,
        actions,
      };
      return s;
    });
}
