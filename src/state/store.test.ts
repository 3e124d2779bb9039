import { describe, expect, it } from 'vitest';
import { Timeline, workDone, worldAt, worldHash } from '../sim/index';
import { createLabStore, describeStop, firstDiffTick } from './store';
import { buildView, type WorldView } from './view';
import type { LabHost, LabStore } from './store';
import { inProcessWorker } from './jobs';
import { faultsScenario } from '../sim/scenario/builtins';

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

/** A host whose animation frames run when the test says, `ms` of wall time apart. */
function frameHost(): { host: LabHost; frames(n: number, ms: number): void } {
  let wall = 0;
  let pending: ((w: number) => void)[] = [];
  const host: LabHost = {
    ...fakeHost(),
    frames: {
      now: () => wall,
      requestFrame: (cb) => pending.push(cb),
      cancelFrame: () => {
        pending = [];
      },
    },
    now: () => wall,
  };
  const frames = (n: number, ms: number): void => {
    for (let i = 0; i < n; i++) {
      wall += ms;
      const run = pending;
      pending = [];
      for (const cb of run) cb(wall);
    }
  };
  return { host, frames };
}

/** The store's world at its cursor is the engine's world at that tick, computed from scratch. */
function expectEngineWorld(store: LabStore, why: string): void {
  const s = store.getState();
  expect(s.timeline.tick, why).toBe(s.cursor);
  expect(s.timeline.scenario, why).toBe(s.scenario);
  expect(worldHash(s.timeline.current), why).toBe(worldHash(worldAt(s.scenario, s.cursor)));
}

describe('Step and Step back', () => {
  it('are symmetric in every built-in scenario: each goes to the next or previous tick where something happens', () => {
    for (const id of ['default', 'faults', 'event-sourcing', 'gossip', 'partitioned', 'health', 'backups']) {
      const { host, frames } = frameHost();
      const store = createLabStore(host, { scenarioId: id, speed: 50 });
      const a = store.getState().actions;
      // From where playback leaves the cursor (often an idle tick), and from a seek.
      a.play();
      frames(20, 50);
      a.pause();
      for (const start of [store.getState().cursor, 73]) {
        a.seekTo(start);
        const busy = new Set(store.getState().timeline.stopsBetween(0, start + 400));
        const forward = [start];
        for (let i = 0; i < 12; i++) {
          a.step();
          forward.push(store.getState().cursor);
        }
        const back = [store.getState().cursor];
        for (let i = 0; i < 12; i++) {
          a.stepBack();
          back.push(store.getState().cursor);
        }
        // Back over the same stops; the last lands on the busy tick before the first stop,
        // which is the start itself when the start was busy.
        expect(back.slice(0, -1), `${id} from ${start}`).toEqual(forward.slice(1).reverse());
        const last = back.at(-1)!;
        expect(last <= start && (busy.has(start) ? last === start : true), `${id} from ${start}`).toBe(true);
        expect(store.getState().timeline.stopsBetween(last + 1, forward[1]! - 1), id).toEqual([]);
        for (const t of forward.slice(1)) expect(busy.has(t), `${id}: ${t} is a busy tick`).toBe(true);
        // Nothing happens strictly between two stops.
        for (let i = 2; i < forward.length; i++)
          expect(store.getState().timeline.stopsBetween(forward[i - 1]! + 1, forward[i]! - 1), id).toEqual([]);
      }
      a.seekTo(100);
      expectEngineWorld(store, `${id} after stepping`);
    }
  });
});

