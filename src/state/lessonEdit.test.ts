import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultScenario, parseScenario, parseScenarioText } from '../sim/index';
import type { Scenario } from '../sim/index';
import {
  addStep,
  applyDraft,
  deleteStep,
  draftFrom,
  editStep,
  inputOf,
  lessonOf,
  moveStep,
  retimeStep,
  setMeta,
  slugify,
  TEXT_LIMITS,
  uniqueId,
} from './lessonEdit';
import type { Draft, EditResult, StepInput } from './lessonEdit';
import { createLabStore } from './store';
import { scenarioArb } from '../sim/scenario/arbitrary.testkit';
import { Timeline } from '../sim/timeline/timeline';
import { worldHash } from '../sim/engine/engine';
import type { LabHost } from './store';
import { runs } from '../sim/core/fuzz.testkit';

const BUILTIN = ['single-source-of-truth', 'cap-one-partition', 'quorums'];

function base(): Scenario {
  return { ...defaultScenario(), duration: 300 };
}

function ok(r: EditResult): Draft {
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r.draft;
}

const step = (tick: number, title = `At ${tick}`, extra: Partial<StepInput> = {}): StepInput => ({
  tick,
  title,
  text: `What happens at tick ${tick}.`,
  ...extra,
});

function accepts(s: Scenario): string | null {
  const r = parseScenario(JSON.parse(JSON.stringify(s)));
  return r.ok ? null : r.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}

