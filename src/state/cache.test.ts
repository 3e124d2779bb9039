import { describe, expect, it } from 'vitest';
import { Timeline, defaultScenario, faultsScenario, worldHash } from '../sim/index';
import type { Scenario } from '../sim/index';
import { WorldCache, freeze, thaw } from './cache';

/** The cache must yield the engine's worlds exactly: same hash as Timeline.worldAt. */
describe('WorldCache', () => {
  const check = (s: Scenario, path: number[]): void => {
    const tl = new Timeline(s);
    const c = new WorldCache(s);
    for (const t of path) {
      if (t > c.tick) c.forward(t);
      else c.seek(t);
      c.markNow();
      expect(c.tick).toBe(Math.min(t, s.duration));
      expect(worldHash(c.world), `tick ${t}`).toBe(worldHash(tl.worldAt(c.tick)));
    }
  };

  it('gives the engine world forwards, backwards and across marks', () => {
    check(faultsScenario(), [0, 5, 120, 260, 255, 90, 401, 400, 800, 30, 799]);
    check(defaultScenario(), [600, 0, 333, 100, 101]);
  });

  it('steps between busy ticks like the timeline', () => {
    const s = faultsScenario();
    const tl = new Timeline(s);
    const c = new WorldCache(s);
    c.seek(0);
    const stops: number[] = [];
    for (let n = c.nextStop(); n !== null && stops.length < 40; n = c.nextStop()) {
      c.seek(n);
      stops.push(n);
    }
    expect(stops).toEqual(tl.stopsBetween(1, stops[stops.length - 1]!));
    for (let i = stops.length - 1; i > 0; i--) expect(c.prevStop(stops[i]!)).toBe(stops[i - 1]);
  });

  it('stops early when its frame budget runs out, and resumes', () => {
    const s = defaultScenario();
    let clock = 0;
    const c = new WorldCache(s);
    const reached = c.forward(500, 5, () => (clock += 1));
    expect(reached).toBeLessThan(500);
    c.forward(500);
    expect(worldHash(c.world)).toBe(worldHash(new Timeline(s).worldAt(500)));
  });

  it('keeps marks before a change and rebuilds after it', () => {
    const s = faultsScenario();
    const c = new WorldCache(s);
    c.forward(300);
    c.markNow();
    const tl = new Timeline(s).act(250, { type: 'heal-all' }).timeline;
    const d = new WorldCache(tl.scenario, c, 250);
    d.seek(300);
    expect(worldHash(d.world)).toBe(worldHash(tl.worldAt(300)));
  });

  it('adopts a world computed elsewhere', () => {
    const s = faultsScenario();
    const tl = new Timeline(s);
    const c = new WorldCache(s);
    c.adopt(thaw(freeze(tl.worldAt(700))), tl.stopsBetween(0, 700), [[600, freeze(tl.worldAt(600))]]);
    expect(c.tick).toBe(700);
    const back = c.prevStop(700);
    c.seek(back);
    expect(worldHash(c.world)).toBe(worldHash(tl.worldAt(back)));
  });
});
