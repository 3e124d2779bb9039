import { describe, expect, it } from 'vitest';
import { worldAt, worldHash } from '../sim/index';
import { recordTraceFrom, type Trace } from '../sim/trace/trace';
import { createLabStore } from './store';
import { drainingHost, testHost } from './host.testkit';

function ask(store: ReturnType<typeof createLabStore>, from: number, to: number): Promise<Trace> {
  return new Promise((resolve) => store.getState().actions.requestTrace(from, to, 5000, resolve));
}

describe("the store's space-time traces", () => {
  for (const worker of [true, false]) {
    it(`records the window from the nearest checkpoint (${worker ? 'in the worker' : 'in this thread'}), leaving the cursor where it was`, async () => {
      const store = createLabStore(testHost({ worker }), { scenarioId: 'faults' });
      store.getState().actions.seekTo(350);
      const before = worldHash(store.getState().timeline.current);
      const t = await ask(store, 250, 350);
      const s = store.getState();
      expect(t).toEqual(
        JSON.parse(JSON.stringify(recordTraceFrom(worldAt(s.scenario, 249), s.scenario, 350, { maxEvents: 5000 }))),
      );
      expect(t.from).toBe(250);
      expect(t.to).toBe(350);
      expect(s.cursor).toBe(350);
      expect(worldHash(s.timeline.current)).toBe(before);
      s.actions.dispose();
    });
  }

  it('answers only the newest request', () => {
    const { host, drain } = drainingHost();
    const store = createLabStore(host, { scenarioId: 'faults' });
    const got: number[] = [];
    let last: Trace | null = null;
    store.getState().actions.requestTrace(0, 50, 5000, (t) => got.push(t.to));
    store.getState().actions.requestTrace(0, 80, 5000, (t) => (last = t));
    // Everything the worker will ever do for both requests, done before looking.
    drain();
    expect((last as Trace | null)?.to).toBe(80);
    expect(got).toEqual([]);
    store.getState().actions.dispose();
  });
});
