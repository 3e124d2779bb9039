import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { Driver, clockAt, tickAt } from './driver';
import type { FrameHost } from './driver';
import { playbackMachine } from './machine';
import { lessonMachine } from './lesson';

describe('the playback machine', () => {
  it('plays, pauses, ends, rewinds and seeks', () => {
    const log: string[] = [];
    const actor = createActor(
      playbackMachine.provide({
        actions: {
          startClock: () => log.push('start'),
          stopClock: () => log.push('stop'),
          rewind: () => log.push('rewind'),
        },
      }),
    ).start();
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'TOGGLE' });
    expect(actor.getSnapshot().value).toBe('playing');
    actor.send({ type: 'END' });
    expect(actor.getSnapshot().value).toBe('ended');
    actor.send({ type: 'PLAY' });
    expect(actor.getSnapshot().value).toBe('playing');
    actor.send({ type: 'SEEK' });
    expect(actor.getSnapshot().value).toBe('seeking');
    actor.send({ type: 'PLAY' });
    expect(actor.getSnapshot().value).toBe('seeking');
    actor.send({ type: 'SEEK_DONE', atEnd: false });
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'SPEED', speed: 50 });
    expect(actor.getSnapshot().context.speed).toBe(50);
    expect(log).toEqual(['start', 'stop', 'rewind', 'start', 'stop']);
  });
});

describe('the driver', () => {
  it('maps wall time to ticks through the speed', () => {
    expect(tickAt(clockAt(1000, 5, 10), 1500)).toBe(10);
    expect(tickAt(clockAt(1000, 5, 10), 900)).toBe(5);
  });

  it('holds the clock at the world when the world falls behind', () => {
    let now = 0;
    let pending: ((t: number) => void) | null = null;
    const host: FrameHost = {
      now: () => now,
      requestFrame: (cb) => ((pending = cb), 1),
      cancelFrame: () => (pending = null),
    };
    const seen: number[] = [];
    let cap = Infinity;
    const d = new Driver(host, (f) => {
      seen.push(f);
      return Math.min(Math.floor(f), cap);
    });
    d.start(0, 100);
    const frame = (t: number): void => {
      now = t;
      const cb = pending;
      pending = null;
      cb?.(t);
    };
    frame(100); // 10 ticks
    cap = 12;
    frame(200); // wants 20, world reaches 12: the clock re-anchors at 12
    frame(300); // 12 + 10
    expect(seen).toEqual([10, 20, 22]);
    d.stop();
    expect(pending).toBeNull();
  });
});

describe('the lesson machine', () => {
  const start = (steps: number, step?: number) => {
    const moved: number[] = [];
    const a = createActor(
      lessonMachine.provide({ actions: { moved: ({ context }) => void moved.push(context.step) } }),
    );
    a.start();
    a.send(step === undefined ? { type: 'LOAD', steps } : { type: 'LOAD', steps, step });
    return { a, moved };
  };

  it('steps forward and back within the lesson, moving the world each time', () => {
    const { a, moved } = start(3);
    a.send({ type: 'PREV' });
    a.send({ type: 'NEXT' });
    a.send({ type: 'NEXT' });
    a.send({ type: 'NEXT' });
    a.send({ type: 'PREV' });
    expect(a.getSnapshot().context.step).toBe(1);
    expect(moved).toEqual([1, 2, 1]);
    a.send({ type: 'GOTO', step: 99 });
    expect(a.getSnapshot().context.step).toBe(2);
  });

  it('follows the cursor without moving it, and opens at a deep-linked step', () => {
    const { a, moved } = start(5, 3);
    expect(a.getSnapshot().context.step).toBe(3);
    a.send({ type: 'FOLLOW', step: 1 });
    expect(a.getSnapshot().context.step).toBe(1);
    expect(moved).toEqual([]);
  });

  it('keeps a prediction and a tally per step, never below zero, and toggles the blank screen', () => {
    const { a } = start(2);
    a.send({ type: 'ANSWER', choice: 2 });
    a.send({ type: 'TALLY', choice: 1, delta: 1 });
    a.send({ type: 'TALLY', choice: 1, delta: 1 });
    a.send({ type: 'TALLY', choice: 0, delta: -1 });
    a.send({ type: 'NEXT' });
    a.send({ type: 'BLANK' });
    const c = a.getSnapshot().context;
    expect(c.answers).toEqual([2, null]);
    expect(c.tally).toEqual([[0, 2], []]);
    expect(c.blank).toBe(true);
  });

  it('a lesson of no steps is no lesson', () => {
    const { a } = start(0);
    expect(a.getSnapshot().value).toBe('none');
    a.send({ type: 'NEXT' });
    expect(a.getSnapshot().context.step).toBe(0);
  });
});
