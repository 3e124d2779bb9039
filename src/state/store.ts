import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createActor } from 'xstate';
import type { Action, ActionInput, JsonValue, Scenario, Workload } from '../sim/index';
import { Timeline, getArchitecture, worldHash } from '../sim/index';
import { canonicalJson } from '../sim/core/hash';
import { DEFAULT_SPEED, playbackMachine } from '../playback/machine';
import type { PlaybackStatus } from '../playback/machine';
import { Driver } from '../playback/driver';
import type { FrameHost } from '../playback/driver';
import { WorldCache, thaw } from './cache';
import { buildView, describeAction, shareView } from './view';
import type { Selection, WorldView } from './view';
import { opSummary } from './format';
import { findScenario } from './scenarios';
import type { FromWorker } from './protocol';
import type { WorkerPort } from './workerPort';

/**
 * The app's one store (Zustand, vanilla: React subscribes to it, it does not know React).
 *
 * It holds the scenario (the one thing that matters: seed, configuration, action log), the
 * engine's Timeline for that scenario (every act goes through Timeline.act, every undo
 * through Timeline.derive), the cursor tick, the view of the world at the cursor, and an
 * undo stack of earlier scenarios. It never decides an outcome: it asks the engine for the
 * world at a tick and reshapes it for display (view.ts).
 */

/** Seeks further than this many ticks from the nearest computed world go to the worker. */
export const FAR_TICKS = 2000;
/** Main-thread time a frame may spend advancing the world; the clock waits if it must. */
const FRAME_BUDGET_MS = 10;
const MAX_UNDO = 100;
const PANEL_EVERY_MS = 250;

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
  /** Offer Undo beside it (after an act dropped later actions). */
  undo: boolean;
}

export interface SeekState {
  target: number;
  done: number;
  total: number;
}

export interface UndoEntry {
  scenario: Scenario;
  scenarioId: string;
  label: string;
}

export interface Markers {
  /** Ticks of the scenario's actions. */
  actions: number[];
  /** Ticks at which operations failed or timed out (from the worker's full run). */
  failures: number[];
  /** Failures are final up to this tick. */
  upTo: number;
}

export interface LabActions {
  play(): void;
  pause(): void;
  toggle(): void;
  step(): void;
  stepBack(): void;
  toStart(): void;
  toEnd(): void;
  seekTo(tick: number): void;
  cancelSeek(): void;
  setSpeed(speed: number): void;
  select(sel: Selection | null): void;
  setActingAgent(id: string): void;
  /** Appends actions at the cursor tick (one user act; one undo step). False if refused. */
  act(inputs: ActionInput[], label: string): boolean;
  operate(agent: string, op: string, args: { [k: string]: JsonValue }): boolean;
  spawnAgent(workload: 'random' | 'idle'): string | null;
  removeAgent(id: string): void;
  setLink(agent: string, server: string, cut: boolean): void;
  toggleCrash(node: string): void;
  healAll(): void;
  undo(): void;
  loadScenario(id: string): void;
  dismissNotice(): void;
  dispose(): void;
}

export interface LabState {
  scenarioId: string;
  scenario: Scenario;
  timeline: Timeline;
  /** Bumped whenever the scenario changes; worker answers for older revisions are ignored. */
  rev: number;
  cursor: number;
  /** The playback's fractional tick (cursor ≤ frac < cursor + 1), for drawing messages. */
  frac: number;
  view: WorldView;
  /**
   * The view the panels read: the same as `view`, but refreshed at most every
   * PANEL_EVERY_MS while playing (numbers changing 60 times a second cannot be read anyway,
   * and re-laying out tables every frame costs the diagram its frame rate).
   */
  panelView: WorldView;
  status: PlaybackStatus;
  speed: number;
  selection: Selection | null;
  actingAgent: string | null;
  undo: UndoEntry[];
  notice: Notice | null;
  seek: SeekState | null;
  hash: { tick: number; rev: number; hash: string } | null;
  markers: Markers;
  error: string | null;
  actions: LabActions;
}

export interface LabHost {
  frames: FrameHost;
  now(): number;
  /** Runs cb when the main thread is idle (requestIdleCallback, or a timeout). */
  idle(cb: () => void): void;
  timeout(cb: () => void, ms: number): unknown;
  /** The simulation worker, created on first use; null runs everything in this thread. */
  createWorker(): WorkerPort | null;
}

