import { describe, expect, it } from 'vitest';
import { worldAt } from '../../sim/engine/engine';
import type { Action, Scenario } from '../../sim/scenario/schema';
import { eventSourcingScenario } from '../../sim/scenario/builtins';
import { buildEventSourcingAsOf, buildEventSourcingView, TAPE_CELLS } from './eventSourcing';

describe('the event-sourcing view', () => {
  it("shows a bounded tape, each projection's lag, and the stale reads of a cut projection", () => {
    const s: Scenario = {
      ...eventSourcingScenario(),
      actions: [{ tick: 300, type: 'cut-link', from: 'log', to: 'proj1' }],
    };
    const w = worldAt(s, 600);
    const v = buildEventSourcingView(w, s);
    expect(v.head).toBeGreaterThan(TAPE_CELLS);
    expect(v.latest!.cells).toHaveLength(TAPE_CELLS);
    expect(v.latest!.cells[TAPE_CELLS - 1]!.version).toBe(v.head);
    const [p1, p2] = v.projections;
    expect(p1!.id).toBe('proj1');
    expect(p1!.cut).toBe(true);
    expect(p1!.lagEvents).toBeGreaterThan(0);
    expect(p1!.lagTicks).toBeGreaterThan(0);
    expect(p2!.lagEvents).toBeLessThan(p1!.lagEvents);
    expect(v.staleCount).toBeGreaterThan(0);
    expect(v.staleReads[0]!.projection).toBe('proj1');
    expect(v.staleReads[0]!.projectionVersion).toBeLessThan(v.staleReads[0]!.logVersion);
    // Nothing in the view points into the world.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('the state as of an earlier version is the log replayed to it, from the nearest snapshot', () => {
    const s: Scenario = { ...eventSourcingScenario(), actions: [] as Action[] };
    const w = worldAt(s, 300);
    const head = buildEventSourcingView(w, s).head;
    const a = buildEventSourcingAsOf(w, 13)!;
    expect(a.version).toBe(13);
    expect(a.from).toBe(10);
    expect(a.eventsApplied).toBe(3);
    expect(a.cells.some((c) => c.version === 13)).toBe(true);
    expect(buildEventSourcingAsOf(w, 0)!.state).toEqual([]);
    expect(buildEventSourcingAsOf(w, null)!.version).toBe(head);
  });
});