describe('lesson drafts', () => {
  it('starts from the scenario on screen, with no lesson until a step exists', () => {
    const d = draftFrom(base(), BUILTIN);
    expect(d.steps).toEqual([]);
    expect(d.id).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
    const s = applyDraft(base(), d);
    expect('lesson' in s).toBe(false);
    expect(accepts(s)).toBeNull();
  });

  it('adds steps with a caption and a question; the scenario stays valid and carries them', () => {
    let d = draftFrom(base(), BUILTIN);
    d = ok(addStep(d, step(40, 'Two writes'), 300));
    d = ok(
      addStep(
        d,
        step(10, 'Before', {
          question: { prompt: 'Who wins?', choices: ['alice', '', 'bob'], answer: 2, explain: 'The later write.' },
        }),
        300,
      ),
    );
    expect(d.steps.map((s) => s.tick)).toEqual([10, 40]);
    // The empty choice is dropped and the answer follows its choice.
    expect(d.steps[0]!.question).toEqual({
      prompt: 'Who wins?',
      choices: ['alice', 'bob'],
      answer: 1,
      explain: 'The later write.',
    });
    const s = applyDraft(base(), d);
    expect(accepts(s)).toBeNull();
    expect(s.lesson?.steps).toHaveLength(2);
    expect(s.name).toBe(d.title);
  });

  it('refuses what the schema refuses, with the field and a sentence', () => {
    const d = draftFrom(base(), BUILTIN);
    const cases: [StepInput, string][] = [
      [step(301), 'tick'],
      [step(-1), 'tick'],
      [step(1.5), 'tick'],
      [{ ...step(5), title: '   ' }, 'title'],
      [{ ...step(5), title: 'x'.repeat(81) }, 'title'],
      [{ ...step(5), text: 'x'.repeat(801) }, 'text'],
      [step(5, 't', { question: { prompt: '', choices: ['a', 'b'], answer: 0, explain: 'e' } }), 'prompt'],
      [step(5, 't', { question: { prompt: 'p', choices: ['a', ''], answer: 0, explain: 'e' } }), 'choices'],
      [
        step(5, 't', { question: { prompt: 'p', choices: ['a', 'b', 'c', 'd', 'e', 'f'], answer: 0, explain: 'e' } }),
        'choices',
      ],
      [
        step(5, 't', { question: { prompt: 'p', choices: ['a', 'y'.repeat(121)], answer: 0, explain: 'e' } }),
        'choices.1',
      ],
      [step(5, 't', { question: { prompt: 'p', choices: ['a', 'b', ''], answer: 2, explain: 'e' } }), 'answer'],
      [step(5, 't', { question: { prompt: 'p', choices: ['a', 'b'], answer: 0, explain: ' ' } }), 'explain'],
    ];
    for (const [input, field] of cases) {
      const r = addStep(d, input, 300);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) {
        expect(r.field).toBe(field);
        expect(r.message.length).toBeGreaterThan(10);
      }
    }
  });

  it('refuses a 41st step', () => {
    let d = draftFrom(base(), BUILTIN);
    for (let i = 0; i < TEXT_LIMITS.steps; i++) d = ok(addStep(d, step(i), 300));
    const r = addStep(d, step(50), 300);
    expect(r.ok).toBe(false);
    expect(accepts(applyDraft(base(), d))).toBeNull();
  });

  it('keeps hostile text as text', () => {
    let d = draftFrom({ ...base(), name: '__proto__' }, BUILTIN);
    d = ok(addStep(d, { tick: 0, title: '<img src=x onerror=alert(1)>', text: '__proto__ constructor {"a":1}' }, 300));
    const s = applyDraft(base(), d);
    expect(accepts(s)).toBeNull();
    expect(s.lesson!.steps[0]!.title).toBe('<img src=x onerror=alert(1)>');
    expect(d.id).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
  });

  it('moves a step by its tick; up and down only among steps at one tick', () => {
    let d = draftFrom(base(), BUILTIN);
    d = ok(addStep(d, step(10, 'a'), 300));
    d = ok(addStep(d, step(20, 'b'), 300));
    d = ok(addStep(d, step(20, 'c'), 300));
    // Across ticks: refused, saying how.
    const r = moveStep(d, 1, -1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Move to tick/);
    // At one tick: swapped.
    const m = moveStep(d, 2, -1);
    expect(m.ok && m.draft.steps.map((s) => s.title)).toEqual(['a', 'c', 'b']);
    expect(m.ok && m.at).toBe(1);
    // Retimed to tick 5: first.
    const t = retimeStep(d, 2, 5, 300);
    expect(t.ok && t.draft.steps.map((s) => s.title)).toEqual(['c', 'a', 'b']);
    expect(t.ok && t.at).toBe(0);
    expect(moveStep(d, 0, -1).ok).toBe(false);
    expect(moveStep(d, 2, 1).ok).toBe(false);
  });

  it('edits keep claims and place; deleting the last step removes the lesson', () => {
    const text = readFileSync(resolve(process.cwd(), 'lessons/single-source-of-truth.json'), 'utf8');
    const r = parseScenarioText(text);
    if (!r.ok) throw new Error('bad lesson');
    const d0 = draftFrom(r.scenario, ['single-source-of-truth']);
    // A built-in lesson edited is the teacher's own copy, with its own id.
    expect(d0.id).not.toBe('single-source-of-truth');
    const withClaims = d0.steps.findIndex((s) => (s.claims?.length ?? 0) > 0);
    expect(withClaims).toBeGreaterThanOrEqual(0);
    const e = ok(
      editStep(d0, withClaims, { ...inputOf(d0.steps[withClaims]!), title: 'Renamed' }, r.scenario.duration),
    );
    expect(e.steps[withClaims]!.title).toBe('Renamed');
    expect(e.steps[withClaims]!.claims).toEqual(d0.steps[withClaims]!.claims);
    expect(accepts(applyDraft(r.scenario, e))).toBeNull();
    let d = ok(addStep(draftFrom(base(), BUILTIN), step(3), 300));
    d = ok(deleteStep(d, 0));
    expect(lessonOf(d)).toBeUndefined();
    expect(deleteStep(d, 0).ok).toBe(false);
  });

  it('derives ids from titles, unique against the built-in lessons', () => {
    expect(slugify('Lesson: CAP in one partition!')).toBe('cap-in-one-partition');
    expect(slugify('¿¿¿')).toBe('my-lesson');
    expect(uniqueId('quorums', BUILTIN)).toBe('quorums-2');
    expect(uniqueId('quorums', [...BUILTIN, 'quorums-2'])).toBe('quorums-3');
    const d = draftFrom(base(), BUILTIN);
    const m = ok(setMeta(d, { title: 'Quorums', summary: 'Mine.', lang: 'fr' }, BUILTIN));
    expect(m.id).toBe('quorums-2');
    expect(setMeta(d, { title: 'x', summary: '', lang: 'en' }, BUILTIN).ok).toBe(false);
    expect(setMeta(d, { title: 'x', summary: 's', lang: 'english please' }, BUILTIN).ok).toBe(false);
    expect(setMeta(d, { title: 'x'.repeat(121), summary: 's', lang: 'en' }, BUILTIN).ok).toBe(false);
  });
});

