import type { Lesson, LessonStep, Question, Scenario } from '../sim/index';
import { LIMITS } from '../sim/scenario/limits';

/**
 * Writing a lesson in the app: a small pure model of the editor's draft. A lesson is a
 * scenario with a `lesson` field, so the draft is applied to the lab's scenario after every
 * accepted edit (`applyDraft`) and travels with it: autosave, share links, files.
 *
 * Every edit either returns a draft whose lesson the scenario validator accepts, or is
 * refused with a sentence saying why (and the field it is about). The limits are the lesson
 * schema's (src/sim/lesson/schema.ts), checked here by hand so the app's editor does not
 * load the validator; the property test holds the two to the same answers.
 *
 * Steps follow the run: a lesson's steps are in tick order (the player plays forward from
 * one to the next). So a step moves in the lesson by moving in time (`retime`, e.g. to the
 * cursor: the draft re-sorts, keeping the order of steps at one tick), and Move up / Move
 * down only reorder steps at the same tick; across ticks they are refused with the way to
 * do it, because silently changing a step's tick would attach its caption (and its checked
 * claims) to another moment of the run.
 */

export const TEXT_LIMITS = {
  title: 80,
  text: 800,
  prompt: 200,
  choice: 120,
  explain: 400,
  summary: 300,
  name: LIMITS.nameLength,
  minChoices: 2,
  maxChoices: 5,
  steps: 40,
} as const;

const ID_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface Draft {
  /** The scenario's name: a lesson's title. */
  title: string;
  summary: string;
  lang: string;
  id: string;
  steps: LessonStep[];
}

/** What a person typed for a step (the question is optional). */
export interface StepInput {
  tick: number;
  title: string;
  text: string;
  question?: QuestionInput | null;
}

export interface QuestionInput {
  prompt: string;
  choices: string[];
  answer: number;
  explain: string;
}

export interface Refusal {
  ok: false;
  /** A sentence for the page. */
  message: string;
  /** Which input it is about (`title`, `text`, `prompt`, `choices.2`, `answer`, `explain`, `tick`, `summary`, `lang`, `step`). */
  field: string;
}

export type EditResult = { ok: true; draft: Draft; at: number } | Refusal;

const refuse = (field: string, message: string): Refusal => ({ ok: false, field, message });

/** A lesson id from a title: lower-case letters, digits and dashes, at most 40 characters. */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/^lesson:\s*/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 34)
    .replace(/-+$/g, '');
  return s || 'my-lesson';
}

/** `base`, or `base-2`, `base-3`…: an id none of `taken` uses (the built-in lessons'). */
export function uniqueId(base: string, taken: readonly string[]): string {
  const b = ID_RE.test(base) ? base : slugify(base);
  if (!taken.includes(b)) return b;
  for (let n = 2; ; n++) {
    const id = `${b}-${n}`;
    if (!taken.includes(id)) return id;
  }
}

/**
 * The draft of the scenario on screen: its lesson if it has one (a built-in lesson's id is
 * made the teacher's own, so their copy never passes for the original), else an empty one.
 */
export function draftFrom(scenario: Scenario, builtinIds: readonly string[]): Draft {
  const l = scenario.lesson;
  const title = scenario.name.trim() || 'My lesson';
  if (l) {
    const id = builtinIds.includes(l.id) ? uniqueId(slugify(title), builtinIds) : l.id;
    return { title, summary: l.summary, lang: l.lang, id, steps: l.steps };
  }
  return {
    title,
    summary: `A lesson recorded in StateLab: ${title}`.slice(0, TEXT_LIMITS.summary),
    lang: 'en',
    id: uniqueId(slugify(title), builtinIds),
    steps: [],
  };
}

/** The lesson of a draft, or undefined while it has no step (a lesson has at least one). */
export function lessonOf(d: Draft): Lesson | undefined {
  if (d.steps.length === 0) return undefined;
  return { id: d.id, lang: d.lang, summary: d.summary, steps: d.steps };
}

