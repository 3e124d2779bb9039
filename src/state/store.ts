import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createActor } from 'xstate';
import type { Action, ActionInput, JsonValue, Lesson, Scenario, Workload, World } from '../sim/index';
// Straight from the modules, not '../sim/index': the index also re-exports the scenario
// schema (zod), which the first load does not need.
import { Timeline } from '../sim/timeline/timeline';
import { REPLAY_BUDGET, worldHash } from '../sim/engine/engine';
import { getArchitecture } from '../sim/architectures/registry';
import { canonicalJson } from '../sim/core/hash';
import { DEFAULT_SPEED, playbackMachine } from '../playback/machine';
import type { PlaybackStatus } from '../playback/machine';
import { Driver } from '../playback/driver';
import type { FrameHost } from '../playback/driver';
import { buildView, describeAction, shareView } from './view';
import type { LinkView, Selection, WorldView } from './view';
import { opSummary } from './format';
import { auditTrail, rollbackRequest } from '../sim/audit/audit';
import { findScenario } from './scenarios';
import { CHECKPOINT_EVERY } from './protocol';
import type { FromWorker, SummaryMarks } from './protocol';
import type { WorkerPort } from './workerPort';
import type { Trace } from '../sim/trace/trace';

/**
 * The app's one store (Zustand, vanilla: React subscribes to it, it does not know React).
 *
 * It holds the scenario (the one thing that matters: seed, configuration, action log), the
 * engine's Timeline for that scenario (every act goes through Timeline.act, every undo
 * through Timeline.derive), the cursor tick, the view of the world at the cursor, and an
 * undo stack of earlier scenarios. It never decides an outcome: it asks the engine for the
 * world at a tick and reshapes it for display (view.ts).
 *
 * The Timeline is also the store's only cache of worlds: its cursor is the store's cursor
 * (playback advances it in place, a bounded number of busy ticks per frame), it checkpoints
 * as it goes, and a far seek is computed by the worker's own Timeline and adopted here.
 */

/**
 * Seeks further than this many ticks beyond the computed part of the timeline go to the
 * worker (with three agents or fewer; with more, proportionally fewer ticks: `isFar`).
 */
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

export interface ReplayStop {
  tick: number;
  target: number;
  /** Events processed by the world at `tick` (workDone), and the budget it reached. */
  work: number;
  budget: number;
}

/** The sentence for a replay that stopped at its budget: the budget, and how far it got. */
export function describeStop(s: ReplayStop): string {
  const n = (x: number): string => x.toLocaleString('en');
  return `The replay stopped at its budget of ${n(s.budget)} events, at tick ${n(s.tick)} of ${n(s.target)} (${n(s.work)} events processed). Continue to compute the rest, or work from here.`;
}

export interface UndoEntry {
  scenario: Scenario;
  scenarioId: string;
  label: string;
}

export interface Markers extends SummaryMarks {
  /** Ticks of the scenario's actions. */
  actions: number[];
  /** Ticks at which operations failed or timed out (from the worker's full run). */
  failures: number[];
  /** Failures, and the worker's other marks (backups, losses, restores, suspicions), are final up to this tick. */
  upTo: number;
}

const NO_MARKS: SummaryMarks = { backups: [], losses: [], restores: [], suspicions: [], falseSuspicions: [] };

