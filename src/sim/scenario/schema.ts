import { z } from 'zod';

/**
 * The scenario format: the one thing StateLab saves. A scenario is a seed, one architecture
 * with its configuration, the initial agents and their workloads, and the log of actions a
 * user or a lesson took, each stamped with a tick. See docs/scenario-format.md.
 *
 * Every object is strict (unknown fields are an error, not silently dropped) and every size
 * is capped, because scenarios arrive from links and files written by anyone.
 */

import { FORMAT_VERSION, LIMITS } from './limits';
import { EventSourcingConfigSchema } from '../architectures/event-sourcing/config';
import { PartitionedConfigSchema } from '../architectures/partitioned/config';
import { GossipConfigSchema } from '../architectures/gossip/config';
import { LessonSchema } from '../lesson/schema';
import { FallbackSchema, HealthConfigSchema } from '../health/config';
export { FORMAT_VERSION, LIMITS };

export const NodeId = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a node id is a letter followed by letters, digits, _ or -');

/** Keys are any text (hostile ones included: the store keeps them safely), within a size. */
export const Key = z.string().min(1).max(LIMITS.keyLength);

type JsonIn = string | number | boolean | null | JsonIn[] | { [k: string]: JsonIn };

/**
 * Why `v` is not plain JSON within our caps, or null. Checked in place rather than copied:
 * a copying parser writes `out[key] = …`, and for the key "__proto__" that sets the copy's
 * prototype instead of keeping the key. JSON.parse makes it an own property; we keep it so.
 */
export function jsonProblem(v: unknown, depth = 0): string | null {
  if (depth > 32) return 'nested more than 32 levels deep';
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : 'numbers must be finite';
  if (Array.isArray(v)) {
    if (v.length > 256) return 'a list has more than 256 items';
    for (const x of v) {
      const p = jsonProblem(x, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 'only plain objects are allowed';
    const keys = Object.keys(v);
    if (keys.length > 256) return 'an object has more than 256 keys';
    for (const k of keys) {
      if (k.length > LIMITS.keyLength) return `a key is longer than ${LIMITS.keyLength} characters`;
      const p = jsonProblem((v as Record<string, unknown>)[k], depth + 1);
      if (p) return p;
    }
    return null;
  }
  return `a ${typeof v} is not JSON`;
}

export const JsonValueSchema = z
  .custom<JsonIn>((v) => jsonProblem(v) === null, {
    error: (iss) => `not plain JSON: ${jsonProblem(iss.input) ?? 'invalid'}`,
  })
  .meta({
    description: 'Any JSON value: at most 32 levels deep, 256 items per list or object, keys up to 128 characters.',
  });

/** A JSON object (operation arguments): kept as given, so hostile keys stay data. */
export const JsonObjectSchema = z
  .custom<{ [k: string]: JsonIn }>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && jsonProblem(v) === null,
    { error: (iss) => `must be a JSON object${jsonProblem(iss.input) ? `: ${jsonProblem(iss.input)}` : ''}` },
  )
  .meta({
    type: 'object',
    description: "The operation's arguments, as its architecture's registry names them (e.g. {key, value}).",
  });

/** A value a user writes: JSON, at most LIMITS.valueBytes when serialised. */
export const Value = JsonValueSchema.refine(
  (v) => JSON.stringify(v).length <= LIMITS.valueBytes,
  `a value is at most ${LIMITS.valueBytes} characters of JSON`,
);

const Tick = z.number().int().min(0).max(LIMITS.ticks);
const Probability = z.number().min(0).max(1);

export const WorkloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('idle') }),
  z.strictObject({
    kind: z.literal('random'),
    /** Keys drawn uniformly; a key listed twice is drawn twice as often (a hot key). */
    keys: z.array(Key).min(1).max(LIMITS.keys),
    /** Mean ticks between an operation's completion and the next invocation. */
    interval: z.number().int().min(1).max(10_000),
    /** Relative weights of the operations drawn. */
    mix: z
      .strictObject({
        get: z.number().int().min(0).max(100),
        set: z.number().int().min(0).max(100),
        delete: z.number().int().min(0).max(100),
        update: z.number().int().min(0).max(100),
      })
      .refine((m) => m.get + m.set + m.delete + m.update > 0, 'the mix needs at least one operation'),
  }),
  z.strictObject({
    /** The reference's robot: moves, publishes <id>.position and <id>.status, reads neighbours'. */
    kind: z.literal('robot'),
    interval: z.number().int().min(1).max(10_000),
    neighbours: z.array(NodeId).max(LIMITS.agents),
  }),
]);
export type Workload = z.infer<typeof WorkloadSchema>;

