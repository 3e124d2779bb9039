import { z } from 'zod';
import { LIMITS } from '../scenario/limits';
import { ScenarioSchema, type Scenario } from '../scenario/schema';
import { parseScenario } from '../scenario/validate';
import { ANOMALY_TYPES, FAULT_STARTS, GUARANTEES, type ChallengeFile } from './types';

/**
 * Challenge files, validated as scenarios are (size cap, JSON, strict schema, semantic checks):
 * a hostile file gets a message, never a crash. The types live in types.ts (zod-free).
 */
const Text = (max: number) => z.string().min(1).max(max);
const Tick = z.number().int().min(0).max(LIMITS.ticks);
const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id is lower-case letters, digits and dashes');

const ViolationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('anomaly'), type: z.enum(ANOMALY_TYPES) }),
  z.strictObject({ kind: z.literal('not-linearizable') }),
  z.strictObject({ kind: z.literal('session'), guarantee: z.enum(GUARANTEES) }),
  z.strictObject({ kind: z.literal('gossip-flaw'), flaw: z.enum(['tie', 'dropped']) }),
  z.strictObject({ kind: z.literal('discarded-write') }),
  z.strictObject({ kind: z.literal('2pc-blocked'), ticks: z.number().int().min(1).max(LIMITS.ticks) }),
]);

const Knob = z.union([
  z.string().regex(/^architecture\.[A-Za-z]{1,40}$/) as z.ZodType<`architecture.${string}`>,
  z.literal('durability'),
  z.literal('fallbacks'),
]);

const ChallengeSchema = z.strictObject({
  id: Id,
  version: z.number().int().min(1).max(1_000_000),
  title: Text(120),
  kind: z.enum(['break', 'keep', 'unbreakable']),
  level: z.number().int().min(1).max(1000),
  brief: Text(2000),
  goal: Text(600),
  violation: ViolationSchema,
  budget: z.strictObject({
    faults: z.number().int().min(0).max(100),
    kinds: z.array(z.enum(FAULT_STARTS)).max(FAULT_STARTS.length),
    ops: z.number().int().min(0).max(100),
    until: Tick,
    diskLoss: z.boolean().optional(),
  }),
  knobs: z.array(Knob).max(20),
  availability: z
    .strictObject({
      atLeast: z.number().min(0).max(1),
      from: Tick,
      to: Tick,
      groups: z
        .array(
          z.strictObject({
            name: Text(60),
            agents: z.array(z.string().min(1).max(LIMITS.idLength)).min(1).max(LIMITS.agents),
          }),
        )
        .max(16)
        .optional(),
    })
    .optional(),
  par: z.strictObject({ faults: z.number().int().min(0).max(100).optional(), tick: Tick.optional() }).optional(),
  hints: z.array(Text(600)).max(10),
  solution: Text(2000),
});

const FileSchema = z.strictObject({ format: z.literal(1), challenge: ChallengeSchema, scenario: ScenarioSchema });

/** The first of zod's issues, as "path: message". */
export function firstIssue(issues: readonly z.core.$ZodIssue[]): string {
  const i = issues[0];
  return `${i?.path.map(String).join('.') || '(top)'}: ${i?.message ?? ''}`;
}

/** A scenario inside a file or a receipt that did not validate, in one sentence. */
export function scenarioProblem(errors: readonly { path: string; message: string }[]): string {
  return `its scenario is not valid: ${errors[0]?.path}: ${errors[0]?.message}`;
}

export type ParsedChallenge = { ok: true; file: ChallengeFile } | { ok: false; error: string };

/** The largest challenge file read (characters). */
export const MAX_CHALLENGE_CHARS = 2_000_000;

export function parseChallengeText(text: string): ParsedChallenge {
  if (text.length > MAX_CHALLENGE_CHARS)
    return { ok: false, error: `the file is larger than ${MAX_CHALLENGE_CHARS} characters` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not a challenge file: it is not JSON' };
  }
  return parseChallenge(raw);
}

export function parseChallenge(raw: unknown): ParsedChallenge {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: 'not a challenge file: it is not a JSON object' };
  const r = FileSchema.safeParse(raw);
  if (!r.success) return { ok: false, error: `not a valid challenge: ${firstIssue(r.error.issues)}` };
  const sc = parseScenario(r.data.scenario);
  if (!sc.ok) return { ok: false, error: scenarioProblem(sc.errors) };
  const scenario: Scenario = sc.scenario;
  const c = r.data.challenge;
  const agents = new Set(scenario.agents.map((a) => a.id));
  for (const g of c.availability?.groups ?? [])
    for (const a of g.agents)
      if (!agents.has(a)) return { ok: false, error: `availability group ${g.name} names ${a}, which is not an agent` };
  for (const k of c.knobs) {
    if (!k.startsWith('architecture.')) continue;
    const field = k.slice('architecture.'.length);
    if (field === 'kind' || !(field in scenario.architecture))
      return { ok: false, error: `knob ${k}: the ${scenario.architecture.kind} architecture has no setting ${field}` };
  }
  if (c.kind === 'keep' && c.knobs.length === 0) return { ok: false, error: 'a keep-it challenge needs knobs' };
  return { ok: true, file: { format: 1, challenge: c as ChallengeFile['challenge'], scenario } };
}