/** The summary's marks before `tick`: what an edit at `tick` leaves standing. */
function marksBefore(m: SummaryMarks, tick: number): SummaryMarks {
  const keep = (xs: number[]): number[] => xs.filter((t) => t < tick);
  return {
    backups: keep(m.backups),
    losses: keep(m.losses),
    restores: keep(m.restores),
    suspicions: keep(m.suspicions),
    falseSuspicions: keep(m.falseSuspicions),
  };
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
  /**
   * Plays from the cursor and pauses exactly at `tick` (a lesson's Next: the class watches
   * what happens on the way). Backwards, or while already playing to a stop, it jumps.
   */
  playTo(tick: number): void;
  cancelSeek(): void;
  /** A far seek stopped at the replay budget: allow another budget's worth and go on to its target. */
  continueReplay(): void;
  setSpeed(speed: number): void;
  select(sel: Selection | null): void;
  setActingAgent(id: string): void;
  /** Appends actions at the cursor tick (one user act; one undo step). False if refused. */
  act(inputs: ActionInput[], label: string): boolean;
  /** An agent issues an operation; the agent becomes the selection unless `keepSelection`. */
  operate(agent: string, op: string, args: { [k: string]: JsonValue }, keepSelection?: boolean): boolean;
  /** An agent rolls every key back to where it was at the end of `tick` (src/sim/audit). */
  rollbackStore(agent: string, tick: number): boolean;
  spawnAgent(workload: 'random' | 'idle'): string | null;
  removeAgent(id: string): void;
  /** Cuts or heals both directions of the link between two nodes. */
  setLink(a: string, b: string, cut: boolean): void;
  /** Cuts or heals every link the diagram draws to a node (an agent cut off from all). */
  setNodeLinks(node: string, cut: boolean): void;
  toggleCrash(node: string): void;
  healAll(): void;
  undo(): void;
  loadScenario(id: string): void;
  /**
   * Opens a given scenario (a share link, an imported file, the autosave), paused at `tick`
   * (far ticks go to the worker like any seek); one undo step back to the previous one.
   */
  /** `keep`: actions that acting in the past keeps instead of dropping (a challenge's own script). */
  openScenario(scenario: Scenario, tick: number, scenarioId?: string, opts?: { keep?: readonly Action[] }): void;
  /**
   * Renames the scenario and sets its lesson (undefined: none), as the lesson editor writes
   * it: one undo step; the worlds are kept (narration is not part of the run).
   */
  narrate(name: string, lesson: Lesson | undefined, label: string): void;
  /** Says something in the notice bar (what a link or a lesson could not open, and why). */
  notify(tone: Notice['tone'], text: string): void;
  dismissNotice(): void;
  /**
   * A space-time trace of ticks from..to of the current scenario, for `onTrace` (computed in
   * the worker from its nearest checkpoint; in this thread without one). Only the newest
   * request is answered.
   */
  requestTrace(from: number, to: number, maxEvents: number, onTrace: (trace: Trace) => void): void;
  dispose(): void;
}

export interface LabState {
  scenarioId: string;
  /**
   * The canonical JSON of actions that acting in the past keeps instead of dropping: a
   * challenge's own script (`openScenario(…, { keep })`).
   */
  pinned: readonly string[];
  scenario: Scenario;
  /** The scenario's Timeline: the worlds around the cursor. Its `current` is the cursor's world. */
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
  /**
   * Bumped by every act and every undo (each also says what it did in `notice`), so the UI
   * can take focus off the button that did it: Space there would do it again.
   */
  acted: number;
  notice: Notice | null;
  seek: SeekState | null;
  /**
   * The last far seek stopped at the replay budget before its target (the cursor is where it
   * stopped): what to say, and where "Continue" goes.
   */
  stopped: ReplayStop | null;
  /**
   * Bumped when a different scenario is opened (the menu, a link, a file, a lesson), before
   * it replaces this one, and never by an edit: recent work starts a new entry on it.
   */
  opened: number;
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
  /** Events a replay may process before it stops and asks (tests use a small one). */
  replayBudget?: number;
}

export type LabStore = StoreApi<LabState>;

function firstAgent(view: WorldView): string | null {
  return view.agents[0]?.id ?? null;
}

/** The first tick at which two scenarios can differ (-1: from the start). */
export function firstDiffTick(a: Scenario, b: Scenario): number {
  const { actions: xa, name: _na, lesson: _la, ...ra } = a;
  const { actions: xb, name: _nb, lesson: _lb, ...rb } = b;
  if (canonicalJson(ra) !== canonicalJson(rb)) return -1;
  let i = 0;
  while (i < xa.length && i < xb.length && canonicalJson(xa[i]) === canonicalJson(xb[i])) i++;
  return Math.min(xa[i]?.tick ?? Infinity, xb[i]?.tick ?? Infinity);
}