// ------------------------------------------------------------------ the law

const textArb = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('__proto__', 'constructor', '<b>x</b>', '   ', ''),
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
    fc.string({ minLength: max - 2, maxLength: max + 2 }).map((s) => `  ${s} `),
  );

const questionArb = fc.option(
  fc.record({
    prompt: textArb(TEXT_LIMITS.prompt),
    choices: fc.array(textArb(TEXT_LIMITS.choice), { maxLength: 7 }),
    answer: fc.integer({ min: -1, max: 7 }),
    explain: textArb(TEXT_LIMITS.explain),
  }),
  { nil: null },
);

const inputArb: fc.Arbitrary<StepInput> = fc.record({
  tick: fc.oneof(fc.integer({ min: -2, max: 310 }), fc.constant(1.5)),
  title: textArb(TEXT_LIMITS.title),
  text: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 798, maxLength: 802 })),
  question: questionArb,
});

type Edit =
  | { k: 'add'; input: StepInput }
  | { k: 'edit'; i: number; input: StepInput }
  | { k: 'delete'; i: number }
  | { k: 'move'; i: number; dir: -1 | 1 }
  | { k: 'retime'; i: number; tick: number }
  | { k: 'meta'; title: string; summary: string; lang: string };

const idx = fc.integer({ min: -1, max: 8 });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('add' as const), input: inputArb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('edit' as const), i: idx, input: inputArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), i: idx }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('move' as const), i: idx, dir: fc.constantFrom(-1 as const, 1 as const) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('retime' as const), i: idx, tick: fc.integer({ min: -1, max: 305 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('meta' as const),
      title: textArb(TEXT_LIMITS.name),
      summary: textArb(TEXT_LIMITS.summary),
      lang: fc.constantFrom('en', 'pt-BR', 'x', 'fr-', 'de-CH-1901'),
    }),
  },
);

function apply(d: Draft, e: Edit): EditResult {
  switch (e.k) {
    case 'add':
      return addStep(d, e.input, 300);
    case 'edit':
      return editStep(d, e.i, e.input, 300);
    case 'delete':
      return deleteStep(d, e.i);
    case 'move':
      return moveStep(d, e.i, e.dir);
    case 'retime':
      return retimeStep(d, e.i, e.tick, 300);
    case 'meta':
      return setMeta(d, e, BUILTIN);
  }
}

