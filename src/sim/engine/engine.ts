import type { JsonValue } from '../core/json';
import { dictDelete, dictGet, dictKeys, dictSet, dictHas } from '../core/dict';
import { draw as drawStream, chance } from '../core/rng';
import { deepFreeze, hashValue } from '../core/hash';
import type { Action, Scenario } from '../scenario/schema';
import type { OpRecord, Via } from '../history/types';
import { getArchitecture } from '../architectures/registry';
import type { Effects, HandlerCtx } from '../architectures/types';
import { isReply, isRequest } from '../architectures/types';
import type { AgentEnv, AgentState } from '../agents/agent';
import {
  abandon,
  enqueueUserOp,
  initAgent,
  kick,
  onAgentMessage,
  onAgentTimer,
  setFallback,
  setWorkload,
} from '../agents/agent';
import {
  enqueueMessage,
  initNet,
  isCrashed,
  isCut,
  linkKey,
  linkSettings,
  recordDrop,
  setCrashed,
  setCut,
  unreachableBecause,
} from '../net/network';
import type { DroppedMessage } from '../net/network';
import type { Message, Timer, World } from './types';
import type { EngineObserver } from './observer';
import type { DiskMode } from '../scenario/schema';
import type { ArchiveInput } from '../durability/durability';
import {
  archiveInput,
  archivePush,
  chooseBackup,
  corruptBackup,
  crashDisk,
  diskOf,
  drill,
  endOfTick,
  ensureDurability,
  initDisks,
  initDurability,
  isArchiving,
  nextDurabilityTick,
  recordingCtx,
  restoredDisk,
  settleDurability,
  settingsChanged,
  rollForward,
  takeBackup,
} from '../durability/durability';
import type { HealthConfig } from '../health/config';
import type { HealthEnv, HeartbeatPayload, HealthTimerPayload } from '../health/health';
import {
  initHealth,
  isHealthTimer,
  isHeartbeat,
  onHealthCrash,
  onHealthRecover,
  onHealthTimer,
  onHeartbeat,
  pairHealth,
  setPairs,
} from '../health/health';

/**
 * The engine: a fold of the scenario's action log over time. `advance` processes one busy
 * tick after another; within a tick the order is fixed (docs/engine.md): the log's actions
 * for that tick in log order, then deliveries in (deliverAt, id) order, then timers in
 * (at, id) order. Anything those create happens at a later tick.
 *
 * The world passed in is the caller's private working copy and is updated in place.
 */

export function initWorld(s: Scenario): World {
  const arch = getArchitecture(s.architecture.kind);
  const w: World = {
    seed: s.seed,
    now: -1,
    nextId: 1,
    actionsApplied: 0,
    rng: {},
    arch: s.architecture,
    net: initNet(s.network),
    servers: {},
    agents: {},
    timers: [],
    history: [],
    actionErrors: [],
    metrics: {
      messagesSent: 0,
      messagesDelivered: 0,
      droppedLost: 0,
      droppedCut: 0,
      droppedCrashed: 0,
      droppedByHand: 0,
      duplicated: 0,
      timersFired: 0,
      busyTicks: 0,
    },
  };
  for (const id of arch.serverIds(s.architecture)) addServer(w, id);
  for (const spec of s.agents) addAgent(w, spec);
  if (s.durability) {
    w.durability = initDurability(s.durability);
    initDisks(w);
  }
  if (s.health) setHealth(w, s.health);
  return w;
}

/** A server comes into being: its initial state, then its `onStart` effects (its timers). */
function addServer(w: World, id: string): void {
  const arch = getArchitecture(w.arch.kind);
  dictSet(w.servers, id, { id, state: arch.initServer(id, w.arch) });
  if (arch.onStart) applyEffects(w, id, arch.onStart(w.servers[id]!.state, w.arch, serverCtx(w, id)));
}

/**
 * A server leaves the world: its timers go, messages to it are dropped as to a node that is
 * gone (at their delivery tick), and its crash mark, if any, is cleared.
 */
function removeServer(w: World, id: string): void {
  dictDelete(w.servers, id);
  w.timers = w.timers.filter((t) => t.node !== id);
  if (isCrashed(w.net, id)) setCrashed(w.net, id, false);
}

function addAgent(w: World, spec: Scenario['agents'][number]): void {
  const a = initAgent(spec, (from, to) => drawStream(w.rng, w.seed, `agent:${spec.id}`, from, to));
  dictSet(w.agents, spec.id, a);
  kick(a, agentEnv(w, a));
}

// ---------------------------------------------------------------- effects

function newId(w: World): number {
  return w.nextId++;
}