/** The cut or heal actions that bring each direction of these links to `cut`. */
function linkInputs(links: readonly LinkView[], cut: boolean): ActionInput[] {
  const type = cut ? 'cut-link' : 'heal-link';
  const inputs: ActionInput[] = [];
  for (const l of links) {
    if (l.cutAB !== cut) inputs.push({ type, from: l.a, to: l.b });
    if (l.cutBA !== cut) inputs.push({ type, from: l.b, to: l.a });
  }
  return inputs;
}

export function createLabStore(host: LabHost, opts: LabOptions = {}): LabStore {
  const entry = findScenario(opts.scenarioId ?? 'default');
  const scenario0 = entry.make();
  let tl = new Timeline(scenario0, { interval: CHECKPOINT_EVERY });
  let worker: WorkerPort | null | undefined;
  let noticeSeq = 0;
  let reqSeq = 0;
  let seekId: number | null = null;
  /** Events the worker's replay of this scenario may process; "Continue" raises it. */
  const budgetStep = opts.replayBudget ?? REPLAY_BUDGET;
  let budget = budgetStep;
  /** Where playTo pauses; null: play to the end. */
  let stopAt: number | null = null;
  /** How far the timeline was computed when the pending far seek was asked for. */
  let seekAfter = -1;
  /**
   * Stretches (from, to) of ticks below `computedTo` without checkpoints: a far seek's
   * answer brings only the last few checkpoints before its target (jobs.ts, trimExport).
   */
  let gaps: { from: number; to: number }[] = [];
  let hashTimer = false;
  let disposed = false;
  let panelAt = -Infinity;
  let panelTimer = false;
  let traceReq: { id: number; onTrace: (trace: Trace) => void } | null = null;

  /** The cursor's world, lent by the timeline: read it at once, keep nothing of it. */
  const world = (): World => tl.current as World;

  const initialView = buildView(world(), scenario0, null);

  const store = createStore<LabState>()(() => ({
    scenarioId: entry.id,
    pinned: [],
    scenario: scenario0,
    timeline: tl,
    rev: 0,
    cursor: tl.tick < 0 ? 0 : tl.tick,
    frac: 0,
    view: initialView,
    panelView: initialView,
    status: 'paused',
    speed: opts.speed ?? DEFAULT_SPEED,
    selection: null,
    actingAgent: firstAgent(initialView),
    undo: [],
    acted: 0,
    notice: null,
    seek: null,
    stopped: null,
    opened: 0,
    hash: null,
    markers: { actions: scenario0.actions.map((a) => a.tick), failures: [], upTo: -1, ...NO_MARKS },
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

  /** Whether `view` carries panel parts older than its tick (built for a frame while playing). */
  let panelsBehind = false;

  function refreshPanels(): void {
    panelAt = host.now();
    if (panelsBehind) {
      const s = get();
      panelsBehind = false;
      set({ view: shareView(s.view, buildView(world(), s.scenario, s.selection)) });
    }
    if (get().panelView !== get().view) set({ panelView: get().view });
  }

  function schedulePanels(): void {
    if (get().status !== 'playing') return refreshPanels();
    const wait = PANEL_EVERY_MS - (host.now() - panelAt);
    if (wait <= 0) return refreshPanels();
    if (panelTimer) return;
    panelTimer = true;
    const at = panelAt;
    // A frame may refresh the panels before the timer fires: then it only sets the next one.
    host.timeout(() => {
      panelTimer = false;
      if (disposed) return;
      if (panelAt === at) refreshPanels();
      else schedulePanels();
    }, wait);
  }

  /** Publishes the timeline's world as the view at its cursor. */
  function commit(frac?: number): void {
    const s = get();
    const tick = Math.max(0, tl.tick);
    // Between the panels' refreshes while playing, only what the diagrams draw is rebuilt.
    const framesOnly = s.status === 'playing' && host.now() - panelAt < PANEL_EVERY_MS;
    const view = shareView(s.view, buildView(world(), s.scenario, s.selection, framesOnly ? s.view : undefined));
    panelsBehind = framesOnly;
    set({ cursor: tick, frac: frac ?? tick, view, error: null });
    schedulePanels();
    const status = get().status;
    if (tick >= s.scenario.duration && (status === 'playing' || status === 'paused')) actor.send({ type: 'END' });
    else if (tick < s.scenario.duration && status === 'ended') actor.send({ type: 'LEFT_END' });
    scheduleHash();
  }

  function moveTo(t: number): void {
    const s = get();
    const target = Math.max(0, Math.min(s.scenario.duration, Math.floor(t)));
    try {
      tl.seek(target);
    } catch (e) {
      fail(e);
      return;
    }
    commit();
    if (get().status === 'playing') driver.start(get().cursor, get().speed);
  }

  /**
   * Ticks the main thread would compute to put the cursor at t: below computedTo a
   * checkpoint is at most an interval away (except in a gap); beyond it, the work starts
   * from computedTo (the cursor never runs ahead of it) or the cursor.
   */
  function ticksToCompute(t: number): number {
    let from = Math.min(t, tl.computedTo);
    for (const g of gaps) if (t > g.from && t < g.to) from = g.from;
    if (t >= tl.tick) from = Math.max(from, tl.tick);
    return t - from;
  }

  /**
   * Whether putting the cursor at t is work for the worker (progress and Cancel) rather than
   * for this thread: FAR_TICKS of the default three agents, fewer ticks with more agents
   * (each agent's work is most of a tick's), so a crowd's near seek does not block the page.
   */
  function isFar(t: number): boolean {
    const sc = get().scenario;
    let agents = sc.agents.length;
    for (const a of sc.actions) if (a.type === 'spawn-agent') agents += 1;
    return ticksToCompute(t) * Math.max(3, agents) > FAR_TICKS * 3;
  }

  // ------------------------------------------------------------------ the worker

  function port(): WorkerPort | null {
    if (worker !== undefined) return worker;
    worker = host.createWorker();
    if (worker) {
      worker.onmessage = (e) => onWorker(e.data);
      worker.postMessage({ type: 'scenario', rev: get().rev, scenario: get().scenario, budget });
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
        if (m.rev === s.rev)
          set({
            markers: {
              actions: s.markers.actions,
              failures: m.failures,
              upTo: m.upTo,
              backups: m.backups,
              losses: m.losses,
              restores: m.restores,
              suspicions: m.suspicions,
              falseSuspicions: m.falseSuspicions,
            },
          });
        return;
      case 'progress':
        if (m.id === seekId && s.seek) set({ seek: { ...s.seek, done: m.done, total: m.total } });
        return;
      case 'seek-done':
      case 'seek-stopped': {
        // A finished seek and one stopped at the replay budget both bring a timeline to adopt.
        if (m.id !== seekId) return;
        seekId = null;
        if (m.rev !== s.rev) {
          set({ seek: null });
          actor.send({ type: 'SEEK_CANCEL' });
          return;
        }
        try {
          const first = m.timeline.checkpoints[0]?.now ?? m.tick;
          if (first - seekAfter > CHECKPOINT_EVERY) gaps.push({ from: seekAfter, to: first });
          tl.adopt(m.timeline);
        } catch (e) {
          fail(e);
        }
        set(
          m.type === 'seek-stopped'
            ? { seek: null, stopped: { tick: m.tick, target: m.target, work: m.work, budget: m.budget } }
            : { seek: null },
        );
        actor.send({ type: 'SEEK_DONE', atEnd: m.tick >= s.scenario.duration });
        commit();
        return;
      }
      case 'seek-cancelled':
        if (m.id !== seekId) return;
        seekId = null;
        set({ seek: null });
        actor.send({ type: 'SEEK_CANCEL' });
        return;
      case 'trace':
        if (traceReq === null || m.id !== traceReq.id || m.rev !== s.rev) return;
        traceReq.onTrace(m.trace);
        traceReq = null;
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
    else set({ hash: { tick: s.cursor, rev: s.rev, hash: worldHash(world()) } });
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

  /** Switches to `timeline` (a derive of the current one where it could be: its checkpoints before `validBefore` are kept). */
  function replaceScenario(next: Scenario, timeline: Timeline, validBefore: number, scenarioId: string): void {
    const s = get();
    tl = timeline;
    // The timeline keeps checkpoints before validBefore only; so do the gaps.
    gaps = gaps.filter((g) => g.from < validBefore).map((g) => ({ from: g.from, to: Math.min(g.to, validBefore) }));
    try {
      tl.seek(Math.min(s.cursor, next.duration));
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
      markers: {
        actions: next.actions.map((a) => a.tick),
        failures: keep,
        upTo: Math.min(s.markers.upTo, validBefore - 1),
        ...marksBefore(s.markers, validBefore),
      },
    });
    port()?.postMessage({ type: 'scenario', rev, scenario: next, budget });
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
    const target = Math.min(s.scenario.duration, stopAt ?? Infinity, Math.floor(f));
    let reached = tl.tick;
    try {
      // At least one busy tick per frame, then more while the frame budget lasts.
      const start = host.now();
      while (tl.tick < target) {
        tl.forward(target, 1);
        if (host.now() - start >= FRAME_BUDGET_MS) break;
      }
      reached = tl.tick;
    } catch (e) {
      fail(e);
      return reached;
    }
    const frac = reached < target ? reached : Math.min(f, s.scenario.duration, stopAt ?? Infinity);
    if (reached !== s.cursor) commit(frac);
    else set({ frac });
    if (stopAt !== null && reached >= stopAt) {
      stopAt = null;
      actor.send({ type: 'PAUSE' });
    }
    return reached;
  });

  const actor = createActor(
    playbackMachine.provide({
      actions: {
        startClock: ({ context }) => driver.start(get().cursor, context.speed),
        stopClock: () => {
          stopAt = null;
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
      const n = tl.nextStop(get().cursor);
      if (n !== null) moveTo(n);
    },
    stepBack() {
      if (get().status === 'seeking') return;
      pauseIfPlaying();
      const t = get().cursor;
      if (t > 0) moveTo(tl.prevStop(t));
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
      const p = isFar(t) ? port() : null;
      if (!p) {
        moveTo(t);
        return;
      }
      seekId = ++reqSeq;
      set({ seek: { target: t, done: 0, total: t }, stopped: null });
      actor.send({ type: 'SEEK' });
      seekAfter = tl.computedTo;
      p.postMessage({ type: 'seek', id: seekId, rev: s.rev, tick: t, after: seekAfter });
    },
    playTo(tick) {
      const s = get();
      if (s.status === 'seeking') return;
      const t = Math.max(0, Math.min(s.scenario.duration, Math.floor(tick)));
      // A second Next while playing to a stop skips ahead; far or backwards goes straight there.
      if (t <= s.cursor || stopAt !== null || isFar(t)) {
        pauseIfPlaying();
        actions.seekTo(t);
        return;
      }
      stopAt = t;
      if (s.status === 'playing') return;
      actor.send({ type: 'PLAY' });
    },
    cancelSeek() {
      if (seekId === null) return;
      const id = seekId;
      seekId = null;
      worker?.postMessage({ type: 'cancel', id });
      set({ seek: null });
      actor.send({ type: 'SEEK_CANCEL' });
    },
    continueReplay() {
      const stop = get().stopped;
      if (!stop || get().status === 'seeking') return;
      budget += budgetStep;
      port()?.postMessage({ type: 'budget', rev: get().rev, budget });
      set({ stopped: null });
      actions.seekTo(stop.target);
    },
    setSpeed(speed) {
      actor.send({ type: 'SPEED', speed });
    },

    select(sel) {
      const s = get();
      const linkAgent =
        sel?.kind === 'link' ? [sel.a, sel.b].find((n) => s.view.agents.some((a) => a.id === n)) : undefined;
      const acting = sel?.kind === 'agent' ? sel.id : (linkAgent ?? s.actingAgent);
      panelsBehind = false;
      set({ selection: sel, actingAgent: acting, view: shareView(s.view, buildView(world(), s.scenario, sel)) });
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
      let timeline = tl;
      const dropped: Action[] = [];
      try {
        const pinned = new Set(s.pinned);
        const keep = pinned.size === 0 ? undefined : (a: Action): boolean => pinned.has(canonicalJson(a));
        for (const input of inputs) {
          const r = timeline.act(t, input, keep);
          timeline = r.timeline;
          dropped.push(...r.dropped);
        }
      } catch (e) {
        fail(e);
        return false;
      }
      const firstNew = s.scenario.actions.filter((a) => a.tick <= t).length;
      set({ undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label }), acted: s.acted + 1 });
      replaceScenario(timeline.scenario, timeline, t, s.scenarioId);
      const errs = world().actionErrors.filter((e) => e.index >= firstNew && e.tick === t);
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

    operate(agent, op, args, keepSelection = false) {
      const s = get();
      const bad = getArchitecture(s.scenario.architecture.kind).checkArgs(op, args);
      if (bad) {
        notify('error', `Not sent: ${bad}.`);
        return false;
      }
      const ok = actions.act([{ type: 'op', agent, op, args }], `${agent}: ${opSummary(op, args)}`);
      if (ok && !keepSelection) actions.select({ kind: 'agent', id: agent });
      return ok;
    },
    rollbackStore(agent, tick) {
      const w = world();
      const req = rollbackRequest(w, auditTrail(w), null, { tick });
      if (!req) {
        notify('info', `Nothing to roll back: every key is as it was at tick ${tick}.`);
        return false;
      }
      return actions.operate(agent, req.op, req.args);
    },

    spawnAgent(kind) {
      const s = get();
      const id = nextAgentId(s.scenario);
      const template = s.scenario.agents.find((a) => a.workload.kind === 'random')?.workload;
      const workload: Workload =
        kind === 'idle'
          ? { kind: 'idle' }
          : (template ?? {
              kind: 'random',
              keys: ['x', 'y', 'z'],
              interval: 12,
              mix: { get: 5, set: 4, delete: 1, update: 1 },
            });
      const ok = actions.act(
        [{ type: 'spawn-agent', agent: { id, workload, timeout: 20, retryEvery: 0 } }],
        `Spawned ${id}`,
      );
      if (!ok) return null;
      actions.select({ kind: 'agent', id });
      return id;
    },
    removeAgent(id) {
      if (!actions.act([{ type: 'remove-agent', agent: id }], `Removed ${id}`)) return;
      const s = get();
      const next = s.view.agents.find((a) => a.id !== id)?.id ?? null;
      set({ actingAgent: next });
      if (s.selection?.kind === 'agent' && s.selection.id === id)
        actions.select(next ? { kind: 'agent', id: next } : null);
    },
    setLink(a, b, cut) {
      const link = get().view.links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
      if (!link) return;
      actions.act(linkInputs([link], cut), `${cut ? 'Cut' : 'Healed'} the link ${a} – ${b}`);
    },
    setNodeLinks(node, cut) {
      const links = get().view.links.filter((l) => l.a === node || l.b === node);
      if (links.length === 0) return;
      actions.act(linkInputs(links, cut), `${cut ? 'Cut' : 'Healed'} ${node}'s link${links.length === 1 ? '' : 's'}`);
    },
    toggleCrash(node) {
      const v = get().view;
      const crashed = v.servers.find((x) => x.id === node)?.crashed ?? v.agents.find((x) => x.id === node)?.crashed;
      if (crashed === undefined) return;
      actions.act(
        [crashed ? { type: 'recover', node } : { type: 'crash', node }],
        `${crashed ? 'Recovered' : 'Crashed'} ${node}`,
      );
    },
    healAll() {
      actions.act([{ type: 'heal-all' }], 'Healed every link');
    },

    undo() {
      const s = get();
      const u = s.undo[s.undo.length - 1];
      if (!u || s.status === 'seeking') return;
      const validBefore = firstDiffTick(s.scenario, u.scenario);
      set({ undo: s.undo.slice(0, -1), acted: s.acted + 1 });
      replaceScenario(u.scenario, tl.derive(u.scenario), validBefore, u.scenarioId);
      notify('info', `Undid: ${u.label}.`);
    },

    loadScenario(id) {
      const s = get();
      if (s.status === 'seeking') actions.cancelSeek();
      const e = findScenario(id);
      const next = e.make();
      set({
        pinned: [],
        undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label: `open “${s.scenario.name}”` }),
        selection: null,
        opened: s.opened + 1,
      });
      set({ cursor: 0, stopped: null });
      // Another scenario, another replay: it gets a budget of its own.
      budget = budgetStep;
      replaceScenario(next, new Timeline(next, { interval: CHECKPOINT_EVERY }), -1, e.id);
      set({ actingAgent: firstAgent(get().view) });
      notify('info', `Opened “${next.name}”.`);
    },

    openScenario(next, tick, scenarioId = 'custom', opts = {}) {
      const s = get();
      if (s.status === 'seeking') actions.cancelSeek();
      pauseIfPlaying();
      set({
        undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label: `open “${s.scenario.name}”` }),
        selection: null,
        pinned: (opts.keep ?? []).map((a) => canonicalJson(a)),
        opened: s.opened + 1,
      });
      set({ cursor: 0, stopped: null });
      // Another scenario, another replay: it gets a budget of its own.
      budget = budgetStep;
      replaceScenario(next, new Timeline(next, { interval: CHECKPOINT_EVERY }), -1, scenarioId);
      set({ actingAgent: firstAgent(get().view) });
      actions.seekTo(tick);
    },

    narrate(name, lesson, label) {
      const s = get();
      const { lesson: _old, ...rest } = s.scenario;
      const next: Scenario = lesson ? { ...rest, name, lesson } : { ...rest, name };
      set({ undo: pushUndo({ scenario: s.scenario, scenarioId: s.scenarioId, label }) });
      // No longer the menu's (or a built-in lesson's) scenario: its own.
      replaceScenario(next, tl.derive(next), Infinity, 'custom');
    },

    notify(tone, text) {
      notify(tone, text);
    },
    dismissNotice() {
      set({ notice: null });
    },

    requestTrace(from, to, maxEvents, onTrace) {
      const s = get();
      const id = ++reqSeq;
      traceReq = { id, onTrace };
      const p = port();
      if (p) {
        p.postMessage({ type: 'trace', id, rev: s.rev, from, to, maxEvents });
        return;
      }
      // No worker: the window is bounded, so it is recorded here, from the nearest checkpoint.
      void import('../sim/trace/trace').then(({ recordTraceFrom }) => {
        if (disposed || traceReq?.id !== id || get().rev !== s.rev) return;
        traceReq = null;
        const cursor = tl.tick;
        const w = tl.worldAt(Math.max(-1, Math.floor(from) - 1));
        tl.seek(cursor);
        onTrace(recordTraceFrom(w, s.scenario, Math.min(s.scenario.duration, to), { maxEvents }));
      });
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
    tl.seek(0);
  } catch (e) {
    fail(e);
  }
  commit();
  if (opts.autoplay) actor.send({ type: 'PLAY' });
  return store;
}