describe('the law of the editor', () => {
  it('any sequence of edits gives a scenario the validator accepts, or a refusal with a message', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 25 }), (edits) => {
        let d = draftFrom(base(), BUILTIN);
        for (const e of edits) {
          const r = apply(d, e);
          if (!r.ok) {
            expect(r.message.trim().length).toBeGreaterThan(0);
            expect(r.field.length).toBeGreaterThan(0);
            continue;
          }
          expect(r.at).toBeLessThan(Math.max(1, r.draft.steps.length));
          d = r.draft;
          const bad = accepts(applyDraft(base(), d));
          if (bad) throw new Error(`after ${JSON.stringify(e).slice(0, 200)}: ${bad}`);
          expect(BUILTIN).not.toContain(d.id);
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('refuses only what the schema refuses: a step the validator takes is added', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = draftFrom(base(), BUILTIN);
        const r = addStep(d, input, 300);
        if (r.ok) return;
        // Refused: the same step, as typed (trimmed, empty choices dropped), is not a valid lesson.
        const q = input.question;
        const choices = q ? q.choices.map((c) => c.trim()).filter((c) => c !== '') : [];
        const answer = q ? q.choices.slice(0, q.answer).filter((c) => c.trim() !== '').length : 0;
        const keptAnswer =
          q !== null &&
          q !== undefined &&
          q.answer >= 0 &&
          q.answer < q.choices.length &&
          q.choices[q.answer]!.trim() !== '';
        const lesson = {
          id: d.id,
          lang: 'en',
          summary: d.summary,
          steps: [
            {
              tick: input.tick,
              title: input.title.trim(),
              text: input.text.trim(),
              ...(q
                ? {
                    question: {
                      prompt: q.prompt.trim(),
                      choices,
                      answer: keptAnswer ? answer : 99,
                      explain: q.explain.trim(),
                    },
                  }
                : {}),
            },
          ],
        };
        expect(accepts({ ...base(), lesson } as Scenario)).not.toBeNull();
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('the lab store writes the draft into its scenario', () => {
  it('narrate sets the name and lesson, keeps the computed worlds, and undoes', () => {
    const host: LabHost = {
      frames: { now: () => 0, requestFrame: () => 0, cancelFrame: () => undefined },
      now: () => 0,
      idle: (cb) => cb(),
      timeout: (cb) => {
        cb();
        return 0;
      },
      createWorker: () => null,
    };
    const lab = createLabStore(host);
    lab.getState().actions.seekTo(120);
    const before = lab.getState().timeline;
    const computed = before.computedTo;
    const hashBefore = lab.getState().hash?.hash;
    const d = ok(
      addStep(draftFrom(lab.getState().scenario, BUILTIN), step(120, 'Here'), lab.getState().scenario.duration),
    );
    lab.getState().actions.narrate('My lesson', lessonOf(d), 'Added a step');
    const s = lab.getState();
    expect(s.scenario.name).toBe('My lesson');
    expect(s.scenario.lesson?.steps[0]?.title).toBe('Here');
    expect(s.scenarioId).toBe('custom');
    expect(s.cursor).toBe(120);
    expect(s.hash?.hash).toBe(hashBefore);
    // Narration is not part of the run: the timeline keeps every checkpoint it had.
    expect(before.checkpointCount).toBeGreaterThan(1);
    const derived = before.derive(s.scenario);
    expect(derived.checkpointCount).toBe(before.checkpointCount);
    expect(derived.computedTo).toBe(computed);
    s.actions.undo();
    expect(lab.getState().scenario.lesson).toBeUndefined();
    lab.getState().actions.dispose();
  });
});

describe('narration is not part of the run', () => {
  it('a timeline derived for a new lesson and name gives the worlds of a fresh one', () => {
    fc.assert(
      fc.property(
        scenarioArb({ maxDuration: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.string({ maxLength: 20 }),
        (s, at, name) => {
          const tl = new Timeline(s, { interval: 16 });
          tl.seek(Math.floor(s.duration / 2));
          const next: Scenario = {
            ...s,
            name,
            lesson: {
              id: 'mine',
              lang: 'en',
              summary: 'A lesson.',
              steps: [{ tick: 0, title: 'Start', text: 'Look.' }],
            },
          };
          const derived = tl.derive(next);
          const t = Math.min(at, s.duration);
          expect(worldHash(derived.worldAt(t))).toBe(worldHash(new Timeline(next, { interval: 16 }).worldAt(t)));
        },
      ),
      { numRuns: runs(30) },
    );
  });
});
