import type { AgentSpec, ArchitectureConfig, Workload } from '../scenario/schema';
import type { Comparison, ComparePanel, FaultStep } from './schema';
import { defaultEventSourcingConfig } from '../architectures/event-sourcing/constants';
import { defaultPartitionedConfig } from '../architectures/partitioned/constants';

/**
 * A comparison: one workload and one fault schedule, run on several architectures. The types
 * and the built-in comparisons, without the validator (schema.ts, zod, checks what arrives
 * from links and files): the engine, the worker and the panels import these.
 */

import { COMPARISON_FORMAT } from './limits';
export { COMPARISON_FORMAT, MAX_GROUPS, MAX_PANELS } from './limits';

export type { Comparison, ComparePanel, CompareGroup, FaultStep } from './schema';

// ---------------------------------------------------------------------- built-ins

const work = (keys: string[], interval: number): Workload => ({
  kind: 'random',
  keys,
  interval,
  mix: { get: 5, set: 4, delete: 1, update: 1 },
});
const agentsOf = (ids: string[]): AgentSpec[] =>
  ids.map((id) => ({ id, workload: work(['x', 'y', 'z'], 10), timeout: 30, retryEvery: 0 }));

const WEST = ['agent1', 'agent2', 'agent3'];
const EAST = ['agent4', 'agent5', 'agent6'];

/** The six panels of the built-in comparison, with their placements spelled out. */
export function builtinPanels(): ComparePanel[] {
  return [
    {
      id: 'centralized',
      label: 'Centralized store',
      architecture: { kind: 'centralized', serviceTime: 1 },
      placement: { store: 'west' },
    },
    {
      id: 'event-sourcing',
      label: 'Event sourcing',
      architecture: defaultEventSourcingConfig(),
      // The log in the west; reads go to proj1, in the east: each side loses half its work.
      placement: { log: 'west', proj1: 'east', proj2: 'west' },
    },
    {
      id: 'partitioned',
      label: 'Partitioned, no replication',
      architecture: { ...defaultPartitionedConfig(3), opTimeout: 20 },
      placement: { coordinator: 'west', shard0: 'west', shard1: 'west', shard2: 'east' },
    },
    {
      id: 'quorum',
      label: 'Partitioned, N=3 R=W=2, read write-back',
      architecture: {
        ...defaultPartitionedConfig(3),
        opTimeout: 20,
        replication: 3,
        readQuorum: 2,
        writeQuorum: 2,
        readWriteBack: true,
      },
      placement: { coordinator: 'west', shard0: 'west', shard1: 'west', shard2: 'east' },
    },
    {
      id: 'gossip-lww',
      label: 'Gossip, LWW map',
      architecture: {
        kind: 'gossip',
        replicas: ['r1', 'r2', 'r3', 'r4'],
        mode: 'lww',
        exchange: 'push-pull',
        fanout: 1,
        period: 4,
        round: 'synchronous',
      },
      placement: { r1: 'west', r2: 'west', r3: 'east', r4: 'east' },
    },
    {
      id: 'gossip-reference',
      label: "Gossip, the reference's counters",
      architecture: {
        kind: 'gossip',
        replicas: ['r1', 'r2', 'r3', 'r4'],
        mode: 'reference',
        exchange: 'push-pull',
        fanout: 1,
        period: 4,
        round: 'synchronous',
      },
      placement: { r1: 'west', r2: 'west', r3: 'east', r4: 'east' },
    },
  ];
}

function base(name: string, faults: FaultStep[]): Comparison {
  return {
    format: COMPARISON_FORMAT,
    name,
    seed: 8,
    duration: 800,
    network: { latency: 3, jitter: 1, loss: 0, duplication: 0 },
    groups: [
      { id: 'west', agents: [...WEST] },
      { id: 'east', agents: [...EAST] },
    ],
    agents: agentsOf([...WEST, ...EAST]),
    faults,
    panels: builtinPanels(),
  };
}

/** Six agents in two groups on three keys; cut at 200, healed at 500, writing stops at 650. */
export function builtinComparison(): Comparison {
  return base('Two groups cut apart (200–500)', [
    { tick: 200, type: 'cut', a: 'west', b: 'east' },
    { tick: 500, type: 'heal' },
    { tick: 650, type: 'quiesce' },
  ]);
}

/** The same workload with no fault: the trade is latency against consistency. */
export function noPartitionComparison(): Comparison {
  return base('No partition (latency vs consistency)', [{ tick: 650, type: 'quiesce' }]);
}

/** The east's servers crash at 200 and recover at 500. */
export function crashComparison(): Comparison {
  return base("The east's servers crash (200–500)", [
    { tick: 200, type: 'crash', group: 'east' },
    { tick: 500, type: 'recover', group: 'east' },
    { tick: 650, type: 'quiesce' },
  ]);
}

export const builtinComparisons: { id: string; label: string; make: () => Comparison }[] = [
  { id: 'partition', label: 'Two groups cut apart (200–500)', make: builtinComparison },
  { id: 'no-partition', label: 'No partition', make: noPartitionComparison },
  { id: 'crash', label: "East's servers crash", make: crashComparison },
];

/**
 * Where a server sits when a panel does not say: the store, log and coordinator in the first
 * group; projections and replicas spread over the groups; shards mostly in the first group
 * with one in each other group (so a cut strands some keys, not all).
 */
export function defaultGroupOf(
  arch: ArchitectureConfig,
  server: string,
  servers: readonly string[],
  groups: readonly string[],
): string {
  const first = groups[0] ?? '';
  const n = groups.length;
  const i = servers.indexOf(server);
  switch (arch.kind) {
    case 'centralized':
      return first;
    case 'event-sourcing':
      return server === 'log' ? first : (groups[i % n] ?? first);
    case 'partitioned': {
      if (server === 'coordinator') return first;
      const shards = servers.filter((s) => s !== 'coordinator');
      const j = shards.indexOf(server);
      return groups[Math.max(0, j - (shards.length - n))] ?? first;
    }
    case 'gossip':
      return groups[Math.floor((i * n) / Math.max(1, servers.length))] ?? first;
  }
}
