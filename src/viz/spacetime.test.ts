import { describe, expect, it } from 'vitest';
import { recordTrace } from '../sim/trace/trace';
import { faultsScenario } from '../sim/scenario/builtins';
import { HIT, dropReach, layoutSpaceTime, neighbourEvent } from './spacetime';

describe('space-time geometry', () => {
  const s = faultsScenario();
  const trace = recordTrace(s, 300);
  const L = layoutSpaceTime(trace, { from: 200, to: 300, width: 900 });

  it('puts lanes top to bottom, servers first, and every shown event on its lane inside the plot', () => {
    expect(L.lanes.map((l) => l.id)[0]).toBe('store');
    for (let i = 1; i < L.lanes.length; i++) expect(L.lanes[i]!.y).toBeGreaterThan(L.lanes[i - 1]!.y);
    expect(L.events.length).toBeGreaterThan(0);
    for (const e of L.events) {
      expect(e.y).toBe(L.lanes[e.lane]!.y);
      expect(e.x).toBeGreaterThanOrEqual(L.gutter);
      expect(e.x).toBeLessThanOrEqual(L.width);
      expect(trace.events[e.id]!.tick).toBeGreaterThanOrEqual(200);
    }
  });

  it("keeps time left to right and a lane's order within one tick", () => {
    const byLane = new Map<number, number[]>();
    for (const e of L.events) byLane.set(e.lane, [...(byLane.get(e.lane) ?? []), e.x]);
    for (const xs of byLane.values()) for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThan(xs[i - 1]!);
  });

  it('draws a received message from its send to its receive, a dropped one to where it died', () => {
    const got = L.arrows.find((a) => a.end === 'received')!;
    const se = L.events.find((e) => e.id === got.send);
    if (se) expect(got.x1).toBe(se.x);
    expect(got.x2).toBeGreaterThan(got.x1);
    const crashed = L.arrows.find((a) => a.end === 'dropped' && a.why === 'crashed');
    expect(crashed).toBeDefined();
    expect(dropReach({ sentAt: 3, drop: { tick: 3, why: 'lost' } })).toBeLessThan(
      dropReach({ sentAt: 3, drop: { tick: 6, why: 'crashed' } }),
    );
  });

  it('draws each operation as a bar from invoke to completion, ending at the edge while pending', () => {
    expect(L.bars.length).toBeGreaterThan(0);
    for (const b of L.bars) expect(b.x2).toBeGreaterThanOrEqual(b.x1);
    expect(L.bars.some((b) => b.outcome === 'info')).toBe(true);
  });

  it('marks the crash of the store and the axis ticks inside the window', () => {
    const crash = trace.events.find((e) => e.kind === 'fault' && e.fault === 'crash')!;
    expect(L.events.some((e) => e.id === crash.id)).toBe(true);
    for (const a of L.axis) expect(a.tick).toBeGreaterThanOrEqual(200);
  });

  it('moves focus along a lane and across lanes with the arrow keys', () => {
    const first = L.events.find((e) => e.lane === 1)!;
    const right = neighbourEvent(L, first.id, 'right');
    expect(L.events.find((e) => e.id === right)!.lane).toBe(1);
    expect(neighbourEvent(L, first.id, 'left')).toBe(first.id);
    const up = neighbourEvent(L, first.id, 'up');
    expect(L.events.find((e) => e.id === up)!.lane).toBe(0);
    expect(neighbourEvent(L, first.id, 'home')).toBe(first.id);
  });

  it('leaves room for the longest lane name', () => {
    const long = { ...trace, lanes: [...trace.lanes, { id: 'coordinator', kind: 'server' as const }] };
    expect(layoutSpaceTime(long, { from: 0, to: 10, width: 600 }).gutter).toBeGreaterThan(
      layoutSpaceTime(trace, { from: 0, to: 10, width: 600 }).gutter,
    );
  });

  it('fits a small box', () => {
    const small = layoutSpaceTime(trace, { from: 250, to: 300, width: 200, laneHeight: 18, gutter: 48 });
    for (const e of small.events) expect(e.x).toBeLessThanOrEqual(200);
    expect(small.height).toBeLessThan(L.height);
  });

  it("gives each event its own click target: a lane's targets never overlap, and each holds its event", () => {
    // 100 ticks in 400 px: several events of one tick sit a few px apart.
    const tight = layoutSpaceTime(trace, { from: 200, to: 300, width: 400 });
    let split = 0;
    const byLane = new Map<number, typeof tight.events>();
    for (const e of tight.events) byLane.set(e.lane, [...(byLane.get(e.lane) ?? []), e]);
    for (const lane of byLane.values()) {
      lane.sort((a, b) => a.x - b.x);
      lane.forEach((e, i) => {
        expect(e.hitX1).toBeLessThanOrEqual(e.x);
        expect(e.hitX2).toBeGreaterThanOrEqual(e.x);
        expect(e.hitX2 - e.hitX1).toBeLessThanOrEqual(2 * HIT);
        if (e.hitX2 - e.hitX1 < 2 * HIT) split += 1;
        const next = lane[i + 1];
        if (next) expect(e.hitX2).toBeLessThanOrEqual(next.hitX1);
      });
    }
    expect(split).toBeGreaterThan(0);
  });
});
