import { assign, setup } from 'xstate';

/**
 * Playback as a state machine: paused, playing, seeking (a far seek running in the worker),
 * ended. The machine decides what may happen next; the store does the work through the
 * actions it provides (`startClock`, `stopClock`, `rewind`), so the machine stays pure and
 * its rules are testable without a clock, a worker or a page.
 */

export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200] as const;
export const DEFAULT_SPEED = 10;

export type PlaybackEvent =
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  /** The cursor reached the scenario's end (while playing, stepping or scrubbing). */
  | { type: 'END' }
  /** The cursor moved back from the end. */
  | { type: 'LEFT_END' }
  /** A far seek started in the worker. */
  | { type: 'SEEK' }
  | { type: 'SEEK_DONE'; atEnd: boolean }
  | { type: 'SEEK_CANCEL' }
  | { type: 'SPEED'; speed: number };

export interface PlaybackContext {
  /** Ticks per second of wall time. */
  speed: number;
}

export type PlaybackStatus = 'paused' | 'playing' | 'seeking' | 'ended';

export const playbackMachine = setup({
  types: {
    context: {} as PlaybackContext,
    events: {} as PlaybackEvent,
    input: {} as { speed?: number } | undefined,
  },
  actions: {
    // Implemented by the store (machine.provide); no-ops here so the bare machine runs in tests.
    startClock: () => {},
    stopClock: () => {},
    rewind: () => {},
    speedChanged: () => {},
  },
}).createMachine({
  id: 'playback',
  initial: 'paused',
  context: ({ input }) => ({ speed: input?.speed ?? DEFAULT_SPEED }),
  on: {
    SPEED: { actions: [assign({ speed: ({ event }) => Math.max(0.1, event.speed) }), 'speedChanged'] },
  },
  states: {
    paused: {
      on: {
        PLAY: 'playing',
        TOGGLE: 'playing',
        END: 'ended',
        SEEK: 'seeking',
      },
    },
    playing: {
      entry: 'startClock',
      exit: 'stopClock',
      on: {
        PAUSE: 'paused',
        TOGGLE: 'paused',
        END: 'ended',
        // Seeking while playing pauses: a far jump is a deliberate move, not a frame.
        SEEK: 'seeking',
      },
    },
    seeking: {
      on: {
        SEEK_DONE: [{ guard: ({ event }) => event.atEnd, target: 'ended' }, { target: 'paused' }],
        SEEK_CANCEL: 'paused',
      },
    },
    ended: {
      on: {
        // Play at the end starts again from the beginning, as a video player does.
        PLAY: { target: 'playing', actions: 'rewind' },
        TOGGLE: { target: 'playing', actions: 'rewind' },
        LEFT_END: 'paused',
        SEEK: 'seeking',
      },
    },
  },
});