/** The scenario with the draft as its name and lesson (no `lesson` field while it has no step). */
export function applyDraft(scenario: Scenario, d: Draft): Scenario {
  const { lesson: _old, ...rest } = scenario;
  const lesson = lessonOf(d);
  return lesson ? { ...rest, name: d.title, lesson } : { ...rest, name: d.title };
}

// ------------------------------------------------------------------ checks

function checkText(field: string, what: string, value: string, max: number): Refusal | null {
  const t = value.trim();
  if (t === '') return refuse(field, `${what} is empty: write something.`);
  if (t.length > max) return refuse(field, `${what} is ${t.length} characters long; the most is ${max}.`);
  return null;
}

function checkTick(tick: number, duration: number): Refusal | null {
  if (!Number.isInteger(tick) || tick < 0) return refuse('tick', 'The tick is a whole number from 0.');
  if (tick > duration) return refuse('tick', `Tick ${tick} is after the scenario's end (${duration}).`);
  return null;
}

/** A question as typed → the schema's question, or why not. Empty choices are dropped. */
export function toQuestion(q: QuestionInput): Question | Refusal {
  const bad = checkText('prompt', 'The question', q.prompt, TEXT_LIMITS.prompt);
  if (bad) return bad;
  const kept: { text: string; was: number }[] = [];
  q.choices.forEach((c, i) => {
    if (c.trim() !== '') kept.push({ text: c.trim(), was: i });
  });
  if (kept.length < TEXT_LIMITS.minChoices)
    return refuse('choices', `A question needs at least ${TEXT_LIMITS.minChoices} choices; it has ${kept.length}.`);
  if (kept.length > TEXT_LIMITS.maxChoices)
    return refuse('choices', `A question has at most ${TEXT_LIMITS.maxChoices} choices; it has ${kept.length}.`);
  for (const c of kept) {
    if (c.text.length > TEXT_LIMITS.choice)
      return refuse(
        `choices.${c.was}`,
        `Choice ${c.was + 1} is ${c.text.length} characters long; the most is ${TEXT_LIMITS.choice}.`,
      );
  }
  const answer = kept.findIndex((c) => c.was === q.answer);
  if (answer < 0) return refuse('answer', 'Mark which choice is right (it cannot be an empty one).');
  const explain = checkText('explain', 'The explanation', q.explain, TEXT_LIMITS.explain);
  if (explain) return explain;
  return { prompt: q.prompt.trim(), choices: kept.map((c) => c.text), answer, explain: q.explain.trim() };
}

/** A step as typed → the schema's step (keeping `claims` of the step it replaces), or why not. */
export function toStep(input: StepInput, duration: number, claims?: LessonStep['claims']): LessonStep | Refusal {
  const tick = checkTick(input.tick, duration);
  if (tick) return tick;
  const title = checkText('title', 'The title', input.title, TEXT_LIMITS.title);
  if (title) return title;
  const text = checkText('text', 'The caption', input.text, TEXT_LIMITS.text);
  if (text) return text;
  const step: LessonStep = { tick: input.tick, title: input.title.trim(), text: input.text.trim() };
  if (input.question) {
    const q = toQuestion(input.question);
    if ('ok' in q) return q;
    step.question = q;
  }
  if (claims && claims.length > 0) step.claims = claims;
  return step;
}

/** Steps sorted by tick, stable: steps at one tick keep their order. */
function sorted(steps: LessonStep[]): LessonStep[] {
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.tick - b.s.tick || a.i - b.i)
    .map((x) => x.s);
}

// ------------------------------------------------------------------ edits

