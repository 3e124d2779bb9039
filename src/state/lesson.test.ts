import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../sim/index';
import type { Scenario } from '../sim/index';
import { createLabStore } from './store';
import type { LabHost } from './store';
import { createLessonStore, type SyncChannel, type SyncMessage } from './lesson';
import { lessonIds, loadLesson, readLessonLink } from './lessons';
import { comparisonClock } from './compareClock';
import { buildScenario } from '../sim/compare/build';
import { parseComparisonText } from '../sim/compare/validate';
import { Timeline } from '../sim/timeline/timeline';

function lessonScenario(): Scenario {
  const r = parseScenarioText(readFileSync(resolve(process.cwd(), 'lessons/single-source-of-truth.json'), 'utf8'));
  if (!r.ok) throw new Error('bad lesson');
  return r.scenario;
}

/** Frames that run when the test says (as in store.test.ts). */
function frameHost(): { host: LabHost; frames(n: number, ms: number): void } {
  let wall = 0;
  let pending: ((w: number) => void)[] = [];
  const host: LabHost = {
    frames: { now: () => wall, requestFrame: (cb) => pending.push(cb), cancelFrame: () => (pending = []) },
    now: () => wall,
    idle: (cb) => cb(),
    timeout: (cb) => {
      cb();
      return 0;
    },
    createWorker: () => null,
  };
  return {
    host,
    frames: (n, ms) => {
      for (let i = 0; i < n; i++) {
        wall += ms;
        const run = pending;
        pending = [];
        for (const cb of run) cb(wall);
      }
    },
  };
}

function fakeChannel(): { a: SyncChannel; b: SyncChannel } {
  const ears: ((m: SyncMessage) => void)[][] = [[], []];
  const end = (me: number): SyncChannel => ({
    post: (m) => ears[1 - me]!.forEach((cb) => cb(m)),
    listen: (cb) => {
      ears[me]!.push(cb);
      return () => (ears[me] = ears[me]!.filter((x) => x !== cb));
    },
  });
  return { a: end(0), b: end(1) };
}

describe('the lesson store', () => {
  it('starts when a lesson scenario opens, plays to each step on Next, and checks its claims there', () => {
    const { host, frames } = frameHost();
    const lab = createLabStore(host, { speed: 100 });
    const lesson = createLessonStore(lab);
    expect(lesson.getState().lesson).toBeNull();
    const s = lessonScenario();
    lab.getState().actions.openScenario(s, 0, 'lesson:single-source-of-truth');
    expect(lesson.getState().lesson?.id).toBe('single-source-of-truth');
    expect(lesson.getState().step).toBe(0);
    lesson.getState().actions.next();
    expect(lab.getState().status).toBe('playing');
    frames(400, 50);
    expect(lab.getState().cursor).toBe(s.lesson!.steps[1]!.tick);
    expect(lesson.getState().step).toBe(1);
    const claims = lesson.getState().claims;
    expect(claims?.length).toBe(s.lesson!.steps[1]!.claims!.length);
    expect(claims!.every((c) => c.holds)).toBe(true);
    lab.getState().actions.dispose();
  });

  it('follows the cursor when the class scrubs, and keeps its place when someone acts', () => {
    const { host } = frameHost();
    const lab = createLabStore(host);
    const lesson = createLessonStore(lab);
    const s = lessonScenario();
    lab.getState().actions.openScenario(s, s.lesson!.steps[3]!.tick + 1);
    expect(lesson.getState().step).toBe(3);
    expect(lesson.getState().claims).toBeNull();
    lesson.getState().actions.answer(2);
    lab.getState().actions.operate('agent1', 'set', { key: 'q', value: 1 });
    expect(lesson.getState().step).toBe(3);
    expect(lesson.getState().answers[3]).toBe(2);
    lab.getState().actions.seekTo(0);
    expect(lesson.getState().step).toBe(0);
    lab.getState().actions.dispose();
  });

  it("an audience window follows the presenter's step and blank screen", () => {
    const { a, b } = fakeChannel();
    const s = lessonScenario();
    const labs = [createLabStore(frameHost().host), createLabStore(frameHost().host)];
    for (const l of labs) l.getState().actions.openScenario(s, 0);
    const presenter = createLessonStore(labs[0]!, { channel: a, mode: 'presenter' });
    const audience = createLessonStore(labs[1]!, { channel: b, mode: 'audience' });
    presenter.getState().actions.goto(4);
    presenter.getState().actions.toggleBlank();
    expect(audience.getState().step).toBe(4);
    expect(audience.getState().blank).toBe(true);
    // The audience does not drive the presenter.
    audience.getState().actions.goto(1);
    expect(presenter.getState().step).toBe(4);
    for (const l of labs) l.getState().actions.dispose();
  });
});