export const AgentSpecSchema = z.strictObject({
  id: NodeId,
  workload: WorkloadSchema,
  /** Ticks an agent waits for a reply before the operation's outcome becomes unknown. */
  timeout: z.number().int().min(1).max(100_000),
  /** Resend the same request (same id, deduplicated by the server) every N ticks; 0: never. */
  retryEvery: z.number().int().min(0).max(100_000),
  /** What it does while its failure detector suspects its server (needs `health`); absent: none. */
  fallback: FallbackSchema.optional(),
});
export type AgentSpec = z.infer<typeof AgentSpecSchema>;

export const CentralizedConfigSchema = z.strictObject({
  kind: z.literal('centralized'),
  /** Ticks the store spends on each request; requests wait in its queue meanwhile. */
  serviceTime: z.number().int().min(1).max(1_000),
});
export const ArchitectureConfigSchema = z.discriminatedUnion('kind', [
  CentralizedConfigSchema,
  EventSourcingConfigSchema,
  PartitionedConfigSchema,
  GossipConfigSchema,
]);
export type ArchitectureConfig = z.infer<typeof ArchitectureConfigSchema>;

export const NetworkConfigSchema = z.strictObject({
  /** Ticks a message takes on a link (at least 1: nothing arrives in the tick it was sent). */
  latency: z.number().int().min(1).max(LIMITS.latency),
  /** Extra ticks drawn uniformly in [0, jitter] per message. */
  jitter: z.number().int().min(0).max(LIMITS.latency),
  loss: Probability,
  duplication: Probability,
});
export type NetworkConfig = z.infer<typeof NetworkConfigSchema>;

/**
 * What a crash does to a server's disk: `kept` (crash-recover, the default), `unflushed-lost`
 * (power loss: what was not yet flushed is gone), `lost` (the disk is gone: the node comes
 * back empty until restored).
 */
export const DiskModeSchema = z.enum(['kept', 'unflushed-lost', 'lost']);
export type DiskMode = z.infer<typeof DiskModeSchema>;
const FlushEvery = z.number().int().min(1).max(100_000);
/** Ticks between scheduled backups; 0: none. */
const BackupEvery = z.number().int().min(0).max(100_000);
const BackupId = z.number().int().min(1).max(1_000_000);

/**
 * How servers keep their data (absent: storage survives every crash, as before). Defaults
 * for every server, then per-node overrides.
 */
export const DurabilitySchema = z.strictObject({
  /** A write-ahead log flushed before acknowledging: acknowledged writes survive power loss. */
  wal: z.boolean(),
  /** Without a WAL, the state is flushed to disk every N ticks. */
  flushEvery: FlushEvery,
  backupEvery: BackupEvery.optional(),
  nodes: z
    .array(
      z.strictObject({
        node: NodeId,
        wal: z.boolean().optional(),
        flushEvery: FlushEvery.optional(),
        backupEvery: BackupEvery.optional(),
      }),
    )
    .max(LIMITS.agents)
    .optional(),
});
export type DurabilityConfig = z.infer<typeof DurabilitySchema>;

