import type { Dict } from '../core/dict';
import type { Streams } from '../core/rng';
import type { OpRecord } from '../history/types';
import type { AgentState } from '../agents/agent';
import type { NetState } from '../net/network';
import type { ArchitectureConfig } from '../scenario/schema';
import type { DurabilityState } from '../durability/types';
import type { HealthState } from '../health/health';

/** A message on the wire. Payloads are plain data; ids are unique in the world. */
export interface Message {
  id: number;
  from: string;
  to: string;
  sentAt: number;
  deliverAt: number;
  payload: unknown;
  /** True for the extra copy the network made (duplication). */
  duplicate: boolean;
}

/** A timer a node set for itself. Fires at `at` unless its node is crashed by then. */
export interface Timer {
  id: number;
  node: string;
  at: number;
  payload: unknown;
}

export interface ServerNode {
  id: string;
  /** The architecture's state for this node; its shape belongs to the architecture. */
  state: unknown;
}

/** Why an action in the log could not be applied when its tick came (kept, shown, hashed). */
export interface ActionError {
  index: number;
  tick: number;
  reason: string;
}

export interface Metrics {
  messagesSent: number;
  messagesDelivered: number;
  /** Dropped by loss at send, by a cut link, by a crashed receiver, or by hand. */
  droppedLost: number;
  droppedCut: number;
  droppedCrashed: number;
  droppedByHand: number;
  duplicated: number;
  timersFired: number;
  /** Ticks at which anything happened (the cursor's stops). */
  busyTicks: number;
}

/**
 * Everything that exists at one tick. Plain JSON data, so a checkpoint is a copy, the hash
 * is over a canonical serialisation of all of it, and nothing is hidden in closures.
 */
export interface World {
  seed: number;
  /** The last tick processed; -1 before tick 0. */
  now: number;
  /** Next id for messages, timers and operations: one counter, so ids order creation. */
  nextId: number;
  /** How many actions of the scenario's log have been applied. */
  actionsApplied: number;
  rng: Streams;
  arch: ArchitectureConfig;
  net: NetState;
  servers: Dict<ServerNode>;
  agents: Dict<AgentState>;
  /** Pending timers, ordered by (at, id). */
  timers: Timer[];
  history: OpRecord[];
  actionErrors: ActionError[];
  metrics: Metrics;
  /** Disks, backups and their archive: absent unless the scenario or an action uses them. */
  durability?: DurabilityState;
  /** Heartbeats and failure detectors (src/sim/health); absent unless the scenario enables them. */
  health?: HealthState;
}
