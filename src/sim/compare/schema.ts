import { z } from 'zod';
import {
  AgentSpecSchema,
  ArchitectureConfigSchema,
  JsonObjectSchema,
  NetworkConfigSchema,
  NodeId,
} from '../scenario/schema';
import { LessonSchema } from '../lesson/schema';
import { LIMITS } from '../scenario/limits';
import { COMPARISON_FORMAT, MAX_GROUPS, MAX_PANELS } from './limits';

/**
 * The comparison format's validator (strict, capped, as the scenario's): what a link or a
 * file carries. Types and built-ins live in constants.ts, so only the decoder loads zod.
 * Semantic checks (groups name real agents, ticks in order, placements name real servers)
 * are in validate.ts.
 */

const Tick = z.number().int().min(0).max(LIMITS.ticks);

/**
 * The fault schedule, in terms every architecture understands: groups. `cut` cuts every link
 * between the nodes of two groups, both ways (agents and the servers placed there); `heal`
 * heals every cut; `crash`/`recover` act on the servers placed in a group; `quiesce` stops
 * every agent's workload, so what is left to see is convergence.
 */
export const FaultStepSchema = z.discriminatedUnion('type', [
  z.strictObject({ tick: Tick, type: z.literal('cut'), a: NodeId, b: NodeId }),
  z.strictObject({ tick: Tick, type: z.literal('heal') }),
  z.strictObject({ tick: Tick, type: z.literal('crash'), group: NodeId }),
  z.strictObject({ tick: Tick, type: z.literal('recover'), group: NodeId }),
  z.strictObject({ tick: Tick, type: z.literal('quiesce') }),
]);

export const ComparePanelSchema = z.strictObject({
  id: NodeId,
  label: z.string().min(1).max(80),
  architecture: ArchitectureConfigSchema,
  /** Server id → group id. Servers not listed take their architecture's default place. */
  placement: z.record(NodeId, NodeId).optional(),
});

export const ComparisonSchema = z.strictObject({
  format: z.literal(COMPARISON_FORMAT),
  name: z.string().max(LIMITS.nameLength),
  seed: z.number().int().min(0).max(0xffff_ffff),
  duration: z.number().int().min(1).max(100_000),
  network: NetworkConfigSchema,
  groups: z
    .array(z.strictObject({ id: NodeId, agents: z.array(NodeId).max(LIMITS.agents) }))
    .min(1)
    .max(MAX_GROUPS),
  agents: z.array(AgentSpecSchema).min(1).max(LIMITS.agents),
  faults: z.array(FaultStepSchema).max(256),
  panels: z.array(ComparePanelSchema).min(1).max(MAX_PANELS),
  /**
   * Scripted operations, the same on every panel (a scenario's `op` actions): so a lesson can
   * narrate one specific write. Absent: only the agents' workloads run, as before.
   */
  ops: z
    .array(z.strictObject({ tick: Tick, agent: NodeId, op: z.string().min(1).max(40), args: JsonObjectSchema }))
    .max(LIMITS.actions)
    .optional(),
  /** Narration on the shared clock: a comparison with this is a lesson; each claim names its panel. */
  lesson: LessonSchema.optional(),
});

export type FaultStep = z.infer<typeof FaultStepSchema>;
export type ScriptedOp = NonNullable<z.infer<typeof ComparisonSchema>['ops']>[number];
export type ComparePanel = z.infer<typeof ComparePanelSchema>;
export type Comparison = z.infer<typeof ComparisonSchema>;
export type CompareGroup = Comparison['groups'][number];
