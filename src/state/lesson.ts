import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActor } from 'xstate';
import { checkClaims, stepAt } from '../sim/index';
import type { Claim, ClaimResult, Lesson } from '../sim/index';
import { lessonMachine, type LessonContext, type LessonEvent } from '../playback/lesson';
import type { LabStore } from './store';

/**
 * A lesson beside the clock it drives: the lab's (a scenario with a `lesson` field is a
 * lesson, so opening one from the menu, a link or a file starts it) or a comparison's shared
 * cursor (a comparison with a `lesson`, its claims checked on the panels they name). The step
 * follows the cursor when the class scrubs; Next and Previous move the clock to the step's
 * tick. Claims are checked when the cursor stands still on their step's tick.
 *
 * A presenter's window and the audience's windows of the same browser keep to one step
 * through a channel (BroadcastChannel in the page, injected here).
 */

export type LessonMode = 'sandbox' | 'presenter' | 'audience';

export interface SyncMessage {
  lesson: string;
  step: number;
  blank: boolean;
}

export interface SyncChannel {
  post(m: SyncMessage): void;
  listen(cb: (m: SyncMessage) => void): () => void;
}

export interface LessonState {
  lesson: Lesson | null;
  /** The scenario's name: the lesson's title. */
  title: string;
  step: number;
  answers: (number | null)[];
  tally: number[][];
  blank: boolean;
  mode: LessonMode;
  /** The current step's claims, checked, once the cursor stands on its tick; else null. */
  claims: ClaimResult[] | null;
  /** The clock's cursor, and whether it is on its way somewhere (playing, seeking). */
  cursor: number;
  moving: boolean;
  /** A built-in lesson: its steps have links (`#lesson=<id>&step=n`) and QR codes. */
  builtin: boolean;
  actions: {
    next(): void;
    prev(): void;
    goto(step: number): void;
    answer(choice: number): void;
    tally(choice: number, delta: 1 | -1): void;
    toggleBlank(): void;
    setMode(mode: LessonMode): void;
    /** Move the clock back to the current step's tick at once (after scrubbing away). */
    back(): void;
    dispose(): void;
  };
}

/** What a lesson's clock shows now. */
export interface ClockState {
  /** What carries the lesson (a scenario, a comparison): a new one starts the lesson over. */
  source: object;
  lesson: Lesson | null;
  title: string;
  cursor: number;
  /** Playing or seeking (or a panel still on its way): claims wait until it stands still. */
  moving: boolean;
  /** Changes whenever the world at the cursor may have changed though the cursor did not. */
  rev: number;
  /** The built-in lesson's id, when it is one. */
  builtinId: string | null;
}

/**
 * The clock a lesson drives: the lab's timeline (labClock) or a comparison's shared cursor
 * (ui/compare/lessonClock.ts). The lesson store knows nothing else of either.
 */
export interface LessonClock {
  get(): ClockState;
  subscribe(cb: (now: ClockState, prev: ClockState) => void): () => void;
  /** Next/Previous: get the clock to the step's tick (the lab plays forwards, jumps back). */
  moveTo(tick: number): void;
  /** Back to the step: at once. */
  seekTo(tick: number): void;
  /** The claims, checked on the world(s) at the cursor. */
  check(claims: readonly Claim[]): ClaimResult[];
}

/** The lab's clock: its scenario, cursor and playback. */
export function labClock(lab: LabStore): LessonClock {
  let last: { l: ReturnType<LabStore['getState']>; c: ClockState } | null = null;
  const view = (l: ReturnType<LabStore['getState']>): ClockState => {
    if (last?.l === l) return last.c;
    const c: ClockState = {
      source: l.scenario,
      lesson: l.scenario.lesson ?? null,
      title: l.scenario.name,
      cursor: l.cursor,
      moving: l.status === 'playing' || l.status === 'seeking',
      rev: l.rev,
      builtinId: l.scenario.lesson && l.scenarioId === `lesson:${l.scenario.lesson.id}` ? l.scenario.lesson.id : null,
    };
    last = { l, c };
    return c;
  };
  return {
    get: () => view(lab.getState()),
    subscribe: (cb) => lab.subscribe((l, p) => cb(view(l), view(p))),
    moveTo: (tick) => lab.getState().actions.playTo(tick),
    seekTo: (tick) => lab.getState().actions.seekTo(tick),
    check: (claims) => checkClaims(lab.getState().timeline.current, claims),
  };
}

export type LessonStore = StoreApi<LessonState>;

