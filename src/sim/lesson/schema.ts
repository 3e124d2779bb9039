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
export const METRICS = ['messagesSent', 'messagesDelivered', 'droppedLost', 'droppedCut', 'droppedCrashed', 'duplicated'] as const;

const says = { says: Text(200).meta({ description: 'The sentence of the narration this claim backs, as a reader sees it checked.' }) };
const bounds = { atLeast: Count.optional(), atMost: Count.optional() };

export const ClaimSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('outcome'),
    agent: NodeRef,
    op: z.string().min(1).max(40).optional(),
    outcome: z.enum(['ok', 'fail', 'info']),
    ...says,
  }).meta({ description: "The agent's latest completed operation at this step (of this kind, if named) ended so." }),
  z.strictObject({
    kind: z.literal('count'),
    of: z.enum(['ok', 'fail', 'info', 'completed']),
    agent: NodeRef.optional(),
    op: z.string().min(1).max(40).optional(),
    since: Tick.optional(),
    ...bounds,
    ...says,
  }).meta({ description: 'How many operations (of an agent, a kind, completed since a tick) ended so, within bounds.' }),
  z.strictObject({ kind: z.literal('anomaly'), type: z.enum(ANOMALY_KINDS), ...bounds, ...says })
    .meta({ description: 'How many anomalies of this type the checker finds in the history so far (at least 1 unless bounded; atMost 0: none).' }),
  z.strictObject({ kind: z.literal('linearizable'), holds: z.boolean(), ...says })
    .meta({ description: 'Whether the history so far is linearizable (the checker decides; "unknown" never satisfies a claim).' }),
  z.strictObject({ kind: z.literal('down'), node: NodeRef, down: z.boolean(), ...says }),
  z.strictObject({ kind: z.literal('cut'), from: NodeRef, to: NodeRef, cut: z.boolean(), ...says }),
  z.strictObject({ kind: z.literal('metric'), metric: z.enum(METRICS), ...bounds, ...says }),
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