export interface LabOptions {
  scenarioId?: string;
  autoplay?: boolean;
  speed?: number;
}

export type LabStore = StoreApi<LabState>;

function firstAgent(view: WorldView): string | null {
  return view.agents[0]?.id ?? null;
}

/** The first tick at which two scenarios can differ (-1: from the start). */
export function firstDiffTick(a: Scenario, b: Scenario): number {
  const { actions: xa, name: _na, ...ra } = a;
  const { actions: xb, name: _nb, ...rb } = b;
  if (canonicalJson(ra) !== canonicalJson(rb)) return -1;
  let i = 0;
  while (i < xa.length && i < xb.length && canonicalJson(xa[i]) === canonicalJson(xb[i])) i++;
  return Math.min(xa[i]?.tick ?? Infinity, xb[i]?.tick ?? Infinity);
}

export function createLabStore(host: LabHost, opts: LabOptions = {}): LabStore {
  const entry = findScenario(opts.scenarioId ?? 'default');
  const scenario0 = entry.make();
  let cache = new WorldCache(scenario0);
  let worker: WorkerPort | null | undefined;
  let noticeSeq = 0;
  let reqSeq = 0;
  let seekId: number | null = null;
  let hashTimer = false;
  let markQueued = false;
  let disposed = false;
  let panelAt = -Infinity;
  let panelTimer = false;

  const initialView = buildView(cache.world, scenario0, null);

  const store = createStore<LabState>()(() => ({
    scenarioId: entry.id,
    scenario: scenario0,
    timeline: new Timeline(scenario0),
    rev: 0,
    cursor: cache.tick < 0 ? 0 : cache.tick,
    frac: 0,
    view: initialView,
    panelView: initialView,
    status: 'paused',
    speed: opts.speed ?? DEFAULT_SPEED,
    selection: null,
    actingAgent: firstAgent(initialView),
    undo: [],
    notice: null,
    seek: null,
    hash: null,
    markers: { actions: scenario0.actions.map((a) => a.tick), failures: [], upTo: -1 },
    error: null,
    actions: null as unknown as LabActions,
  }));
  const get = store.getState;
  const set = store.setState;

  // ------------------------------------------------------------------ the world at the cursor

  function fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    set({ error: `The engine stopped on this step: ${message}` });
    if (get().status === 'playing') actor.send({ type: 'PAUSE' });
  }

  function refreshPanels(): void {
    panelAt = host.now();
    if (get().panelView !== get().view) set({ panelView: get().view });
  }

  function schedulePanels(): void {
    if (get().status !== 'playing') return refreshPanels();
    if (host.now() - panelAt >= PANEL_EVERY_MS) return refreshPanels();
    if (panelTimer) return;
    panelTimer = true;
    host.timeout(() => {
      panelTimer = false;
      if (!disposed) refreshPanels();
    }, PANEL_EVERY_MS);
  }

  /** Publishes the cache's world as the view at `tick`. */
  function commit(frac?: number): void {
    const s = get();
    const tick = Math.max(0, cache.tick);
    const view = shareView(s.view, buildView(cache.world, s.scenario, s.selection));
    set({ cursor: tick, frac: frac ?? tick, view, error: null });
    schedulePanels();
    const status = get().status;
    if (tick >= s.scenario.duration && (status === 'playing' || status === 'paused')) actor.send({ type: 'END' });
    else if (tick < s.scenario.duration && status === 'ended') actor.send({ type: 'LEFT_END' });
    scheduleHash();
    scheduleMark();
  }

  function moveTo(t: number): void {
    const s = get();
    const target = Math.max(0, Math.min(s.scenario.duration, Math.floor(t)));
    try {
      cache.seek(target);
    } catch (e) {
      fail(e);
      return;
    }
    commit();
    if (get().status === 'playing') driver.start(get().cursor, get().speed);
  }

  function scheduleMark(): void {
    if (markQueued || !cache.markDue()) return;
    markQueued = true;
    const c = cache;
    host.idle(() => {
      markQueued = false;
      if (c === cache && !disposed) c.markNow();
    });
  }

  // ------------------------------------------------------------------ the worker

  function port(): WorkerPort | null {
    if (worker !== undefined) return worker;
    worker = host.createWorker();
    if (worker) {
      worker.onmessage = (e) => onWorker(e.data);
      worker.postMessage({ type: 'scenario', rev: get().rev, scenario: get().scenario });
    }
    return worker;
  }

  function onWorker(m: FromWorker): void {
    if (disposed) return;
    const s = get();
    switch (m.type) {
      case 'hash':
        if (m.rev === s.rev) set({ hash: { tick: m.tick, rev: m.rev, hash: m.hash } });
        return;
      case 'summary':
        if (m.rev === s.rev) set({ markers: { ...s.markers, failures: m.failures, upTo: m.upTo } });
        return;
      case 'progress':
        if (m.id === seekId && s.seek) set({ seek: { ...s.seek, done: m.done, total: m.total } });
        return;
      case 'seek-done':
        if (m.id !== seekId) return;
        seekId = null;
        if (m.rev !== s.rev) {
          set({ seek: null });
          actor.send({ type: 'SEEK_CANCEL' });
          return;
        }
        cache.adopt(thaw(m.world), m.busy, m.marks);
        set({ seek: null });
        actor.send({ type: 'SEEK_DONE', atEnd: m.tick >= s.scenario.duration });
        commit();
        return;
      case 'seek-cancelled':
        if (m.id !== seekId) return;
        seekId = null;
        set({ seek: null });
        actor.send({ type: 'SEEK_CANCEL' });
        return;
      case 'error':
        if (m.id !== null && m.id === seekId) {
          seekId = null;
          set({ seek: null });
          actor.send({ type: 'SEEK_CANCEL' });
        }
        set({ notice: { id: ++noticeSeq, tone: 'error', text: `The worker stopped: ${m.message}`, undo: false } });
        return;
    }
  }

  function requestHash(): void {
    hashTimer = false;
    if (disposed) return;
    const s = get();
    const p = port();
    if (p) p.postMessage({ type: 'hash', id: ++reqSeq, rev: s.rev, tick: s.cursor });
    else set({ hash: { tick: s.cursor, rev: s.rev, hash: worldHash(cache.world) } });
  }

  function scheduleHash(): void {
    if (hashTimer) return;
    hashTimer = true;
    // The first screen does not need the worker: it starts when the page is first idle.
    if (worker === undefined) return host.idle(requestHash);
    // While playing, a few hashes a second are enough (each names its tick); when the
    // cursor rests, the hash of that tick follows at once.
    host.timeout(requestHash, get().status === 'playing' ? 400 : 30);
  }

  // ------------------------------------------------------------------ scenario changes

  function replaceScenario(next: Scenario, timeline: Timeline, validBefore: number, scenarioId: string): void {
    const s = get();
    try {
      cache = new WorldCache(next, cache, validBefore);
      cache.seek(Math.min(s.cursor, next.duration));
    } catch (e) {
      fail(e);
      return;
    }
    const rev = s.rev + 1;
    const keep = s.markers.failures.filter((t) => t < validBefore);
    set({
      scenario: next,
      timeline,
      rev,
      scenarioId,
      hash: null,
      markers: { actions: next.actions.map((a) => a.tick), failures: keep, upTo: Math.min(s.markers.upTo, validBefore - 1) },
    });
    port()?.postMessage({ type: 'scenario', rev, scenario: next });
    commit();
    if (get().status === 'playing') driver.start(get().cursor, get().speed);
  }

  function pushUndo(u: UndoEntry): UndoEntry[] {
    return [...get().undo, u].slice(-MAX_UNDO);
  }

  function notify(tone: Notice['tone'], text: string, undo = false): void {
    set({ notice: { id: ++noticeSeq, tone, text, undo } });
  }

  function nextAgentId(s: Scenario): string {
    const used = new Set<string>(s.agents.map((a) => a.id));
    for (const a of s.actions) if (a.type === 'spawn-agent') used.add(a.agent.id);
    let n = 1;
    while (used.has(`agent${n}`)) n++;
    return `agent${n}`;
  }

  // ------------------------------------------------------------------ playback

  const driver = new Driver(host.frames, (f) => {
    const s = get();
    const target = Math.min(s.scenario.duration, Math.floor(f));
    let reached = cache.tick;
    try {
      if (target > cache.tick) reached = cache.forward(target, FRAME_BUDGET_MS, host.now);
    } catch (e) {
      fail(e);
      return reached;
    }
    const frac = reached < target ? reached : Math.min(f, s.scenario.duration);
    if (reached !== s.cursor) commit(frac);
    else set({ frac });
    return reached;
  });

  const actor = createActor(
    playbackMachine.provide({
      actions: {
        startClock: ({ context }) => driver.start(get().cursor, context.speed),
        stopClock: () => {
          driver.stop();
          set({ frac: get().cursor });
          refreshPanels();
        },
        rewind: () => moveTo(0),
        speedChanged: ({ context }) => driver.setSpeed(context.speed),
      },
    }),
    { input: { speed: opts.speed ?? DEFAULT_SPEED } },
  );
  actor.subscribe((snap) => {
    const status = snap.value as PlaybackStatus;
    if (get().status !== status || get().speed !== snap.context.speed) set({ status, speed: snap.context.speed });
  });

  function pauseIfPlaying(): void {
    if (get().status === 'playing') actor.send({ type: 'PAUSE' });
  }

  // ------------------------------------------------------------------ actions

  const actions: LabActions = {
    play: () => actor.send({ type: 'PLAY' }),
    pause: () => actor.send({ type: 'PAUSE' }),
    toggle: () => actor.send({ type: 'TOGGLE' }),

    step() {
      if (get().status === 'seeking') return;
      pauseIfPlaying();
      const n = cache.nextStop();
      if (n !== null) moveTo(n);
    },
    stepBack() {
      if (get().status === 'seeking') return;
      pauseIfPlaying();
      const t = get().cursor;
      if (t > 0) moveTo(cache.prevStop(t));
    },
    toStart() {
      actions.seekTo(0);
    },
    toEnd() {
      actions.seekTo(get().scenario.duration);
    },
    seekTo(tick) {
      const s = get();
      if (s.status === 'seeking') return;
      const t = Math.max(0, Math.min(s.scenario.duration, Math.floor(tick)));
      const p = cache.distanceTo(t) > FAR_TICKS ? port() : null;
      if (!p) {
        moveTo(t);
        return;
      }
      seekId = ++reqSeq;
      set({ seek: { target: t, done: 0, total: t } });
      actor.send({ type: 'SEEK' });
      p.postMessage({ type: 'seek', id: seekId, rev: s.rev, tick: t });
    },
    cancelSeek() {
      if (seekId === null) return;
      const id = seekId;
      seekId = null;
      worker?.postMessage({ type: 'cancel', id });
      set({ seek: null });
      actor.send({ type: 'SEEK_CANCEL' });
    },
    setSpeed(speed) {
      actor.send({ type: 'SPEED', speed });
    },

    select(sel) {
      const s = get();
      const acting = sel?.kind === 'agent' ? sel.id : sel?.kind === 'link' ? sel.agent : s.actingAgent;
      set({ selection: sel, actingAgent: acting, view: shareView(s.view, buildView(cache.world, s.scenario, sel)) });
      refreshPanels();
    },
    setActingAgent(id) {
      set({ actingAgent: id });
    },

    act(inputs, label) {
      const s = get();
      if (s.status === 'seeking') {
        notify('error', 'Wait for the seek to finish, or cancel it, before acting.');
        return false;
      }
      if (inputs.length === 0) return false;
      const t = s.cursor;
      let timeline = s.timeline;
      const dropped: Action[] = [];
      try {
        for (const input of inputs) {
          const r = timeline.act(t, input);
          timeline = r.timeline;
          dropped.push(...r.dropped);
        }
      } catch (e) {
        fail(e);
        return false;
      }
      const firstNew = s.scenario.actions.filter((a) => a.tick <= t).length;
      set({ undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label }) });
      replaceScenario(timeline.scenario, timeline, t, s.scenarioId);
      const errs = cache.world.actionErrors.filter((e) => e.index >= firstNew && e.tick === t);
      if (errs.length > 0) notify('error', `At tick ${t}, ${errs.map((e) => e.reason).join('; ')}.`, true);
      else if (dropped.length > 0) {
        notify(
          'info',
          `${label} at tick ${t}. Acting in the past replaced ${dropped.length} later action${dropped.length === 1 ? '' : 's'} (${dropped
            .slice(0, 3)
            .map(describeAction)
            .join(', ')}${dropped.length > 3 ? ', …' : ''}).`,
          true,
        );
      } else notify('info', `${label} at tick ${t}.`);
      return true;
    },

    operate(agent, op, args) {
      const s = get();
      const bad = getArchitecture(s.scenario.architecture.kind).checkArgs(op, args);
      if (bad) {
        notify('error', `Not sent: ${bad}.`);
        return false;
      }
      const ok = actions.act([{ type: 'op', agent, op, args }], `${agent}: ${opSummary(op, args)}`);
      if (ok) actions.select({ kind: 'agent', id: agent });
      return ok;
    },

    spawnAgent(kind) {
      const s = get();
      const id = nextAgentId(s.scenario);
      const template = s.scenario.agents.find((a) => a.workload.kind === 'random')?.workload;
      const workload: Workload =
        kind === 'idle' ? { kind: 'idle' } : template ?? { kind: 'random', keys: ['x', 'y', 'z'], interval: 12, mix: { get: 5, set: 4, delete: 1, update: 1 } };
      const ok = actions.act([{ type: 'spawn-agent', agent: { id, workload, timeout: 20, retryEvery: 0 } }], `Spawned ${id}`);
      if (!ok) return null;
      actions.select({ kind: 'agent', id });
      return id;
    },
    removeAgent(id) {
      if (!actions.act([{ type: 'remove-agent', agent: id }], `Removed ${id}`)) return;
      const s = get();
      const next = s.view.agents.find((a) => a.id !== id)?.id ?? null;
      set({ actingAgent: next });
      if (s.selection?.kind === 'agent' && s.selection.id === id) actions.select(next ? { kind: 'agent', id: next } : null);
    },
    setLink(agent, server, cut) {
      const link = get().view.links.find((l) => l.agent === agent && l.server === server);
      if (!link) return;
      const inputs: ActionInput[] = [];
      const type = cut ? 'cut-link' : 'heal-link';
      if (link.cutOut !== cut) inputs.push({ type, from: agent, to: server });
      if (link.cutIn !== cut) inputs.push({ type, from: server, to: agent });
      actions.act(inputs, `${cut ? 'Cut' : 'Healed'} the link ${agent} – ${server}`);
    },
    toggleCrash(node) {
      const v = get().view;
      const crashed = v.servers.find((x) => x.id === node)?.crashed ?? v.agents.find((x) => x.id === node)?.crashed;
      if (crashed === undefined) return;
      actions.act([crashed ? { type: 'recover', node } : { type: 'crash', node }], `${crashed ? 'Recovered' : 'Crashed'} ${node}`);
    },
    healAll() {
      actions.act([{ type: 'heal-all' }], 'Healed every link');
    },

    undo() {
      const s = get();
      const u = s.undo[s.undo.length - 1];
      if (!u || s.status === 'seeking') return;
      const validBefore = firstDiffTick(s.scenario, u.scenario);
      set({ undo: s.undo.slice(0, -1) });
      replaceScenario(u.scenario, s.timeline.derive(u.scenario), validBefore, u.scenarioId);
      notify('info', `Undid: ${u.label}.`);
    },

    loadScenario(id) {
      const s = get();
      if (s.status === 'seeking') actions.cancelSeek();
      const e = findScenario(id);
      const next = e.make();
      set({ undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label: `open “${s.scenario.name}”` }), selection: null });
      set({ cursor: 0 });
      replaceScenario(next, new Timeline(next), -1, e.id);
      set({ actingAgent: firstAgent(get().view) });
      notify('info', `Opened “${next.name}”.`);
    },

    dismissNotice() {
      set({ notice: null });
    },

    dispose() {
      disposed = true;
      driver.stop();
      actor.stop();
      worker?.terminate();
    },
  };

  set({ actions });
  actor.start();
  try {
    cache.seek(0);
  } catch (e) {
    fail(e);
  }
  commit();
  if (opts.autoplay) actor.send({ type: 'PLAY' });
  return store;
}
