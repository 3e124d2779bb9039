import { describe, expect, it } from 'vitest';
import { Timeline, worldHash } from '../sim/index';
import { createLabStore, firstDiffTick } from './store';
import type { LabHost } from './store';
import { inProcessWorker } from './workerPort';

function fakeHost(): LabHost {
  let t = 0;
  return {
    frames: { now: () => t, requestFrame: () => 0, cancelFrame: () => {} },
    now: () => (t += 1),
    idle: (cb) => cb(),
    timeout: (cb) => {
      cb();
      return 0;
    },
    createWorker: () => null,
  };
}

describe('the lab store', () => {
  it('acts at the cursor through Timeline.act and undoes through derive', () => {
    const store = createLabStore(fakeHost());
    const a = store.getState().actions;
    a.seekTo(50);
    expect(store.getState().cursor).toBe(50);
    a.operate('agent2', 'set', { key: 'color', value: 'blue' });
    const s = store.getState();
    expect(s.scenario.actions).toEqual([{ tick: 50, type: 'op', agent: 'agent2', op: 'set', args: { key: 'color', value: 'blue' } }]);
    a.seekTo(100);
    expect(store.getState().view.keys.find((k) => k.key === 'color')?.value).toBe('"blue"');
    expect(store.getState().hash?.hash).toBe(worldHash(new Timeline(s.scenario).worldAt(100)));
    a.undo();
    expect(store.getState().scenario.actions).toEqual([]);
    expect(store.getState().view.keys.find((k) => k.key === 'color')).toBeUndefined();
  });

  it('acting in the past drops later actions and says so', () => {
    const store = createLabStore(fakeHost());
    const a = store.getState().actions;
    a.seekTo(200);
    a.toggleCrash('store');
    a.seekTo(10);
    a.setLink('agent1', 'store', true);
    const s = store.getState();
    expect(s.scenario.actions.map((x) => x.type)).toEqual(['cut-link', 'cut-link']);
    expect(s.notice?.text).toMatch(/replaced 1 later action/);
    a.undo();
    expect(store.getState().scenario.actions.map((x) => x.type)).toEqual(['crash']);
  });

  it('refuses an operation the architecture rejects, without touching the log', () => {
    const store = createLabStore(fakeHost());
    expect(store.getState().actions.operate('agent1', 'set', { key: '', value: 1 })).toBe(false);
    expect(store.getState().scenario.actions).toEqual([]);
    expect(store.getState().notice?.tone).toBe('error');
  });

  it('spawns and removes agents', () => {
    const store = createLabStore(fakeHost());
    const a = store.getState().actions;
    expect(a.spawnAgent('idle')).toBe('agent4');
    expect(store.getState().view.agents.map((x) => x.id)).toContain('agent4');
    a.removeAgent('agent4');
    expect(store.getState().view.agents.map((x) => x.id)).not.toContain('agent4');
  });

  it('seeks far through the worker and lands on the engine world', async () => {
    const host = fakeHost();
    host.createWorker = () => inProcessWorker((cb) => setTimeout(cb, 0));
    host.timeout = (cb, ms) => setTimeout(cb, ms);
    const store = createLabStore(host, { scenarioId: 'long' });
    store.getState().actions.seekTo(5000);
    expect(store.getState().status).toBe('seeking');
    await new Promise<void>((resolve) => {
      const un = store.subscribe((s) => {
        if (s.status !== 'seeking') {
          un();
          resolve();
        }
      });
    });
    const s = store.getState();
    expect(s.cursor).toBe(5000);
    expect(worldHash(new Timeline(s.scenario).worldAt(5000))).toBeTruthy();
    store.getState().actions.stepBack();
    expect(store.getState().cursor).toBeLessThan(5000);
    store.getState().actions.dispose();
  });

  it('finds the first tick at which two logs differ', () => {
    const store = createLabStore(fakeHost());
    const s = store.getState().scenario;
    const t = new Timeline(s).act(40, { type: 'heal-all' }).timeline.scenario;
    expect(firstDiffTick(s, t)).toBe(40);
    expect(firstDiffTick(s, { ...s, seed: 1 })).toBe(-1);
  });
});