function nodeExists(w: World, id: string): boolean {
  return dictHas(w.servers, id) || dictHas(w.agents, id);
}

function setTimer(w: World, node: string, delay: number, payload: unknown): void {
  const t: Timer = { id: newId(w), node, at: w.now + Math.max(1, Math.floor(delay)), payload };
  const q = w.timers;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = q[mid]!;
    if (x.at < t.at || (x.at === t.at && x.id < t.id)) lo = mid + 1;
    else hi = mid;
  }
  // Most land last (a round timer, a reply): push skips splice's set-up.
  if (lo === q.length) q.push(t);
  else q.splice(lo, 0, t);
}

/**
 * The observer of the `advance` call now running on each world, if any. Outside the world,
 * so observing never changes it (or its hash); a WeakMap, so a world never keeps it alive.
 */
const observers = new WeakMap<World, EngineObserver>();

/** `advance` calls now observed: while none is, a send or delivery skips the WeakMap. */
let observing = 0;

function observerOf(w: World): EngineObserver | undefined {
  return observing > 0 ? observers.get(w) : undefined;
}

function noteDrop(w: World, m: Message, why: DroppedMessage['why']): void {
  observerOf(w)?.drop?.(m, why, w.now);
  recordDrop(w.net, m, w.now, why);
  if (why === 'lost') w.metrics.droppedLost += 1;
  else if (why === 'cut') w.metrics.droppedCut += 1;
  else if (why === 'crashed') w.metrics.droppedCrashed += 1;
  else w.metrics.droppedByHand += 1;
  // Tell the agent whose operation this was, so its timeout can say why.
  const text =
    why === 'lost'
      ? `the network lost the ${isRequest(m.payload) ? 'request' : 'reply'}`
      : why === 'cut'
        ? `the ${isRequest(m.payload) ? 'request' : 'reply'} was dropped: the link ${m.from} → ${m.to} is cut`
        : why === 'crashed'
          ? `the ${isRequest(m.payload) ? 'request' : 'reply'} reached ${m.to} while it was down`
          : `the ${isRequest(m.payload) ? 'request' : 'reply'} was dropped by hand`;
  const owner = isRequest(m.payload) ? m.from : isReply(m.payload) ? m.to : null;
  const opId = isRequest(m.payload) || isReply(m.payload) ? (m.payload as { id: number }).id : null;
  const a = owner === null ? undefined : dictGet(w.agents, owner);
  if (a?.pending && a.pending.opId === opId) {
    a.pending.note = text;
    return;
  }
  // A server's own message on an agent's behalf (a coordinator's request to a shard).
  const srv = owner === null ? dictGet(w.servers, m.from) : undefined;
  const behalf = srv === undefined ? null : (getArchitecture(w.arch.kind).onBehalfOf?.(srv.state, m.payload) ?? null);
  const b = behalf === null ? undefined : dictGet(w.agents, behalf.agent);
  if (behalf !== null && b?.pending && b.pending.opId === behalf.opId) {
    b.pending.note =
      why === 'lost'
        ? `the network lost ${m.from}'s request to ${m.to}`
        : why === 'cut'
          ? `${m.from}'s request to ${m.to} was dropped: the link ${m.from} → ${m.to} is cut`
          : why === 'crashed'
            ? `${m.from}'s request to ${m.to} reached ${m.to} while it was down`
            : `${m.from}'s request to ${m.to} was dropped by hand`;
  }
}

// Random stream names, memoised: a name built afresh for every draw must be hashed again for
// each lookup in `world.rng`; a memoised one carries its hash. Bounded; the names are the same.
const streamNames = new Map<string, Map<string, string>>();
let streamNameCount = 0;

function streamName(prefix: string, id: string): string {
  let row = streamNames.get(prefix);
  if (row === undefined) {
    row = new Map();
    streamNames.set(prefix, row);
  }
  let name = row.get(id);
  if (name === undefined) {
    if (streamNameCount > 1 << 18) {
      streamNames.clear();
      streamNameCount = 0;
      return `${prefix}:${id}`;
    }
    name = `${prefix}:${id}`;
    row.set(id, name);
    streamNameCount += 1;
  }
  return name;
}

/**
 * Sends over the network. `streamPrefix` names the random stream the link draws from:
 * heartbeats draw from their own (`health:a>b`), so turning health checks on changes no
 * other message's latency, loss or duplication.
 */