const at = { tick: Tick };
export const ActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...at,
    type: z.literal('op'),
    agent: NodeId,
    op: z.string().min(1).max(40),
    args: JsonObjectSchema,
  }),
  z.strictObject({ ...at, type: z.literal('spawn-agent'), agent: AgentSpecSchema }),
  z.strictObject({ ...at, type: z.literal('remove-agent'), agent: NodeId }),
  z.strictObject({ ...at, type: z.literal('set-workload'), agent: NodeId, workload: WorkloadSchema }),
  z.strictObject({ ...at, type: z.literal('cut-link'), from: NodeId, to: NodeId }),
  z.strictObject({ ...at, type: z.literal('heal-link'), from: NodeId, to: NodeId }),
  z.strictObject({
    ...at,
    type: z.literal('set-link'),
    from: NodeId,
    to: NodeId,
    latency: z.number().int().min(1).max(LIMITS.latency).optional(),
    loss: Probability.optional(),
    duplication: Probability.optional(),
  }),
  z.strictObject({
    ...at,
    type: z.literal('partition'),
    groups: z.array(z.array(NodeId).min(1).max(LIMITS.agents)).min(2).max(16),
  }),
  z.strictObject({ ...at, type: z.literal('heal-all') }),
  z.strictObject({ ...at, type: z.literal('crash'), node: NodeId, disk: DiskModeSchema.optional() }),
  z.strictObject({ ...at, type: z.literal('recover'), node: NodeId }),
  z.strictObject({ ...at, type: z.literal('drop-message'), message: z.number().int().min(0) }),
  z.strictObject({ ...at, type: z.literal('deliver-message'), message: z.number().int().min(0) }),
  z.strictObject({ ...at, type: z.literal('configure'), config: ArchitectureConfigSchema }),
  // Durability, backups and point-in-time recovery (docs/engine.md, "Durability").
  z.strictObject({
    ...at,
    type: z.literal('set-durability'),
    node: NodeId.optional(),
    wal: z.boolean().optional(),
    flushEvery: FlushEvery.optional(),
  }),
  z.strictObject({ ...at, type: z.literal('schedule-backups'), node: NodeId.optional(), every: BackupEvery }),
  z.strictObject({ ...at, type: z.literal('backup'), node: NodeId.optional() }),
  z.strictObject({ ...at, type: z.literal('restore'), node: NodeId, target: Tick, backup: BackupId.optional() }),
  z.strictObject({ ...at, type: z.literal('restore-drill'), node: NodeId, backup: BackupId.optional() }),
  z.strictObject({ ...at, type: z.literal('corrupt-backup'), backup: BackupId }),
  /** Turns health checks on (or changes the detector), or off with null. */
  z.strictObject({ ...at, type: z.literal('set-health'), health: HealthConfigSchema.nullable() }),
  z.strictObject({ ...at, type: z.literal('set-fallback'), agent: NodeId, fallback: FallbackSchema }),
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionType = Action['type'];

export const ScenarioSchema = z.strictObject({
  format: z.literal(FORMAT_VERSION),
  name: z.string().max(LIMITS.nameLength),
  seed: z.number().int().min(0).max(0xffff_ffff),
  /** The tick the scenario runs to; the timeline ends here. */
  duration: z.number().int().min(1).max(LIMITS.ticks),
  architecture: ArchitectureConfigSchema,
  network: NetworkConfigSchema,
  agents: z.array(AgentSpecSchema).max(LIMITS.agents),
  durability: DurabilitySchema.optional(),
  /** Heartbeats and a failure detector from tick 0 (docs/health.md); absent: none. */
  health: HealthConfigSchema.optional(),
  actions: z.array(ActionSchema).max(LIMITS.actions),
  /** Narration, questions and checked claims at ticks: a scenario with this is a lesson. */
  lesson: LessonSchema.optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

/** An action before it is stamped: what a user does, the timeline adds the tick. */
export type ActionInput = DistributiveOmit<Action, 'tick'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