export function createLessonStore(
  source: LabStore | LessonClock,
  opts: { channel?: SyncChannel | null; mode?: LessonMode; step?: number } = {},
): LessonStore {
  const clock: LessonClock = 'getState' in source ? labClock(source) : source;
  const channel = opts.channel ?? null;
  let lessonOf: object | null = null;
  let claimsFor = '';

  const actor = createActor(
    lessonMachine.provide({
      actions: {
        moved: ({ context }) => {
          const step = store.getState().lesson?.steps[context.step];
          if (step) clock.moveTo(step.tick);
        },
      },
    }),
  );

  const first = clock.get();
  const store = createStore<LessonState>()(() => ({
    lesson: null,
    title: '',
    step: 0,
    answers: [],
    tally: [],
    blank: false,
    mode: opts.mode ?? 'sandbox',
    claims: null,
    cursor: first.cursor,
    moving: first.moving,
    builtin: false,
    actions: {
      next: () => send({ type: 'NEXT' }),
      prev: () => send({ type: 'PREV' }),
      goto: (step) => send({ type: 'GOTO', step }),
      answer: (choice) => send({ type: 'ANSWER', choice }),
      tally: (choice, delta) => send({ type: 'TALLY', choice, delta }),
      toggleBlank: () => send({ type: 'BLANK' }),
      setMode: (mode) => {
        store.setState({ mode });
        broadcast();
      },
      back: () => {
        const s = store.getState();
        const step = s.lesson?.steps[s.step];
        if (step) clock.seekTo(step.tick);
      },
      dispose: () => dispose(),
    },
  }));

  function send(e: LessonEvent): void {
    actor.send(e);
    if (e.type !== 'FOLLOW' && e.type !== 'LOAD') broadcast();
  }

  function broadcast(): void {
    const s = store.getState();
    if (channel && s.lesson && s.mode === 'presenter')
      channel.post({ lesson: s.lesson.id, step: s.step, blank: s.blank });
  }

  actor.subscribe((snap) => {
    const c: LessonContext = snap.context;
    store.setState({ step: c.step, answers: c.answers, tally: c.tally, blank: c.blank });
    refreshClaims();
  });

  /** Claims of the current step, when the clock stands on its tick and nothing moves. */
  function refreshClaims(): void {
    const s = store.getState();
    const k = clock.get();
    const step = s.lesson?.steps[s.step];
    const here = step !== undefined && k.cursor === step.tick && !k.moving;
    const key = here ? `${k.rev}:${s.step}` : '';
    if (key === claimsFor) return;
    claimsFor = key;
    store.setState({ claims: here ? clock.check(step.claims ?? []) : null });
  }

  function follow(): void {
    const k = clock.get();
    const s = store.getState();
    if (s.cursor !== k.cursor || s.moving !== k.moving) store.setState({ cursor: k.cursor, moving: k.moving });
    if (!s.lesson || k.moving) return refreshClaims();
    const steps = s.lesson.steps;
    // Several steps may share a tick: stay on the current one if it is at the cursor.
    if (steps[s.step]?.tick !== k.cursor) {
      const at = stepAt(steps, k.cursor);
      if (at !== s.step) actor.send({ type: 'FOLLOW', step: at });
    }
    refreshClaims();
  }

  function adopt(k: ClockState, step?: number): void {
    store.setState({ builtin: k.builtinId !== null && k.builtinId === k.lesson?.id });
    if (k.source === lessonOf) return;
    const prev = lessonOf === null ? null : store.getState().lesson;
    lessonOf = k.source;
    const lesson = k.lesson;
    // Acting in a lesson changes the scenario but not the lesson: keep the class's place.
    if (lesson && prev && prev.id === lesson.id && prev.steps.length === lesson.steps.length) {
      store.setState({ lesson });
      follow();
      return;
    }
    claimsFor = '';
    store.setState({ lesson, title: k.title, claims: null });
    const at = step ?? (lesson ? stepAt(lesson.steps, k.cursor) : 0);
    actor.send({ type: 'LOAD', steps: lesson?.steps.length ?? 0, step: at });
  }

  actor.start();
  adopt(first, opts.step);
  const unsubClock = clock.subscribe((k, p) => {
    if (k.source !== p.source || k.builtinId !== p.builtinId) adopt(k);
    if (k.cursor !== p.cursor || k.moving !== p.moving || k.rev !== p.rev) follow();
  });
  const unsubChannel = channel?.listen((m) => {
    const s = store.getState();
    if (s.mode !== 'audience' || !s.lesson || s.lesson.id !== m.lesson) return;
    if (m.step !== s.step) actor.send({ type: 'GOTO', step: m.step });
    if (m.blank !== store.getState().blank) actor.send({ type: 'BLANK' });
  });

  function dispose(): void {
    unsubClock();
    unsubChannel?.();
    actor.stop();
  }
  return store;
}

/** BroadcastChannel between windows of one browser, or null where there is none. */
export function browserChannel(name = 'statelab-lesson'): SyncChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const ch = new BroadcastChannel(name);
  return {
    post: (m) => ch.postMessage(m),
    listen: (cb) => {
      const on = (e: MessageEvent): void => {
        const d = e.data as Partial<SyncMessage> | null;
        if (
          d &&
          typeof d.lesson === 'string' &&
          typeof d.step === 'number' &&
          Number.isInteger(d.step) &&
          typeof d.blank === 'boolean'
        )
          cb(d as SyncMessage);
      };
      ch.addEventListener('message', on);
      return () => ch.removeEventListener('message', on);
    },
  };
}
