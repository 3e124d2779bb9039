import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActor } from 'xstate';
import { checkClaims, stepAt } from '../sim/index';
import type { ClaimResult, Lesson, Scenario } from '../sim/index';
import { lessonMachine, type LessonContext, type LessonEvent } from '../playback/lesson';
import type { LabStore } from './store';

/**
 * The lesson beside the lab: a scenario with a `lesson` field is a lesson, so opening one
 * (from the menu, a link, a file) starts it. The step follows the cursor when the class
 * scrubs; Next and Previous play or jump the world to the step's tick. Claims are checked
 * against the world when the cursor stands on their step's tick.
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
  actions: {
    next(): void;
    prev(): void;
    goto(step: number): void;
    answer(choice: number): void;
    tally(choice: number, delta: 1 | -1): void;
    toggleBlank(): void;
    setMode(mode: LessonMode): void;
    dispose(): void;
  };
}

export type LessonStore = StoreApi<LessonState>;

export function createLessonStore(lab: LabStore, opts: { channel?: SyncChannel | null; mode?: LessonMode; step?: number } = {}): LessonStore {
  const channel = opts.channel ?? null;
  let lessonOf: Scenario | null = null;
  let claimsFor = '';

  const actor = createActor(
    lessonMachine.provide({
      actions: {
        moved: ({ context }) => {
          const step = lessonOf?.lesson?.steps[context.step];
          if (step) lab.getState().actions.playTo(step.tick);
        },
      },
    }),
  );

  const store = createStore<LessonState>()(() => ({
    lesson: null,
    title: '',
    step: 0,
    answers: [],
    tally: [],
    blank: false,
    mode: opts.mode ?? 'sandbox',
    claims: null,
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
      dispose: () => dispose(),
    },
  }));

  function send(e: LessonEvent): void {
    actor.send(e);
    if (e.type !== 'FOLLOW' && e.type !== 'LOAD') broadcast();
  }

  function broadcast(): void {
    const s = store.getState();
    if (channel && s.lesson && s.mode === 'presenter') channel.post({ lesson: s.lesson.id, step: s.step, blank: s.blank });
  }

  actor.subscribe((snap) => {
    const c: LessonContext = snap.context;
    store.setState({ step: c.step, answers: c.answers, tally: c.tally, blank: c.blank });
    refreshClaims();
  });

  /** Claims of the current step, when the world stands on its tick and nothing moves. */
  function refreshClaims(): void {
    const s = store.getState();
    const l = lab.getState();
    const step = s.lesson?.steps[s.step];
    const here = step !== undefined && l.cursor === step.tick && l.status !== 'playing' && l.status !== 'seeking';
    const key = here ? `${l.rev}:${s.step}` : '';
    if (key === claimsFor) return;
    claimsFor = key;
    store.setState({ claims: here ? checkClaims(l.timeline.current, step.claims ?? []) : null });
  }

  function follow(): void {
    const l = lab.getState();
    const s = store.getState();
    if (!s.lesson || l.status === 'playing') return;
    const steps = s.lesson.steps;
    // Several steps may share a tick: stay on the current one if it is at the cursor.
    if (steps[s.step]?.tick !== l.cursor) {
      const at = stepAt(steps, l.cursor);
      if (at !== s.step) actor.send({ type: 'FOLLOW', step: at });
    }
    refreshClaims();
  }

  function adopt(scenario: Scenario, step?: number): void {
    if (scenario === lessonOf) return;
    const prev = lessonOf;
    lessonOf = scenario;
    const lesson = scenario.lesson ?? null;
    // Acting in a lesson changes the scenario but not the lesson: keep the class's place.
    if (lesson && prev?.lesson && prev.lesson.id === lesson.id && prev.lesson.steps.length === lesson.steps.length) {
      store.setState({ lesson });
      follow();
      return;
    }
    claimsFor = '';
    store.setState({ lesson, title: scenario.name, claims: null });
    const at = step ?? (lesson ? stepAt(lesson.steps, lab.getState().cursor) : 0);
    actor.send({ type: 'LOAD', steps: lesson?.steps.length ?? 0, step: at });
  }

  actor.start();
  adopt(lab.getState().scenario, opts.step);
  const unsubLab = lab.subscribe((l, p) => {
    if (l.scenario !== p.scenario) adopt(l.scenario);
    if (l.cursor !== p.cursor || l.status !== p.status || l.rev !== p.rev) follow();
  });
  const unsubChannel = channel?.listen((m) => {
    const s = store.getState();
    if (s.mode !== 'audience' || !s.lesson || s.lesson.id !== m.lesson) return;
    if (m.step !== s.step) actor.send({ type: 'GOTO', step: m.step });
    if (m.blank !== store.getState().blank) actor.send({ type: 'BLANK' });
  });

  function dispose(): void {
    unsubLab();
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
        if (d && typeof d.lesson === 'string' && typeof d.step === 'number' && Number.isInteger(d.step) && typeof d.blank === 'boolean') cb(d as SyncMessage);
      };
      ch.addEventListener('message', on);
      return () => ch.removeEventListener('message', on);
    },
  };
}
