import { z } from 'zod';
import { LIMITS } from '../scenario/limits';

/**
 * A lesson is a scenario with narration attached (the scenario's optional `lesson`), not a
 * format of its own: it plays, shares, exports and replays like any scenario. Each step is
 * a tick with a title and narration, optionally a multiple-choice question (answered before
 * the step is revealed) and the claims its narration makes about the run, stored as data
 * and checked (src/sim/lesson/claims.ts), so a lesson cannot say what its run does not show.
 *
 * The text lives here, in data: a translation is the same lesson with other strings.
 */

const Tick = z.number().int().min(0).max(LIMITS.ticks);
const NodeRef = z.string().min(1).max(LIMITS.idLength);
const Text = (max: number) => z.string().min(1).max(max);
const Count = z.number().int().min(0).max(1_000_000);

export const ANOMALY_KINDS = ['stale-read', 'lost-write', 'lost-update', 'fractured-read'] as const;
export const METRICS = [
  'messagesSent',
  'messagesDelivered',
  'droppedLost',
  'droppedCut',
  'droppedCrashed',
  'duplicated',
] as const;

/** A value a claim compares with: a primitive, or a list of them (mv-register siblings). */
const Primitive = z.union([z.string().max(LIMITS.valueBytes), z.number(), z.boolean(), z.null()]);
const ClaimValue = z.union([Primitive, z.array(Primitive).max(32)]);
const Key = z.string().min(1).max(LIMITS.keyLength);

const says = {
  says: Text(200).meta({ description: 'The sentence of the narration this claim backs, as a reader sees it checked.' }),
  panel: NodeRef.optional().meta({
    description:
      "In a comparison's lesson: the id of the panel whose world the claim is checked on (required there; a plain scenario has one world and refuses it).",
  }),
};
const bounds = { atLeast: Count.optional(), atMost: Count.optional() };

export const ClaimSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('outcome'),
      agent: NodeRef,
      op: z.string().min(1).max(40).optional(),
      outcome: z.enum(['ok', 'fail', 'info']),
      ...says,
    })
    .meta({ description: "The agent's latest completed operation at this step (of this kind, if named) ended so." }),
  z
    .strictObject({
      kind: z.literal('count'),
      of: z.enum(['ok', 'fail', 'info', 'completed']),
      agent: NodeRef.optional(),
      op: z.string().min(1).max(40).optional(),
      since: Tick.optional(),
      ...bounds,
      ...says,
    })
    .meta({
      description: 'How many operations (of an agent, a kind, completed since a tick) ended so, within bounds.',
    }),
  z.strictObject({ kind: z.literal('anomaly'), type: z.enum(ANOMALY_KINDS), ...bounds, ...says }).meta({
    description:
      'How many anomalies of this type the checker finds in the history so far (at least 1 unless bounded; atMost 0: none).',
  }),
  z.strictObject({ kind: z.literal('linearizable'), key: Key.optional(), holds: z.boolean(), ...says }).meta({
    description:
      'Whether the history so far (of one key, if named) is linearizable (the checker decides; "unknown" never satisfies a claim).',
  }),
  z.strictObject({ kind: z.literal('down'), node: NodeRef, down: z.boolean(), ...says }),
  z.strictObject({ kind: z.literal('cut'), from: NodeRef, to: NodeRef, cut: z.boolean(), ...says }),
  z.strictObject({ kind: z.literal('metric'), metric: z.enum(METRICS), ...bounds, ...says }),
  z
    .strictObject({
      kind: z.literal('holdings'),
      key: Key,
      agree: z
        .boolean()
        .optional()
        .meta({ description: 'Every server that should hold the key holds the same value (false: they disagree).' }),
      node: NodeRef.optional(),
      value: ClaimValue.optional().meta({
        description: 'What a read at `node` would see (null: nothing; a list: mv-register siblings). Needs `node`.',
      }),
      ...says,
    })
    .refine((c) => c.agree !== undefined || c.node !== undefined, {
      message: 'a holdings claim says `agree` or `node` and `value`',
    })
    .refine((c) => (c.node === undefined) === (c.value === undefined), {
      message: '`node` and `value` go together',
      path: ['value'],
    })
    .meta({
      description: "What the servers hold of a key, by the architecture's `holdings` (what a read at each would see).",
    }),
  z
    .strictObject({
      kind: z.literal('fact'),
      node: NodeRef,
      label: z.string().min(1).max(80),
      equals: z.union([z.string().max(200), z.number()]).optional(),
      /** Which number of the fact's text the bounds (or a numeric `equals`) read: "3 / 1" has two. */
      part: z.number().int().min(0).max(8).optional(),
      ...bounds,
      ...says,
    })
    .refine((c) => c.equals !== undefined || c.atLeast !== undefined || c.atMost !== undefined, {
      message: 'a fact claim says `equals`, `atLeast` or `atMost`',
    })
    .meta({
      description:
        "A server's labelled fact (the Inspect panel's), as text (`equals` a string) or as the `part`-th number in it.",
    }),
  z
    .strictObject({
      kind: z.literal('result'),
      agent: NodeRef,
      op: z.string().min(1).max(40).optional(),
      field: z
        .string()
        .min(1)
        .max(200)
        .meta({ description: 'A field of the result, or a dotted path into it (`state.alice`).' }),
      equals: ClaimValue.optional(),
      ...bounds,
      ...says,
    })
    .refine((c) => c.equals !== undefined || c.atLeast !== undefined || c.atMost !== undefined, {
      message: 'a result claim says `equals`, `atLeast` or `atMost`',
    })
    .meta({
      description:
        "A field of the result of the agent's latest completed operation (of this kind; it must have ended ok): equal to a value, or a number within bounds.",
    }),
]);
export type Claim = z.infer<typeof ClaimSchema>;

export const QuestionSchema = z
  .strictObject({
    prompt: Text(200),
    choices: z.array(Text(120)).min(2).max(5),
    /** Index of the right choice. */
    answer: z.number().int().min(0).max(4),
    /** Shown with the answer, once revealed. */
    explain: Text(400),
  })
  .refine((q) => q.answer < q.choices.length, { message: 'the answer must be one of the choices', path: ['answer'] });
export type Question = z.infer<typeof QuestionSchema>;

export const StepSchema = z.strictObject({
  tick: Tick,
  title: Text(80),
  text: Text(800),
  question: QuestionSchema.optional(),
  claims: z.array(ClaimSchema).max(8).optional(),
});
export type LessonStep = z.infer<typeof StepSchema>;

export const LessonSchema = z
  .strictObject({
    /** Stable id for links (`#lesson=<id>&step=4`). */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a lesson id is lower-case letters, digits and dashes'),
    /** BCP 47 language of the text. */
    lang: z.string().min(2).max(16),
    /** One or two sentences for the lesson menu. */
    summary: Text(300),
    steps: z.array(StepSchema).min(1).max(40),
  })
  .refine((l) => l.steps.every((s, i) => i === 0 || s.tick >= l.steps[i - 1]!.tick), {
    message: 'steps are in tick order',
    path: ['steps'],
  });
export type Lesson = z.infer<typeof LessonSchema>;