describe('the lab store', () => {
  it('while playing, rebuilds the panels only at their cadence, and each refresh is the whole view of its tick', () => {
    const { host, frames } = frameHost();
    // Timers fire between frames once their time has come, as a browser's would.
    let timers: { due: number; cb: () => void }[] = [];
    host.timeout = (cb, ms) => {
      timers.push({ due: host.now() + ms, cb });
      return 0;
    };
    const fireTimers = (): void => {
      const due = timers.filter((t) => t.due <= host.now());
      timers = timers.filter((t) => t.due > host.now());
      for (const t of due) t.cb();
    };
    const store = createLabStore(host, { scenarioId: 'default', speed: 100 });
    const a = store.getState().actions;
    a.select({ kind: 'agent', id: 'agent1' });
    a.play();
    const full = (tick: number): WorldView =>
      buildView(worldAt(store.getState().scenario, tick), store.getState().scenario, store.getState().selection);
    let refreshes = 0;
    let seen = store.getState().panelView;
    for (let i = 0; i < 30; i++) {
      frames(1, 50);
      fireTimers();
      const s = store.getState();
      expect(s.view.tick).toBe(s.cursor);
      if (s.panelView !== seen) {
        refreshes++;
        seen = s.panelView;
        expect(s.panelView, `panels at tick ${s.panelView.tick}`).toEqual(full(s.panelView.tick));
      }
    }
    // 30 frames of 50 ms: a refresh every 250 ms, not one per frame.
    expect(refreshes).toBeGreaterThanOrEqual(5);
    expect(refreshes).toBeLessThanOrEqual(7);
    a.pause();
    const s = store.getState();
    expect(s.panelView).toBe(s.view);
    expect(s.view).toEqual(full(s.cursor));
  });

  it('holds the engine world after playing, seeking back, acting in the past and undoing', () => {
    const { host, frames } = frameHost();
    const store = createLabStore(host, { scenarioId: 'default', speed: 100 });
    const a = store.getState().actions;
    a.play();
    frames(40, 50);
    a.pause();
    expect(store.getState().cursor).toBeGreaterThan(150);
    expectEngineWorld(store, 'after playing');
    const played = store.getState().cursor;
    a.seekTo(37);
    expectEngineWorld(store, 'after seeking back');
    a.step();
    expectEngineWorld(store, 'after a step');
    a.seekTo(played);
    a.stepBack();
    expectEngineWorld(store, 'after a step back');
    a.seekTo(120);
    a.toggleCrash('store');
    a.seekTo(60);
    a.toggleCrash('store');
    expect(store.getState().scenario.actions.map((x) => x.tick)).toEqual([60]);
    expectEngineWorld(store, 'after acting in the past');
    a.seekTo(played);
    expectEngineWorld(store, 'playing on from the act');
    a.undo();
    expectEngineWorld(store, 'after undo');
    a.seekTo(10);
    expectEngineWorld(store, 'back from the undo');
    a.play();
    frames(10, 50);
    a.pause();
    expectEngineWorld(store, 'playing after the undo');
    a.dispose();
  });

  it('plays at least one busy tick a frame however slow the frame, and keeps up with the clock', () => {
    const { host, frames } = frameHost();
    const store = createLabStore(host, { scenarioId: 'crowd', speed: 100 });
    store.getState().actions.play();
    frames(5, 16);
    expect(store.getState().cursor).toBeGreaterThan(0);
    expectEngineWorld(store, 'crowd after a few frames');
    store.getState().actions.dispose();
  });

  it('plays to a tick and pauses exactly there; a second playTo while on the way jumps', () => {
    const { host, frames } = frameHost();
    const store = createLabStore(host, { scenarioId: 'default', speed: 20 });
    const a = store.getState().actions;
    a.playTo(37);
    expect(store.getState().status).toBe('playing');
    frames(200, 100);
    expect(store.getState().status).toBe('paused');
    expect(store.getState().cursor).toBe(37);
    expectEngineWorld(store, 'paused at the stop');
    a.playTo(90);
    frames(3, 100);
    const mid = store.getState().cursor;
    expect(mid).toBeGreaterThan(37);
    expect(mid).toBeLessThan(90);
    a.playTo(90);
    expect(store.getState().status).toBe('paused');
    expect(store.getState().cursor).toBe(90);
    a.playTo(10);
    expect(store.getState().cursor).toBe(10);
    expectEngineWorld(store, 'back at 10');
    store.getState().actions.dispose();
  });

  it('acts at the cursor through Timeline.act and undoes through derive', () => {
    const store = createLabStore(fakeHost());
    const a = store.getState().actions;
    a.seekTo(50);
    expect(store.getState().cursor).toBe(50);
    a.operate('agent2', 'set', { key: 'color', value: 'blue' });
    const s = store.getState();
    expect(s.scenario.actions).toEqual([
      { tick: 50, type: 'op', agent: 'agent2', op: 'set', args: { key: 'color', value: 'blue' } },
    ]);
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

  it("opened with actions to keep, acting in the past keeps them (a challenge's own script)", () => {
    const store = createLabStore(fakeHost());
    const base = store.getState().scenario;
    const own = { tick: 100, type: 'op' as const, agent: 'agent1', op: 'get', args: { key: 'x' } };
    store.getState().actions.openScenario({ ...base, actions: [own] }, 0, 'challenge:test', { keep: [own] });
    store.getState().actions.seekTo(50);
    store.getState().actions.act([{ type: 'heal-all' }], 'Heal');
    expect(store.getState().scenario.actions.map((a) => [a.tick, a.type])).toEqual([
      [50, 'heal-all'],
      [100, 'op'],
    ]);
    // A scenario opened without it: the later log is replaced, as before.
    store.getState().actions.openScenario({ ...base, actions: [own] }, 0);
    store.getState().actions.seekTo(50);
    store.getState().actions.act([{ type: 'heal-all' }], 'Heal');
    expect(store.getState().scenario.actions.map((a) => a.tick)).toEqual([50]);
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
    expect(s.timeline.computedTo).toBeGreaterThanOrEqual(5000);
    expectEngineWorld(store, 'after adopting the worker result');
    store.getState().actions.stepBack();
    expect(store.getState().cursor).toBeLessThan(5000);
    expectEngineWorld(store, 'stepping back from the adopted world');
    store.getState().actions.seekTo(4801);
    expectEngineWorld(store, 'seeking back among adopted checkpoints');
    store.getState().actions.toggleCrash('store');
    store.getState().actions.seekTo(4900);
    expectEngineWorld(store, 'acting after adopting');
    store.getState().actions.dispose();
  });

  it('a far seek stops at the replay budget, says where, and Continue goes on to its target', async () => {
    const host = fakeHost();
    host.createWorker = () => inProcessWorker((cb) => setTimeout(cb, 0));
    host.timeout = (cb, ms) => setTimeout(cb, ms);
    const store = createLabStore(host, { scenarioId: 'long', replayBudget: 3000 });
    const settled = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const un = store.subscribe((s) => {
          if (s.status !== 'seeking') {
            un();
            resolve();
          }
        });
      });
    store.getState().actions.seekTo(5000);
    await settled();
    const s = store.getState();
    expect(s.stopped).not.toBeNull();
    const stop = s.stopped!;
    expect(stop.target).toBe(5000);
    expect(stop.budget).toBe(3000);
    expect(stop.tick).toBeLessThan(5000);
    expect(s.cursor).toBe(stop.tick);
    // Deterministic: the world where it stopped is the first whose work reached the budget.
    expect(workDone(worldAt(s.scenario, stop.tick))).toBe(stop.work);
    expect(stop.work).toBeGreaterThanOrEqual(3000);
    expectEngineWorld(store, 'where the budget stopped it');
    expect(describeStop(stop)).toContain('budget of 3,000 events, at tick');
    store.getState().actions.continueReplay();
    await settled();
    const s2 = store.getState();
    expect(s2.stopped === null ? s2.cursor : s2.stopped.tick).toBeGreaterThan(stop.tick);
    expectEngineWorld(store, 'after Continue');
    store.getState().actions.dispose();
  });

  it('finds the first tick at which two logs differ', () => {
    const store = createLabStore(fakeHost());
    const s = store.getState().scenario;
    const t = new Timeline(s).act(40, { type: 'heal-all' }).timeline.scenario;
    expect(firstDiffTick(s, t)).toBe(40);
    expect(firstDiffTick(s, { ...s, seed: 1 })).toBe(-1);
  });
  it('opens a given scenario paused at a tick, hashes it, and undoes back', () => {
    const store = createLabStore(fakeHost(), { autoplay: true });
    const before = store.getState().scenario;
    const next = faultsScenario();
    store.getState().actions.openScenario(next, 250, 'custom');
    const s = store.getState();
    expect(s.status).not.toBe('playing');
    expect(s.scenario).toBe(next);
    expect(s.scenarioId).toBe('custom');
    expect(s.cursor).toBe(250);
    expectEngineWorld(store, 'after opening');
    expect(s.hash).toEqual({ tick: 250, rev: s.rev, hash: worldHash(worldAt(next, 250)) });
    s.actions.undo();
    expect(store.getState().scenario).toBe(before);
    store.getState().actions.dispose();
  });
});
