import type { AgentSpec, Scenario, Workload } from './schema';
import { FORMAT_VERSION } from './limits';
import { defaultEventSourcingConfig } from '../architectures/event-sourcing/constants';
import { defaultPartitionedConfig } from '../architectures/partitioned/constants';

/** Scenarios that ship with StateLab: the default one a newcomer sees, and the examples. */

const randomWork = (keys: string[], interval: number): Workload => ({
  kind: 'random',
  keys,
  interval,
  mix: { get: 5, set: 4, delete: 1, update: 1 },
});

export function agent(id: string, workload: Workload, timeout = 20): AgentSpec {
  return { id, workload, timeout, retryEvery: 0 };
}

/** The first thing anyone sees: a centralized store with three agents writing and reading. */
export function defaultScenario(): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'Centralized store, three agents',
    seed: 42,
    duration: 600,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 3, jitter: 1, loss: 0, duplication: 0 },
    agents: ['agent1', 'agent2', 'agent3'].map((id) => agent(id, randomWork(['x', 'y', 'z'], 12))),
    actions: [],
  };
}

/** The reference's usage, as robots publishing agentN.position and agentN.status. */
export function robotsScenario(): Scenario {
  const ids = ['agent1', 'agent2', 'agent3', 'agent4'];
  return {
    format: FORMAT_VERSION,
    name: 'Robots publish their positions',
    seed: 7,
    duration: 400,
    architecture: { kind: 'centralized', serviceTime: 2 },
    network: { latency: 4, jitter: 2, loss: 0, duplication: 0 },
    agents: ids.map((id) => agent(id, { kind: 'robot', interval: 10, neighbours: ids.filter((n) => n !== id) })),
    actions: [],
  };
}

/** Faults: a cut link, a crash and recovery, loss and duplication, a late partition. */
export function faultsScenario(): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'Store under faults',
    seed: 2026,
    duration: 800,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 3, jitter: 2, loss: 0.05, duplication: 0.1 },
    agents: [
      { ...agent('agent1', randomWork(['a', 'b'], 8), 25), retryEvery: 8 },
      agent('agent2', randomWork(['a', 'b'], 10), 25),
      agent('agent3', randomWork(['a', 'b', 'c'], 9), 25),
    ],
    actions: [
      { tick: 100, type: 'cut-link', from: 'agent2', to: 'store' },
      { tick: 180, type: 'heal-link', from: 'agent2', to: 'store' },
      { tick: 250, type: 'crash', node: 'store' },
      { tick: 320, type: 'recover', node: 'store' },
      {
        tick: 400,
        type: 'op',
        agent: 'agent3',
        op: 'update',
        args: { updates: { a: 'batch', b: 'batch', c: 'batch' } },
      },
      {
        tick: 450,
        type: 'partition',
        groups: [
          ['agent1', 'store'],
          ['agent2', 'agent3'],
        ],
      },
      { tick: 520, type: 'heal-all' },
      { tick: 600, type: 'spawn-agent', agent: agent('agent4', randomWork(['a', 'c'], 6), 25) },
      { tick: 700, type: 'remove-agent', agent: 'agent1' },
    ],
  };
}

/** Event sourcing: agents append to a log and read from projections; one falls behind for a while. */
export function eventSourcingScenario(): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'Event sourcing: a log and two projections',
    seed: 6,
    duration: 600,
    architecture: defaultEventSourcingConfig(),
    network: { latency: 3, jitter: 1, loss: 0, duplication: 0 },
    agents: ['agent1', 'agent2', 'agent3'].map((id) => agent(id, randomWork(['x', 'y', 'z'], 12))),
    actions: [
      { tick: 250, type: 'cut-link', from: 'log', to: 'proj1' },
      { tick: 350, type: 'heal-link', from: 'log', to: 'proj1' },
    ],
  };
}

/**
 * Gossip: four replicas, an agent at each; the cluster splits in two while everyone writes,
 * heals, and the writing stops, so the rounds that bring the replicas together can be stepped.
 */
export function gossipScenario(): Scenario {
  const ids = ['agent1', 'agent2', 'agent3', 'agent4'];
  return {
    format: FORMAT_VERSION,
    name: 'Gossip: four replicas split, write, heal and converge',
    seed: 8,
    duration: 600,
    architecture: {
      kind: 'gossip',
      replicas: ['r1', 'r2', 'r3', 'r4'],
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
    },
    network: { latency: 2, jitter: 1, loss: 0, duplication: 0 },
    agents: ids.map((id) => agent(id, randomWork(['x', 'y', 'z'], 25))),
    actions: [
      {
        tick: 60,
        type: 'partition',
        groups: [
          ['r1', 'r2'],
          ['r3', 'r4'],
        ],
      },
      { tick: 120, type: 'heal-all' },
      ...ids.map((id) => ({
        tick: 160,
        type: 'set-workload' as const,
        agent: id,
        workload: { kind: 'idle' as const },
      })),
    ],
  };
}