function send(w: World, from: string, to: string, payload: unknown, streamPrefix = 'net'): void {
  w.metrics.messagesSent += 1;
  const link = linkSettings(w.net, from, to);
  const jitter = w.net.config.jitter;
  // A link that draws nothing (no jitter, loss or duplication) needs no stream name: naming
  // it is most of the cost of a send on a large cluster.
  const draws = jitter > 0 || link.loss > 0 || link.duplication > 0;
  const stream = draws ? streamName(streamPrefix, linkKey(from, to)) : '';
  const latency = link.latency + (jitter > 0 ? drawStream(w.rng, w.seed, stream, 0, jitter) : 0);
  const m: Message = {
    id: newId(w),
    from,
    to,
    sentAt: w.now,
    deliverAt: w.now + Math.max(1, latency),
    payload,
    duplicate: false,
  };
  const obs = observerOf(w);
  obs?.send?.(m);
  if (isCut(w.net, from, to)) return noteDrop(w, m, 'cut');
  if (chance(w.rng, w.seed, stream, link.loss)) return noteDrop(w, m, 'lost');
  enqueueMessage(w.net, m);
  if (chance(w.rng, w.seed, stream, link.duplication)) {
    w.metrics.duplicated += 1;
    const extra = drawStream(w.rng, w.seed, stream, 1, Math.max(1, link.latency));
    const copy: Message = { ...m, id: newId(w), deliverAt: m.deliverAt + extra, duplicate: true };
    obs?.send?.(copy);
    enqueueMessage(w.net, copy);
  }
}

function applyEffects(w: World, node: string, e: Effects<unknown>): void {
  const srv = dictGet(w.servers, node);
  if (srv) srv.state = e.state;
  for (const m of e.send) send(w, node, m.to, m.payload);
  for (const t of e.timers) setTimer(w, node, t.delay, t.payload);
}

function serverCtx(w: World, node: string): HandlerCtx {
  return new EngineServerCtx(w, node);
}

/**
 * Runs one of a server's handlers and applies its effects; when the node's inputs are being
 * archived (it has a backup: docs/engine.md, "Durability"), the input and the numbers the
 * handler drew are archived, so a restore can replay them.
 */
function serverInput(w: World, node: string, input: ArchiveInput, call: (ctx: HandlerCtx) => Effects<unknown>): void {
  if (!isArchiving(w, node)) return applyEffects(w, node, call(serverCtx(w, node)));
  const entry = archiveInput(input);
  const ctx = recordingCtx(serverCtx(w, node));
  const e = call(ctx);
  archivePush(w, node, { ...entry, draws: ctx.draws });
  applyEffects(w, node, e);
}