describe("a lesson on a comparison's clock", () => {
  function setup(step?: number) {
    const r = parseComparisonText(readFileSync(resolve(process.cwd(), 'lessons/cap-one-partition.json'), 'utf8'));
    if (!r.ok) throw new Error('bad lesson');
    const c = r.comparison;
    const timelines = c.panels.map((p) => new Timeline(buildScenario(c, p), { interval: 20 }));
    const moves: number[] = [];
    let stopped = 0;
    const clock = comparisonClock(
      c,
      'cap-one-partition',
      timelines,
      (t) => moves.push(t),
      () => stopped++,
    );
    const { a, b } = fakeChannel();
    const lesson = createLessonStore(clock, { channel: a, mode: 'presenter', ...(step === undefined ? {} : { step }) });
    // What the view does: the cursor moves, the panels catch up (moving), then stand still.
    const arrive = (t: number): void => {
      clock.update(t, true);
      for (const tl of timelines) tl.seek(t);
      clock.update(t, false);
    };
    return { c, clock, lesson, moves, arrive, stopped: () => stopped, audienceEnd: b, timelines };
  }

  it('opens at a step; Next moves the shared cursor to the next step, and its claims are checked on their panels once every panel stands there', () => {
    const { c, lesson, moves, arrive, stopped } = setup(2);
    const steps = c.lesson!.steps;
    expect(lesson.getState().lesson?.id).toBe('cap-one-partition');
    expect(lesson.getState().builtin).toBe(true);
    expect(lesson.getState().step).toBe(2);
    lesson.getState().actions.next();
    expect(moves).toEqual([steps[3]!.tick]);
    expect(stopped()).toBe(1);
    expect(lesson.getState().claims).toBeNull();
    arrive(steps[3]!.tick);
    expect(lesson.getState().step).toBe(3);
    const claims = lesson.getState().claims!;
    expect(claims.length).toBe(steps[3]!.claims!.length);
    expect(claims.every((x) => x.holds)).toBe(true);
    expect(new Set(claims.map((x) => x.panel))).toEqual(
      new Set(['Gossip, last writer wins', 'Majority quorums, N=3 R=W=2', 'Centralized store']),
    );
  });

  it('follows a scrubbed cursor, checks nothing away from a step, and an audience on the same clock kind follows the presenter', () => {
    const { c, lesson, arrive, audienceEnd } = setup();
    const steps = c.lesson!.steps;
    arrive(steps[4]!.tick + 3);
    expect(lesson.getState().step).toBe(4);
    expect(lesson.getState().claims).toBeNull();
    const other = setup();
    const audience = createLessonStore(other.clock, { channel: audienceEnd, mode: 'audience' });
    lesson.getState().actions.goto(6);
    expect(audience.getState().step).toBe(6);
    expect(other.moves.at(-1)).toBe(steps[6]!.tick);
  });

  it("a claim checked while a panel's timeline stands elsewhere reads that panel at the cursor", () => {
    const { c, clock, timelines, arrive } = setup();
    const step = c.lesson!.steps[2]!;
    arrive(step.tick);
    timelines[2]!.seek(10);
    expect(clock.check(step.claims!).every((x) => x.holds)).toBe(true);
  });
});

describe('built-in lessons and their links', () => {
  it('lists the files in lessons/ and loads each through the validator', async () => {
    expect(lessonIds).toContain('single-source-of-truth');
    const r = await loadLesson('single-source-of-truth');
    expect(r.ok && r.kind === 'scenario' && r.scenario.lesson?.steps.length).toBeGreaterThan(3);
    const cap = await loadLesson('cap-one-partition');
    expect(cap.ok && cap.kind === 'comparison' && cap.comparison.panels.length).toBe(3);
    const missing = await loadLesson('nope');
    expect(missing.ok).toBe(false);
  });

  it('reads #lesson=<id>&step=<n>, counting steps from 1', () => {
    expect(readLessonLink('#lesson=quorums&step=4')).toEqual({ lesson: 'quorums', step: 3, asked: '4' });
    expect(readLessonLink('#lesson=quorums')).toEqual({ lesson: 'quorums', step: 0, asked: null });
    expect(readLessonLink('#lesson=quorums&step=-2')).toEqual({ lesson: 'quorums', step: 0, asked: '-2' });
    expect(readLessonLink('#s=abc')).toBeNull();
  });
});
