import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timeline } from './timeline';
import { worldAt, worldHash } from '../engine/engine';
import { defaultScenario, faultsScenario } from '../scenario/builtins';
import { scenarioArb } from '../scenario/arbitrary.testkit';
import { deepFreeze } from '../core/hash';
import type { World } from '../engine/types';
import type { Action } from '../scenario/schema';
import { runs } from '../core/fuzz.testkit';

describe('seeking through checkpoints', () => {
  it('at 100 random ticks, seeking gives the same world as folding from tick 0', () => {
    const s = faultsScenario();
    const tl = new Timeline(s, { interval: 64 });
    tl.worldAt(s.duration); // fill the checkpoints first, so seeks go through them
    fc.assert(
      fc.property(fc.integer({ min: 0, max: s.duration }), (t) => {
        expect(worldHash(tl.worldAt(t))).toBe(worldHash(worldAt(s, t)));
      }),
      { numRuns: runs(100) },
    );
  });

  it('holds for random scenarios and random seek orders, backwards included', () => {
    fc.assert(
      fc.property(
        scenarioArb({ maxDuration: 200 }),
        fc.array(fc.nat({ max: 220 }), { minLength: 1, maxLength: 8 }),
        (s, ticks) => {
          const tl = new Timeline(s, { interval: 16 });
          for (const t of ticks) expect(worldHash(tl.worldAt(t))).toBe(worldHash(worldAt(s, t)));
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('never lets a caller mutate a checkpoint', () => {
    const s = defaultScenario();
    const tl = new Timeline(s, { interval: 50 });
    const w = tl.worldAt(120);
    deepFreeze(w);
    const again = tl.worldAt(120);
    again.history.length = 0;
    expect(worldHash(tl.worldAt(120))).toBe(worldHash(w));
  });
});

describe('the cursor', () => {
  it('steps to the next busy tick and back to the previous one', () => {
    const s = defaultScenario();
    const tl = new Timeline(s);
    const stops: number[] = [];
    for (let n = tl.nextStop(0); n !== null && stops.length < 30; n = tl.nextStop(n)) stops.push(n);
    expect(stops.length).toBe(30);
    for (let i = 1; i < stops.length; i++) {
      expect(stops[i]!).toBeGreaterThan(stops[i - 1]!);
      expect(tl.prevStop(stops[i]!)).toBe(stops[i - 1]);
      // Between two stops, nothing happens: the worlds differ only in the clock.
      const a = tl.worldAt(stops[i - 1]!);
      const b = tl.worldAt(stops[i]! - 1);
      expect(worldHash({ ...a, now: 0 })).toBe(worldHash({ ...b, now: 0 }));
    }
  });

  it('stops at the end', () => {
    const s = { ...defaultScenario(), duration: 50 };
    const tl = new Timeline(s);
    let t = 0;
    for (let n = tl.nextStop(t); n !== null; n = tl.nextStop(t)) t = n;
    expect(t).toBeLessThanOrEqual(50);
    expect(tl.nextStop(50)).toBeNull();
  });
});

describe('acting in the past forks the timeline', () => {
  it('drops the log after the tick, returns it for undo, and changes only the future', () => {
    const s = faultsScenario();
    const tl = new Timeline(s, { interval: 50 });
    tl.worldAt(s.duration);
    const { timeline, dropped } = tl.act(200, { type: 'crash', node: 'agent3' });
    expect(dropped.every((a) => a.tick > 200)).toBe(true);
    expect(dropped.length).toBe(s.actions.filter((a) => a.tick > 200).length);
    expect(timeline.scenario.actions.at(-1)).toEqual({ tick: 200, type: 'crash', node: 'agent3' });
    expect(worldHash(timeline.worldAt(199))).toBe(worldHash(tl.worldAt(199)));
    expect(worldHash(timeline.worldAt(200))).not.toBe(worldHash(tl.worldAt(200)));
    expect(worldHash(timeline.worldAt(500))).toBe(worldHash(worldAt(timeline.scenario, 500)));
    // Undo: the old log, with the checkpoints that are still good.
    const undone = timeline.derive(s);
    expect(worldHash(undone.worldAt(700))).toBe(worldHash(worldAt(s, 700)));
  });

  it('acting at the cursor shows the action in the world at that tick', () => {
    const s = defaultScenario();
    const tl = new Timeline(s);
    const { timeline } = tl.act(100, { type: 'crash', node: 'store' });
    expect(timeline.worldAt(100).net.crashed['store']).toBe(true);
    expect(tl.worldAt(100).net.crashed['store']).toBeUndefined();
  });
});

describe('handing work between timelines (a worker and the page)', () => {
  it("a timeline that adopts another one's far computation gives the same worlds and stops", () => {
    const s = faultsScenario();
    const page = new Timeline(s, { interval: 50 });
    page.seek(120);
    const worker = new Timeline(s, { interval: 50 });
    worker.seek(700);
    page.adopt(worker.exportAfter(page.computedTo));
    expect(page.tick).toBe(700);
    expect(worldHash(page.current as World)).toBe(worldHash(worldAt(s, 700)));
    for (const t of [130, 333, 650, 799]) expect(worldHash(page.worldAt(t))).toBe(worldHash(worldAt(s, t)));
    expect(page.prevStop(700)).toBe(worker.prevStop(700));
    expect(page.stopsBetween(0, 700)).toEqual(worker.stopsBetween(0, 700));
  });

  it('forward moves at most the given number of busy ticks', () => {
    const s = defaultScenario();
    const tl = new Timeline(s);
    tl.seek(0);
    const stops = tl.stopsBetween(1, 600).slice(0, 5);
    tl.seek(0);
    expect(tl.forward(600, 5)).toBe(stops[4]);
    expect(worldHash(tl.current as World)).toBe(worldHash(worldAt(s, stops[4]!)));
  });
});

describe('adopted worlds share like local ones', () => {
  it('re-freezes what can no longer change after a structured clone', () => {
    const s = faultsScenario();
    const worker = new Timeline(s, { interval: 50 });
    worker.seek(600);
    const x = structuredClone(worker.exportAfter(-1));
    expect(Object.isFrozen(x.world.history[0])).toBe(false);
    const page = new Timeline(s, { interval: 50 });
    page.adopt(x);
    const w = page.current as World;
    expect(w.history.filter((r) => r.outcome !== null).every((r) => Object.isFrozen(r))).toBe(true);
    expect(w.history.filter((r) => r.outcome === null).every((r) => !Object.isFrozen(r))).toBe(true);
    expect(worldHash(page.worldAt(650))).toBe(worldHash(worldAt(s, 650)));
  });
});

describe('acting in the past, keeping some later actions', () => {
  it('keeps the later actions the caller keeps, after the new one, and drops the rest', () => {
    const s = { ...faultsScenario(), actions: [] as Action[] };
    const op = (tick: number, key: string): Action => ({ tick, type: 'op', agent: 'agent1', op: 'get', args: { key } });
    const base = new Timeline({ ...s, actions: [op(10, 'a'), op(60, 'b'), op(100, 'c')] });
    const keep = (a: Action): boolean => a.type === 'op' && (a.args as { key: string }).key !== 'c';
    const r = base.act(50, { type: 'heal-all' }, keep);
    expect(r.timeline.scenario.actions.map((a) => [a.tick, a.type])).toEqual([
      [10, 'op'],
      [50, 'heal-all'],
      [60, 'op'],
    ]);
    expect(r.dropped.map((a) => a.tick)).toEqual([100]);
    expect(base.act(50, { type: 'heal-all' }).dropped.map((a) => a.tick)).toEqual([60, 100]);
  });
});