function findOp(w: World, id: number): OpRecord | undefined {
  const h = w.history;
  let lo = 0;
  let hi = h.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = h[mid]!;
    if (r.id === id) return r;
    if (r.id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * What an agent may do to the world. A class rather than a literal of closures: one is made
 * per event, and the engine's hot loop should not allocate eight functions each time.
 */
class EngineAgentEnv implements AgentEnv {
  constructor(
    private readonly w: World,
    private readonly a: AgentState,
  ) {}
  get now(): number {
    return this.w.now;
  }
  send(to: string, payload: unknown): void {
    send(this.w, this.a.id, to, payload);
  }
  setTimer(delay: number, payload: unknown): void {
    setTimer(this.w, this.a.id, delay, payload);
  }
  invoke(op: string, args: { [k: string]: JsonValue }, via?: Via): number {
    const id = newId(this.w);
    const r: OpRecord = {
      id,
      agent: this.a.id,
      op,
      args,
      invokedAt: this.w.now,
      completedAt: null,
      outcome: null,
      result: null,
      reason: null,
    };
    if (via) r.via = via;
    this.w.history.push(r);
    return id;
  }
  complete(opId: number, outcome: 'ok' | 'fail' | 'info', result: JsonValue | null, reason: string | null): void {
    const r = findOp(this.w, opId);
    if (!r || r.outcome !== null) return;
    r.completedAt = this.w.now;
    r.outcome = outcome;
    r.result = result;
    r.reason = reason;
    // A completed record never changes again: frozen, it is shared by every later copy.
    deepFreeze(r);
  }
  route(op: string, args: { [k: string]: JsonValue }): string {
    return getArchitecture(this.w.arch.kind).route(this.w.arch, this.a.id, op, args);
  }
  unreachable(server: string): string | null {
    return unreachableBecause(this.w.net, this.a.id, server) ?? unreachableBecause(this.w.net, server, this.a.id);
  }
  draw(from: number, to: number): number {
    return drawStream(this.w.rng, this.w.seed, streamName('agent', this.a.id), from, to);
  }
  suspects(server: string): { status: 'suspected' | 'down'; since: number } | null {
    const v = pairHealth(this.w.health, this.a.id, server);
    return v && v.status !== 'healthy' ? { status: v.status, since: v.since } : null;
  }
  alternatives(op: string, args: { [k: string]: JsonValue }, current: string): string[] {
    const alt = getArchitecture(this.w.arch.kind).alternatives?.(this.w.arch, this.a.id, op, args, current) ?? [];
    return alt.filter((id) => id !== current && dictHas(this.w.servers, id));
  }
}

function agentEnv(w: World, a: AgentState): AgentEnv {
  return new EngineAgentEnv(w, a);
}

class EngineServerCtx implements HandlerCtx {
  constructor(
    private readonly w: World,
    readonly self: string,
  ) {}
  get now(): number {
    return this.w.now;
  }
  draw(from: number, to: number): number {
    return drawStream(this.w.rng, this.w.seed, streamName('node', this.self), from, to);
  }
}

// ---------------------------------------------------------------- deliveries and timers

function deliver(w: World, m: Message): void {
  if (!nodeExists(w, m.to) || isCrashed(w.net, m.to)) return noteDrop(w, m, 'crashed');
  if (isCut(w.net, m.from, m.to)) return noteDrop(w, m, 'cut');
  w.metrics.messagesDelivered += 1;
  observerOf(w)?.deliver?.(m, w.now);
  // Heartbeats belong to the health checks, whatever the receiver is: no handler sees them.
  if (isHeartbeat(m.payload)) {
    if (w.health) onHeartbeat(w.health, m.from, m.to, m.payload, healthEnv(w));
    return;
  }
  const srv = dictGet(w.servers, m.to);
  if (srv) {
    const arch = getArchitecture(w.arch.kind);
    // Without an archive, no input record or closure: a delivery is the engine's commonest event.
    if (!isArchiving(w, m.to))
      return applyEffects(w, m.to, arch.onMessage(srv.state, m.from, m.payload, w.arch, serverCtx(w, m.to)));
    serverInput(w, m.to, { at: w.now, kind: 'message', from: m.from, payload: m.payload }, (ctx) =>
      arch.onMessage(srv.state, m.from, m.payload, w.arch, ctx),
    );
    return;
  }
  const a = dictGet(w.agents, m.to)!;
  onAgentMessage(a, agentEnv(w, a), m.payload);
}

function fire(w: World, t: Timer): void {
  if (!nodeExists(w, t.node) || isCrashed(w.net, t.node)) return;
  w.metrics.timersFired += 1;
  if (isHealthTimer(t.payload)) {
    if (w.health) onHealthTimer(w.health, t.node, healthEnv(w));
    return;
  }
  const srv = dictGet(w.servers, t.node);
  if (srv) {
    const arch = getArchitecture(w.arch.kind);
    if (!isArchiving(w, t.node))
      return applyEffects(w, t.node, arch.onTimer(srv.state, t.payload, w.arch, serverCtx(w, t.node)));
    serverInput(w, t.node, { at: w.now, kind: 'timer', payload: t.payload }, (ctx) =>
      arch.onTimer(srv.state, t.payload, w.arch, ctx),
    );
    return;
  }
  const a = dictGet(w.agents, t.node)!;
  onAgentTimer(a, agentEnv(w, a), t.payload);
}

// ---------------------------------------------------------------- actions

function allNodes(w: World): string[] {
  return [...dictKeys(w.servers), ...dictKeys(w.agents)];
}

function crash(w: World, node: string, disk: DiskMode = 'kept'): void {
  setCrashed(w.net, node, true);
  w.timers = w.timers.filter((t) => t.node !== node);
  if (w.health) onHealthCrash(w.health, node, healthEnv(w));
  const srv = dictGet(w.servers, node);
  if (srv) {
    const arch = getArchitecture(w.arch.kind);
    srv.state = arch.onCrash(srv.state, w.arch);
    if (w.durability || disk !== 'kept') crashDisk(w, node, disk);
    for (const id of dictKeys(w.agents)) {
      const p = w.agents[id]!.pending;
      if (p && p.to === node && p.note === null) p.note = `${node} crashed while the request was pending`;
    }
    return;
  }
  const a = dictGet(w.agents, node)!;
  abandon(a, agentEnv(w, a), `${node} crashed`);
}

function recover(w: World, node: string): void {
  setCrashed(w.net, node, false);
  if (w.health) onHealthRecover(w.health, node, healthEnv(w));
  const srv = dictGet(w.servers, node);
  if (srv) {
    const arch = getArchitecture(w.arch.kind);
    serverInput(w, node, { at: w.now, kind: 'recover' }, (ctx) => arch.onRecover(srv.state, w.arch, ctx));
    return;
  }
  const a = dictGet(w.agents, node)!;
  kick(a, agentEnv(w, a));
}

/** Applies one action of the log; returns why it could not be applied, or null. */
function applyAction(w: World, act: Action): string | null {
  const missing = (id: string): string | null => (nodeExists(w, id) ? null : `there is no node "${id}"`);
  switch (act.type) {
    case 'op': {
      const a = dictGet(w.agents, act.agent);
      if (!a) return `there is no agent "${act.agent}"`;
      if (isCrashed(w.net, act.agent)) return `${act.agent} is crashed and cannot issue operations`;
      const arch = getArchitecture(w.arch.kind);
      const bad = arch.checkArgs(act.op, act.args);
      if (bad) return `${act.op} was not sent: ${bad}`;
      enqueueUserOp(a, agentEnv(w, a), act.op, act.args);
      return null;
    }
    case 'spawn-agent':
      if (nodeExists(w, act.agent.id)) return `a node called "${act.agent.id}" already exists`;
      addAgent(w, act.agent);
      refreshHealth(w);
      return null;
    case 'remove-agent': {
      const a = dictGet(w.agents, act.agent);
      if (!a) return `there is no agent "${act.agent}"`;
      abandon(a, agentEnv(w, a), `${act.agent} was removed`);
      dictDelete(w.agents, act.agent);
      dictDelete(w.net.crashed, act.agent);
      w.timers = w.timers.filter((t) => t.node !== act.agent);
      for (const k of Object.keys(w.net.cut)) {
        const [from, to] = k.split('>');
        if (from === act.agent || to === act.agent) dictDelete(w.net.cut, k);
      }
      for (const k of Object.keys(w.net.overrides)) {
        const [from, to] = k.split('>');
        if (from === act.agent || to === act.agent) dictDelete(w.net.overrides, k);
      }
      refreshHealth(w);
      return null;
    }
    case 'set-workload': {
      const a = dictGet(w.agents, act.agent);
      if (!a) return `there is no agent "${act.agent}"`;
      setWorkload(a, agentEnv(w, a), act.workload);
      return null;
    }
    case 'cut-link':
    case 'heal-link': {
      const bad = missing(act.from) ?? missing(act.to);
      if (bad) return bad;
      setCut(w.net, act.from, act.to, act.type === 'cut-link');
      return null;
    }
    case 'set-link': {
      const bad = missing(act.from) ?? missing(act.to);
      if (bad) return bad;
      const key = linkKey(act.from, act.to);
      const o = { ...(dictGet(w.net.overrides, key) ?? {}) };
      if (act.latency !== undefined) o.latency = act.latency;
      if (act.loss !== undefined) o.loss = act.loss;
      if (act.duplication !== undefined) o.duplication = act.duplication;
      dictSet(w.net.overrides, key, o);
      return null;
    }
    case 'partition': {
      const unknown = act.groups.flat().filter((id) => !nodeExists(w, id));
      const groupOf = new Map<string, number>();
      act.groups.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
      const nodes = allNodes(w).filter((id) => groupOf.has(id));
      for (const a of nodes) for (const b of nodes) if (groupOf.get(a) !== groupOf.get(b)) setCut(w.net, a, b, true);
      return unknown.length ? `partitioned, but there is no node ${unknown.map((u) => `"${u}"`).join(', ')}` : null;
    }
    case 'heal-all':
      w.net.cut = {};
      return null;
    case 'crash':
      if (missing(act.node)) return missing(act.node);
      if (isCrashed(w.net, act.node)) return `${act.node} is already crashed`;
      if (act.disk && act.disk !== 'kept' && !dictHas(w.servers, act.node))
        return `${act.node} is an agent: only a server has a disk to lose`;
      crash(w, act.node, act.disk);
      return null;
    case 'recover':
      if (missing(act.node)) return missing(act.node);
      if (!isCrashed(w.net, act.node)) return `${act.node} is not crashed`;
      recover(w, act.node);
      return null;
    case 'drop-message':
    case 'deliver-message': {
      const i = w.net.inFlight.findIndex((m) => m.id === act.message);
      if (i < 0) return `message ${act.message} is not in flight`;
      const [m] = w.net.inFlight.splice(i, 1);
      if (act.type === 'drop-message') noteDrop(w, m!, 'by-hand');
      else deliver(w, m!);
      return null;
    }
    case 'configure': {
      if (act.config.kind !== w.arch.kind)
        return `a scenario runs one architecture; start a new scenario to use ${act.config.kind}`;
      const arch = getArchitecture(w.arch.kind);
      const from = w.arch;
      w.arch = act.config;
      // Servers the new configuration lists come into being first (so handoffs can reach
      // them); every server then sees the change; servers it no longer lists leave last,
      // after their own onConfigure (their last messages are still sent).
      const wanted = arch.serverIds(act.config);
      for (const id of wanted) if (!dictHas(w.servers, id)) addServer(w, id);
      for (const id of dictKeys(w.servers)) {
        const srv = w.servers[id]!;
        serverInput(w, id, { at: w.now, kind: 'configure', from, to: act.config }, (ctx) =>
          arch.onConfigure(srv.state, from, act.config, ctx),
        );
      }
      for (const id of dictKeys(w.servers)) if (!wanted.includes(id)) removeServer(w, id);
      refreshHealth(w);
      return null;
    }
    case 'set-health':
      setHealth(w, act.health);
      return null;
    case 'set-fallback': {
      const a = dictGet(w.agents, act.agent);
      if (!a) return `there is no agent "${act.agent}"`;
      setFallback(a, act.fallback);
      return null;
    }
    case 'set-durability':
    case 'schedule-backups':
    case 'backup':
    case 'restore':
    case 'restore-drill':
    case 'corrupt-backup':
      return applyDurabilityAction(w, act);
  }
}

type DurabilityAction = Extract<
  Action,
  { type: 'set-durability' | 'schedule-backups' | 'backup' | 'restore' | 'restore-drill' | 'corrupt-backup' }
>;

/** The durability actions (docs/engine.md, "Durability"): they turn the feature on. */
function applyDurabilityAction(w: World, act: DurabilityAction): string | null {
  const node = 'node' in act ? act.node : undefined;
  if (node !== undefined && !dictHas(w.servers, node))
    return `there is no server "${node}"${dictHas(w.agents, node) ? ': an agent has no disk' : ''}`;
  const d = ensureDurability(w);
  switch (act.type) {
    case 'set-durability':
    case 'schedule-backups': {
      const nodes = node === undefined ? dictKeys(w.servers) : [node];
      // Disks exist before the change, so a node that gives up its WAL starts flushed now.
      for (const id of nodes) diskOf(w, id);
      const patch =
        act.type === 'schedule-backups'
          ? { backupEvery: act.every }
          : {
              ...(act.wal === undefined ? {} : { wal: act.wal }),
              ...(act.flushEvery === undefined ? {} : { flushEvery: act.flushEvery }),
            };
      if (node === undefined) {
        d.defaults = { ...d.defaults, ...patch };
        for (const id of Object.keys(d.overrides))
          for (const k of Object.keys(patch)) delete (d.overrides[id] as Record<string, unknown>)[k];
      } else dictSet(d.overrides, node, { ...(dictGet(d.overrides, node) ?? {}), ...patch });
      settingsChanged(w, nodes);
      return null;
    }
    case 'backup': {
      const nodes = (node === undefined ? dictKeys(w.servers) : [node]).filter((id) => !isCrashed(w.net, id));
      if (nodes.length === 0)
        return node === undefined
          ? 'every server is down: a backup reads a running node'
          : `${node} is down: a backup reads a running node`;
      for (const id of nodes) takeBackup(w, id);
      return null;
    }
    case 'restore': {
      if (act.target > w.now) return `cannot restore ${act.node} to tick ${act.target}: it is in the future`;
      const chosen = chooseBackup(w, act.node, act.target, act.backup ?? null);
      if ('error' in chosen) return `cannot restore ${act.node}: ${chosen.error}`;
      const state = rollForward(w, chosen.backup, act.target);
      // A restore takes the node down if it is up, installs the state (what was in flight
      // or queued is gone, as in a crash) and brings it up again.
      if (!isCrashed(w.net, act.node)) crash(w, act.node);
      const arch = getArchitecture(w.arch.kind);
      const srv = w.servers[act.node]!;
      srv.state = arch.onCrash(state, w.arch);
      restoredDisk(w, act.node);
      d.events.push({
        kind: 'restore',
        tick: w.now,
        node: act.node,
        target: act.target,
        backup: chosen.backup.id,
        skipped: chosen.skipped,
      });
      recover(w, act.node);
      return null;
    }
    case 'restore-drill': {
      const b =
        act.backup === undefined
          ? [...d.backups].reverse().find((x) => x.node === act.node)
          : d.backups[act.backup - 1];
      if (!b)
        return act.backup === undefined
          ? `there is no backup of ${act.node} to drill`
          : `there is no backup #${act.backup}`;
      if (b.node !== act.node) return `backup #${b.id} is of ${b.node}, not ${act.node}`;
      const r = drill(w, b);
      d.events.push({ kind: 'drill', tick: w.now, node: act.node, backup: b.id, ...r });
      return null;
    }
    case 'corrupt-backup': {
      const b = d.backups[act.backup - 1];
      if (!b) return `there is no backup #${act.backup}`;
      corruptBackup(b);
      d.events.push({ kind: 'corrupt', tick: w.now, backup: b.id });
      return null;
    }
  }
}

// ---------------------------------------------------------------- health checks

class EngineHealthEnv implements HealthEnv {
  constructor(private readonly w: World) {}
  get now(): number {
    return this.w.now;
  }
  send(from: string, to: string, payload: HeartbeatPayload): void {
    send(this.w, from, to, payload, 'health');
  }
  setTimer(node: string, delay: number, payload: HealthTimerPayload): void {
    setTimer(this.w, node, delay, payload);
  }
  isCrashed(node: string): boolean {
    return isCrashed(this.w.net, node);
  }
  isCut(from: string, to: string): boolean {
    return isCut(this.w.net, from, to);
  }
}

function healthEnv(w: World): HealthEnv {
  return new EngineHealthEnv(w);
}

/**
 * Who watches whom: each agent watches the servers it is linked to, and linked servers
 * watch each other (the architecture's `links`, as the diagram draws them).
 */
function healthPairs(w: World): [string, string][] {
  const arch = getArchitecture(w.arch.kind);
  const agentIds = dictKeys(w.agents);
  const serverIds = dictKeys(w.servers);
  const links = arch.links
    ? arch.links(w.arch, agentIds)
    : agentIds.flatMap((a) => serverIds.map((srv): [string, string] => [a, srv]));
  const out: [string, string][] = [];
  for (const [a, b] of links) {
    const aSrv = dictHas(w.servers, a);
    const bSrv = dictHas(w.servers, b);
    if (aSrv && bSrv) out.push([a, b], [b, a]);
    else if (aSrv && dictHas(w.agents, b)) out.push([b, a]);
    else if (bSrv && dictHas(w.agents, a)) out.push([a, b]);
  }
  return out;
}

/** Health checks on with a (new) detector, from now; or off. Old health timers are cancelled. */
function setHealth(w: World, config: HealthConfig | null): void {
  if (w.health) w.timers = w.timers.filter((t) => !isHealthTimer(t.payload));
  if (!config) {
    delete w.health;
    return;
  }
  const h = initHealth(config, w.now);
  // Sequence numbers keep counting across a change, so no heartbeat is ever mistaken for
  // a fresher one; heartbeats of an earlier configuration are ignored by their epoch.
  if (w.health) h.seq = w.health.seq;
  w.health = h;
  setPairs(h, healthPairs(w), healthEnv(w));
  // Nodes already down are noted as crashed now, so suspecting them is not counted as false.
  for (const id of dictKeys(w.net.crashed)) onHealthCrash(h, id, healthEnv(w));
}

function refreshHealth(w: World): void {
  if (w.health) setPairs(w.health, healthPairs(w), healthEnv(w));
}

// ---------------------------------------------------------------- the fold

/** The next tick after `w.now` at which anything happens, or null if nothing ever will. */
export function nextEventTick(w: World, s: Scenario): number | null {
  return nextTick(w, s, 0);
}

/** nextEventTick, with the first `fired` timers already fired (see Fired). */
function nextTick(w: World, s: Scenario, fired: number): number | null {
  let t = Infinity;
  const act = s.actions[w.actionsApplied];
  if (act) t = Math.min(t, act.tick);
  const m = w.net.inFlight[0];
  if (m) t = Math.min(t, m.deliverAt);
  const tm = w.timers[fired];
  if (tm) t = Math.min(t, tm.at);
  if (w.durability) t = Math.min(t, nextDurabilityTick(w));
  return t === Infinity ? null : t;
}

/**
 * Timers fired during one `advance` and not yet taken off the front of `w.timers`. Removing
 * each from the front moves the whole queue (a cluster of a thousand replicas has a thousand
 * round timers, one due per tick in the sequential round), so they leave in one splice when
 * anyone may look: before actions (they filter the timers), before the end of a tick with
 * durability, before `onBusy`, and when `advance` returns. Meanwhile nothing reads the timers
 * but setTimer, whose insertion lands after them anyway (they are due at or before now, a new
 * timer at least one tick later).
 */
interface Fired {
  n: number;
}

function dropFired(w: World, fired: Fired): void {
  if (fired.n > 0) {
    w.timers.splice(0, fired.n);
    fired.n = 0;
  }
}

function processTick(w: World, s: Scenario, t: number, fired: Fired): void {
  w.now = t;
  w.metrics.busyTicks += 1;
  let act = s.actions[w.actionsApplied];
  if (act && act.tick === t) dropFired(w, fired);
  for (; act && act.tick === t; act = s.actions[w.actionsApplied]) {
    const err = applyAction(w, act);
    observerOf(w)?.action?.(act, w.actionsApplied, err, t);
    if (err) w.actionErrors.push({ index: w.actionsApplied, tick: t, reason: err });
    w.actionsApplied += 1;
  }
  // What is due at t is known before the first delivery (latency and delays are at least one
  // tick, and nothing but an action removes a message or a timer), so it leaves its queue in
  // one splice: shift() moves the whole queue once per message, and a large cluster has
  // thousands in flight.
  const inFlight = w.net.inFlight;
  let due = 0;
  while (due < inFlight.length && inFlight[due]!.deliverAt === t) due++;
  if (due > 0) for (const m of inFlight.splice(0, due)) deliver(w, m);
  const timers = w.timers;
  while (fired.n < timers.length && timers[fired.n]!.at === t) {
    const tm = timers[fired.n]!;
    fired.n += 1;
    fire(w, tm);
  }
  if (w.durability) {
    dropFired(w, fired);
    endOfTick(w, t, (id) => isCrashed(w.net, id));
  }
}

/**
 * Advances the world to tick `to` (inclusive), in place. Calls `onBusy` with each tick at
 * which something happened, so a timeline can step between them, and tells `observer` of
 * every message and action on the way (space-time diagrams, byte counts), without
 * changing what happens.
 */
export function advance(
  w: World,
  s: Scenario,
  to: number,
  onBusy?: (tick: number) => void,
  observer?: EngineObserver,
): void {
  if (to < w.now) throw new Error(`advance: the world is at tick ${w.now}, past ${to}`);
  if (observer) {
    observers.set(w, observer);
    observing += 1;
  }
  const fired: Fired = { n: 0 };
  try {
    for (;;) {
      const next = nextTick(w, s, fired.n);
      if (next === null || next > to) break;
      if (next <= w.now)
        throw new Error(`advance: action ${w.actionsApplied} at tick ${next} is in the past of tick ${w.now}`);
      processTick(w, s, next, fired);
      if (onBusy) {
        dropFired(w, fired);
        onBusy(next);
      }
    }
    w.now = to;
  } finally {
    dropFired(w, fired);
    if (observer) {
      observers.delete(w);
      observing -= 1;
    }
  }
}

/**
 * Events a replay may process before it stops and asks to go on (docs/engine.md, "The cost
 * of a replay"): measured on a shared 2-core machine, 7.5 s of gossip rounds in a small world,
 * up to about 20 s where each event copies more (a 200-agent store's long queue), so a link
 * or a file never runs unbounded on a phone.
 */
export const REPLAY_BUDGET = 2_000_000;

/**
 * A replay's cost so far, in engine units: the events the world has processed (actions
 * applied, messages sent, timers fired, operations issued). Read from the world's own
 * counters, so it is the same number on every machine, and the engine's cost is linear in it.
 */
export function workDone(w: Readonly<World>): number {
  return w.actionsApplied + w.metrics.messagesSent + w.metrics.timersFired + w.history.length;
}

/**
 * `advance`, stopping before the first busy tick that starts once `budget` events are done
 * (a whole tick is processed or none of it, so the world stays a world at a tick). Returns
 * whether it reached `to`; if not, the world is at the last tick it processed.
 */
export function advanceWithin(w: World, s: Scenario, to: number, budget: number): boolean {
  while (w.now < to) {
    if (workDone(w) >= budget) return false;
    const next = nextEventTick(w, s);
    advance(w, s, next === null || next > to ? to : next);
  }
  return true;
}

/** The world at tick t, folded from the initial world (the definition; timelines cache it). */
export function worldAt(s: Scenario, t: number): World {
  const w = initWorld(s);
  advance(w, s, t);
  return w;
}

/**
 * Freezes what can no longer change in a world that arrived as a plain copy (from a worker):
 * completed history records and what each architecture settles. Copies of it then share
 * those parts again, as copies of a world computed here do.
 */
export function settleWorld(w: World): void {
  for (const r of w.history) if (r.outcome !== null) deepFreeze(r);
  const arch = getArchitecture(w.arch.kind);
  for (const id of Object.keys(w.servers)) arch.settle(w.servers[id]!.state);
  if (w.durability) settleDurability(w.durability);
}

/** The world hash: SHA-256 over the canonical serialisation of all of it. */
export function worldHash(w: World): string {
  return hashValue(w);
}

export type { JsonValue };
