import { assign, setup } from 'xstate';

/**
 * A lesson's steps as a state machine: which step the class is at, each step's prediction
 * and the class tally, and the blanked screen. The machine only decides; moving the world to
 * a step's tick is the store's work (the `moved` action), so the rules run in tests without
 * a page, a clock or a world.
 *
 * A question is asked at its step and revealed by stepping on: the answer shows from the
 * next step, whatever the prediction was.
 */

export type LessonEvent =
  /** A lesson was opened (or closed: steps 0). */
  | { type: 'LOAD'; steps: number; step?: number }
  | { type: 'NEXT' }
  | { type: 'PREV' }
  | { type: 'GOTO'; step: number }
  /** The cursor moved to another step's ticks by other means (scrubbing): follow it, move nothing. */
  | { type: 'FOLLOW'; step: number }
  | { type: 'ANSWER'; choice: number }
  | { type: 'TALLY'; choice: number; delta: 1 | -1 }
  | { type: 'BLANK' };

export interface LessonContext {
  steps: number;
  step: number;
  /** The prediction made at each step (null: none yet). */
  answers: (number | null)[];
  /** Per step, per choice: hands counted by the presenter. */
  tally: number[][];
  blank: boolean;
}

const clampStep = (c: LessonContext, s: number): number => Math.max(0, Math.min(c.steps - 1, Math.floor(s)));

export const lessonMachine = setup({
  types: { context: {} as LessonContext, events: {} as LessonEvent },
  actions: {
    // Implemented by the store (machine.provide): move the world to the step's tick.
    moved: () => {},
  },
}).createMachine({
  id: 'lesson',
  initial: 'none',
  context: { steps: 0, step: 0, answers: [], tally: [], blank: false },
  on: {
    LOAD: [
      {
        guard: ({ event }) => event.steps > 0,
        target: '.active',
        actions: assign(({ event }) => ({
          steps: event.steps,
          step: Math.max(0, Math.min(event.steps - 1, event.step ?? 0)),
          answers: Array.from({ length: event.steps }, () => null),
          tally: Array.from({ length: event.steps }, () => []),
          blank: false,
        })),
      },
      { target: '.none', actions: assign({ steps: 0, step: 0, answers: [], tally: [], blank: false }) },
    ],
  },
  states: {
    none: {},
    active: {
      on: {
        NEXT: {
          guard: ({ context }) => context.step < context.steps - 1,
          actions: [assign({ step: ({ context }) => context.step + 1 }), 'moved'],
        },
        PREV: {
          guard: ({ context }) => context.step > 0,
          actions: [assign({ step: ({ context }) => context.step - 1 }), 'moved'],
        },
        GOTO: { actions: [assign({ step: ({ context, event }) => clampStep(context, event.step) }), 'moved'] },
        FOLLOW: { actions: assign({ step: ({ context, event }) => clampStep(context, event.step) }) },
        ANSWER: {
          actions: assign({
            answers: ({ context, event }) => context.answers.map((a, i) => (i === context.step ? event.choice : a)),
          }),
        },
        TALLY: {
          actions: assign({
            tally: ({ context, event }) =>
              context.tally.map((row, i) => {
                if (i !== context.step) return row;
                const next = [...row];
                while (next.length <= event.choice) next.push(0);
                next[event.choice] = Math.max(0, next[event.choice]! + event.delta);
                return next;
              }),
          }),
        },
        BLANK: { actions: assign({ blank: ({ context }) => !context.blank }) },
      },
    },
  },
});
