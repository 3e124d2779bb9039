import { describe, expect, it } from 'vitest';
import { worldAt } from '../sim/engine/engine';
import { diskMarks } from '../sim/durability/marks';
import { suspicionOnsets } from '../sim/health/report';
import type { Scenario } from '../sim/scenario/schema';
import { createLabStore } from './store';
import type { LabStore } from './store';
import { testHost } from './host.testkit';

/** Resolves once the worker's summary of the store's current scenario has reached its end. */
function summarised(store: LabStore): Promise<void> {
  const done = (): boolean => {
    const s = store.getState();
    return s.markers.upTo >= s.scenario.duration && s.status !== 'seeking';
  };
  return new Promise((resolve) => {
    if (done()) return resolve();
    const un = store.subscribe(() => {
      if (done()) {
        un();
        resolve();
      }
    });
  });
}

function onsetTicks(s: Scenario, wantFalse: boolean): number[] {
  return suspicionOnsets(worldAt(s, s.duration).health)
    .filter((o) => o.false === wantFalse)
    .map((o) => o.tick);
}

describe("the timeline bar's markers from the worker's summary", () => {
  it('backups built-in: the backups, losses and restores are what durability reports, and no suspicions', async () => {
    const store = createLabStore(testHost({ worker: true }), { scenarioId: 'backups' });
    store.getState().actions.seekTo(1);
    await summarised(store);
    const { markers, scenario } = store.getState();
    const disk = diskMarks(worldAt(scenario, scenario.duration).durability);
    expect(disk.backups.length).toBeGreaterThan(0);
    expect(markers.backups).toEqual(disk.backups);
    expect(markers.losses).toEqual(disk.losses);
    expect(markers.restores).toEqual(disk.restores);
    expect(markers.losses).toEqual([145, 300]);
    expect(markers.restores).toEqual([320]);
    expect(markers.suspicions).toEqual([]);
    expect(markers.falseSuspicions).toEqual([]);
    store.getState().actions.dispose();
  });

  it('health built-in: the suspicions, true and false, are what the health report holds, and no disk marks', async () => {
    const store = createLabStore(testHost({ worker: true }), { scenarioId: 'health' });
    store.getState().actions.seekTo(1);
    await summarised(store);
    const { markers, scenario } = store.getState();
    const h = worldAt(scenario, scenario.duration).health!;
    expect(markers.suspicions).toEqual(onsetTicks(scenario, false));
    expect(markers.falseSuspicions).toEqual(onsetTicks(scenario, true));
    expect(markers.suspicions.length + markers.falseSuspicions.length).toBe(h.stats.suspicions);
    expect(markers.suspicions.length).toBeGreaterThan(0);
    expect(markers.falseSuspicions.length).toBeGreaterThan(0);
    expect([markers.backups, markers.losses, markers.restores]).toEqual([[], [], []]);
    store.getState().actions.dispose();
  });

  it('default scenario: nothing new to mark', async () => {
    const store = createLabStore(testHost({ worker: true }));
    store.getState().actions.seekTo(1);
    await summarised(store);
    const { markers } = store.getState();
    expect([markers.backups, markers.losses, markers.restores, markers.suspicions, markers.falseSuspicions]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
    store.getState().actions.dispose();
  });

  it('an edit trims the marks after its tick, and suspicions from before a reconfiguration stay', async () => {
    const store = createLabStore(testHost({ worker: true }), { scenarioId: 'health' });
    store.getState().actions.seekTo(1);
    await summarised(store);
    const before = store.getState().markers;
    expect(before.suspicions.some((t) => t < 300)).toBe(true);
    expect(before.falseSuspicions.some((t) => t >= 300)).toBe(true);
    store.getState().actions.seekTo(300);
    await summarised(store);
    expect(
      store
        .getState()
        .actions.act(
          [{ type: 'set-health', health: { period: 5, detector: 'phi', suspect: 3, down: 8, window: 20 } }],
          'φ accrual',
        ),
    ).toBe(true);
    const trimmed = store.getState().markers;
    expect(trimmed.suspicions).toEqual(before.suspicions.filter((t) => t < 300));
    expect(trimmed.falseSuspicions).toEqual(before.falseSuspicions.filter((t) => t < 300));
    expect(trimmed.upTo).toBeLessThan(300);
    await summarised(store);
    const after = store.getState().markers;
    const next = store.getState().scenario;
    // The reconfiguration started the health records afresh: the world no longer holds the
    // crash's suspicions, but the bar still marks them.
    const kept = before.suspicions.filter((t) => t < 300);
    expect(onsetTicks(next, false).filter((t) => t < 300)).toEqual([]);
    expect(after.suspicions).toEqual([...kept, ...onsetTicks(next, false)].sort((a, b) => a - b));
    expect(after.falseSuspicions).toEqual(
      [...before.falseSuspicions.filter((t) => t < 300), ...onsetTicks(next, true)].sort((a, b) => a - b),
    );
    store.getState().actions.dispose();
  });
});