/** Title, summary and language of the lesson; the id follows the title. */
export function setMeta(
  d: Draft,
  meta: { title: string; summary: string; lang: string },
  builtinIds: readonly string[],
): EditResult {
  const title = checkText('title', 'The lesson’s title', meta.title, TEXT_LIMITS.name);
  if (title) return title;
  const summary = checkText('summary', 'The summary', meta.summary, TEXT_LIMITS.summary);
  if (summary) return summary;
  const lang = meta.lang.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(lang) || lang.length > 16) {
    return refuse('lang', 'The language is a code such as en, fr or pt-BR.');
  }
  const t = meta.title.trim();
  const id = t === d.title ? d.id : uniqueId(slugify(t), builtinIds);
  return { ok: true, draft: { ...d, title: t, summary: meta.summary.trim(), lang, id }, at: -1 };
}

/** Adds a step (after any others at its tick). `at`: its index in the lesson. */
export function addStep(d: Draft, input: StepInput, duration: number): EditResult {
  if (d.steps.length >= TEXT_LIMITS.steps)
    return refuse('step', `A lesson has at most ${TEXT_LIMITS.steps} steps; delete one to add another.`);
  const step = toStep(input, duration);
  if ('ok' in step) return step;
  const steps = sorted([...d.steps, step]);
  return { ok: true, draft: { ...d, steps }, at: steps.lastIndexOf(step) };
}

/** Replaces step `i` with what was typed (its claims stay); a new tick re-sorts it. */
export function editStep(d: Draft, i: number, input: StepInput, duration: number): EditResult {
  const old = d.steps[i];
  if (!old) return refuse('step', `There is no step ${i + 1}.`);
  const step = toStep(input, duration, old.claims);
  if ('ok' in step) return step;
  const rest = d.steps.filter((_, j) => j !== i);
  // At an unchanged tick the step keeps its place; at a new one it goes after those there.
  const steps = step.tick === old.tick ? d.steps.map((s, j) => (j === i ? step : s)) : sorted([...rest, step]);
  return { ok: true, draft: { ...d, steps }, at: steps.indexOf(step) };
}

/** Moves step `i` to another tick (the cursor's): the lesson re-sorts around it. */
export function retimeStep(d: Draft, i: number, tick: number, duration: number): EditResult {
  const old = d.steps[i];
  if (!old) return refuse('step', `There is no step ${i + 1}.`);
  const bad = checkTick(tick, duration);
  if (bad) return bad;
  if (tick === old.tick) return { ok: true, draft: d, at: i };
  const step = { ...old, tick };
  const steps = sorted([...d.steps.filter((_, j) => j !== i), step]);
  return { ok: true, draft: { ...d, steps }, at: steps.indexOf(step) };
}

export function deleteStep(d: Draft, i: number): EditResult {
  if (!d.steps[i]) return refuse('step', `There is no step ${i + 1}.`);
  const steps = d.steps.filter((_, j) => j !== i);
  return { ok: true, draft: { ...d, steps }, at: Math.min(i, steps.length - 1) };
}

/** Swaps step `i` with its neighbour (dir -1: up), only when both are at the same tick. */
export function moveStep(d: Draft, i: number, dir: -1 | 1): EditResult {
  const a = d.steps[i];
  if (!a) return refuse('step', `There is no step ${i + 1}.`);
  const j = i + dir;
  const b = d.steps[j];
  if (!b) return refuse('step', dir < 0 ? `Step ${i + 1} is already the first.` : `Step ${i + 1} is already the last.`);
  if (a.tick !== b.tick) {
    return refuse(
      'step',
      `Step ${i + 1} is at tick ${a.tick} and step ${j + 1} at tick ${b.tick}: steps follow the run, so a step moves by changing its tick. ` +
        `Go to the tick where it belongs and press “Move to tick”.`,
    );
  }
  const steps = d.steps.slice();
  steps[i] = b;
  steps[j] = a;
  return { ok: true, draft: { ...d, steps }, at: j };
}

/** The form's contents for step `i` (for editing it). */
export function inputOf(step: LessonStep): StepInput {
  const q = step.question;
  return {
    tick: step.tick,
    title: step.title,
    text: step.text,
    question: q ? { prompt: q.prompt, choices: q.choices.slice(), answer: q.answer, explain: q.explain } : null,
  };
}
