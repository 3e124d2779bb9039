import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { Driver, clockAt, tickAt } from './driver';
import type { FrameHost } from './driver';
import { playbackMachine } from './machine';

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
    const host: FrameHost = { now: () => now, requestFrame: (cb) => ((pending = cb), 1), cancelFrame: () => (pending = null) };
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