/**
 * Partitioned state: the reference's three shards behind a coordinator (md5 % 3). agent1
 * hammers one hot key, so the load bars show one shard as the bottleneck (the random
 * workload with a skewed key list: there is no separate hot-key workload).
 */
export function partitionedScenario(): Scenario {
  const spread = ['apple', 'grape', 'mango', 'quince', 'zebra', 'kiwi', 'lemon', 'cherry'];
  return {
    format: FORMAT_VERSION,
    name: 'Partitioned: a coordinator, three shards and a hot key',
    seed: 7,
    duration: 600,
    architecture: { ...defaultPartitionedConfig(3), opTimeout: 20 },
    network: { latency: 2, jitter: 1, loss: 0, duplication: 0 },
    agents: [
      agent(
        'agent1',
        { kind: 'random', keys: ['hot'], interval: 4, mix: { get: 3, set: 3, delete: 0, update: 0 } },
        40,
      ),
      agent('agent2', randomWork(['hot', ...spread.slice(0, 4)], 10), 40),
      agent('agent3', randomWork(spread, 10), 40),
    ],
    actions: [],
  };
}

/**
 * Durability: a store without a write-ahead log (flushed every 50 ticks) and a backup every
 * 100. A power cut loses the writes since the last flush; later the disk is lost, and a
 * point-in-time restore brings the store back as it was at tick 270, listing the
 * acknowledged writes after that tick; a restore drill then checks the backups.
 */
export function backupsScenario(): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'Backups and point-in-time recovery',
    seed: 11,
    duration: 500,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 3, jitter: 1, loss: 0, duplication: 0 },
    agents: ['agent1', 'agent2', 'agent3'].map((id) => agent(id, randomWork(['x', 'y', 'z'], 10))),
    durability: { wal: false, flushEvery: 50, backupEvery: 100 },
    actions: [
      { tick: 145, type: 'crash', node: 'store', disk: 'unflushed-lost' },
      { tick: 150, type: 'recover', node: 'store' },
      { tick: 300, type: 'crash', node: 'store', disk: 'lost' },
      { tick: 320, type: 'restore', node: 'store', target: 270 },
      { tick: 330, type: 'restore-drill', node: 'store' },
    ],
  };
}

/**
 * Health checks and fallbacks: agents watch the replica they use with heartbeats. r1 crashes:
 * its watchers suspect it, then mark it down, and each of its three agents falls back its
 * own way (fail at once, another replica, its own cache, stale). Later the link r2 → agent4
 * slows past the timeout: agent4 suspects a replica that is up (a false suspicion).
 */
export function healthScenario(): Scenario {
  const reads = (keys: string[]): Workload => ({
    kind: 'random',
    keys,
    interval: 8,
    mix: { get: 3, set: 2, delete: 0, update: 0 },
  });
  return {
    format: FORMAT_VERSION,
    name: 'Health checks and fallbacks',
    seed: 10,
    duration: 600,
    architecture: {
      kind: 'gossip',
      replicas: ['r1', 'r2', 'r3'],
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
      attach: { agent1: 'r1', agent2: 'r1', agent3: 'r1', agent4: 'r2' },
    },
    network: { latency: 2, jitter: 1, loss: 0, duplication: 0 },
    agents: [
      { ...agent('agent1', reads(['x', 'y'])), fallback: 'fail-fast' },
      { ...agent('agent2', reads(['x', 'y'])), fallback: 'retry-other' },
      { ...agent('agent3', reads(['x', 'y'])), fallback: 'cache' },
      agent('agent4', reads(['x', 'y'])),
    ],
    health: { period: 4, detector: 'timeout', suspectAfter: 12, downAfter: 30 },
    actions: [
      { tick: 150, type: 'crash', node: 'r1' },
      { tick: 300, type: 'recover', node: 'r1' },
      { tick: 380, type: 'set-link', from: 'r2', to: 'agent4', latency: 40 },
      { tick: 470, type: 'set-link', from: 'r2', to: 'agent4', latency: 2 },
    ],
  };
}

export const builtinScenarios: { id: string; make: () => Scenario }[] = [
  { id: 'default', make: defaultScenario },
  { id: 'robots', make: robotsScenario },
  { id: 'faults', make: faultsScenario },
  { id: 'event-sourcing', make: eventSourcingScenario },
  { id: 'gossip', make: gossipScenario },
  { id: 'partitioned', make: partitionedScenario },
  { id: 'backups', make: backupsScenario },
  { id: 'health', make: healthScenario },
];
