import type { Action, ActionInput, Scenario, World, OpRecord, Outcome } from '../sim/index';
import { isReply, isRequest } from '../sim/architectures/types';
import { compareNatural } from '../sim/core/dict';
import { getArchitecture } from '../sim/architectures/registry';
import { summarizeServer } from '../sim/engine/summary';
import { buildArchView, type ArchView } from './arch/index';
import { buildDurabilityView, type DurabilityView } from './durability';
import type { CentralState, Queued, StoreStats } from '../sim/architectures/centralized/store';
import type { DroppedMessage } from '../sim/net/network';
import { OUTCOME_TEXT, keyText, opSummary, queueWords, resultSummary, shortJson } from './format';
import type { HealthSeenView, HealthSummaryView, ServerHealthView } from './health';
import { agentSees, healthSummary, serverHealth, viaText } from './health';
import { isHeartbeat } from '../sim/health/health';
import { auditKeys, findOp, keyTrail, rollbackRequest, type AuditSource } from '../sim/audit/audit';
import type { JsonValue } from '../sim/core/json';

/**
 * The view: an immutable projection of the world at the cursor, rebuilt on every cursor
 * move. The world itself is the store's private working copy, advanced in place (a copy per
 * frame would cost more than the frame), so nothing the UI holds may point into it: every
 * field here is copied out as plain numbers and strings.
 *
 * Nothing is computed here that the engine did not decide: outcomes, reasons, versions and
 * queues are read, only reshaped for display.
 */

export type Selection =
  | { kind: 'server'; id: string }
  | { kind: 'agent'; id: string }
  | { kind: 'key'; key: string }
  | { kind: 'link'; a: string; b: string };

export interface OpView {
  id: number;
  agent: string;
  op: string;
  summary: string;
  invokedAt: number;
  completedAt: number | null;
  outcome: Outcome | null;
  /** "ok", "failed", "timed out", or "pending". */
  outcomeText: string;
  result: string;
  reason: string | null;
  /** What the agent's fallback did (and its staleness), when it acted. */
  via: string | null;
}

export interface PendingView {
  opId: number;
  summary: string;
  to: string;
  sentAt: number;
  timeout: number;
  note: string | null;
}

export interface AgentView {
  id: string;
  crashed: boolean;
  workload: 'idle' | 'random' | 'robot';
  pending: PendingView | null;
  queued: number;
  stats: { issued: number; ok: number; fail: number; info: number; lateReplies: number; retries: number };
  last: OpView | null;
  /** Its fallback while its server is suspected: none, fail-fast, retry-other, cache. */
  fallback: string;
}

export interface QueueItemView {
  from: string;
  opId: number;
  summary: string;
  arrivedAt: number;
}

export interface ServerView {
  id: string;
  crashed: boolean;
  /** What the server is ("store", "shard", "replica", ...), and a few words under its name. */
  role: string;
  detail: string;
  facts: [string, string][];
  /** The version it is at, where the architecture numbers versions (a replica has a vector). */
  version: number | null;
  queue: QueueItemView[];
  /** Requests waiting, the one in service not included (`detail` says both). */
  queueLength: number;
  inService: QueueItemView | null;
  stats: StoreStats | null;
  keyCount: number;
  /** How the nodes that watch it see it (health checks on), else null. */
  health: ServerHealthView | null;
}

/**
 * A link the diagram draws: an unordered pair of nodes (agent–server or server–server, as the
 * architecture's `links` says), with each direction's state.
 */
export interface LinkView {
  a: string;
  b: string;
  /** a → b is cut. */
  cutAB: boolean;
  /** b → a is cut. */
  cutBA: boolean;
}

export interface MessageView {
  id: number;
  from: string;
  to: string;
  sentAt: number;
  deliverAt: number;
  /** `heartbeat`: the health checks' (drawn small, they are many). */
  kind: 'request' | 'reply' | 'heartbeat' | 'other';
  /** The agent whose operation this is (for its colour). */
  owner: string | null;
  duplicate: boolean;
}

/** A dropped message, as the engine records it (the diagram fades it where it died). */
export type DropView = DroppedMessage;

export interface KeyView {
  key: string;
  label: string;
  value: string;
  version: number;
  writtenAt: number;
}

export interface KeyVersionView {
  version: number;
  value: string | null;
  tick: number;
}

/** One change of a key in its audit trail (src/sim/audit), as text. */
export interface AuditEntryView {
  /** Unique in the list (React key). */
  id: string;
  agent: string | null;
  op: number | null;
  opName: string;
  tick: number;
  /** Before and after, as short JSON; null: absent. */
  old: string | null;
  new: string | null;
  version: number | null;
  certain: boolean;
  inferred: boolean;
  /** Inferred while its operation is still pending: applied, its reply not yet arrived. */
  awaitingReply: boolean;
  /** A rollback's target (a version; a tick for partitioned and gossip). */
  rollbackTo: number | null;
  /** The operation that puts the key back as it was just after this change; null for the newest. */
  rollback: { op: string; args: { [k: string]: JsonValue } } | null;
}

export interface ActionErrorView {
  tick: number;
  index: number;
  reason: string;
  action: string;
}

export type InspectView =
  | { kind: 'server'; server: ServerView; queue: QueueItemView[] }
  | {
      kind: 'agent';
      agent: AgentView;
      ops: OpView[];
      totalOps: number;
      links: LinkView[];
      exists: true;
      sees: HealthSeenView[];
    }
  | { kind: 'agent-gone'; id: string; ops: OpView[]; totalOps: number }
  | {
      kind: 'key';
      key: string;
      label: string;
      current: KeyView | null;
      history: KeyVersionView[];
      totalVersions: number;
      /** Its audit trail, newest first (at most AUDIT_LIMIT), where it comes from, and its length. */
      audit: AuditEntryView[];
      auditSource: AuditSource;
      auditTotal: number;
    }
  | { kind: 'link'; link: LinkView | null; a: string; b: string };

export interface WorldView {
  tick: number;
  end: number;
  servers: ServerView[];
  agents: AgentView[];
  links: LinkView[];
  messages: MessageView[];
  drops: DropView[];
  keys: KeyView[];
  /** Where no single store lists keys (event sourcing, partitioned, gossip): every key changed so far. */
  auditKeys: string[];
  actionErrors: ActionErrorView[];
  operations: number;
  metrics: World['metrics'];
  inspect: InspectView | null;
  /** The architecture's own view (event tape, shards, version vectors); null for the store. */
  arch: ArchView | null;
  /** Disks, backups, losses and restores; null unless the scenario uses durability. */
  durability: DurabilityView | null;
  /** Health checks' settings and totals; null when they are off. */
  health: HealthSummaryView | null;
}

/** How many operations the op log shows (newest first); the total is shown beside it. */
export const OP_LOG_LIMIT = 80;
const KEY_HISTORY_LIMIT = 60;
export const AUDIT_LIMIT = 40;
const AUDIT_KEYS_LIMIT = 200;
const QUEUE_LIMIT = 60;

function isCentral(s: unknown): s is CentralState {
  return typeof s === 'object' && s !== null && 'data' in s && 'keyHistory' in s && 'queue' in s;
}

function own<T>(d: { [k: string]: T }, k: string): T | undefined {
  return Object.hasOwn(d, k) ? d[k] : undefined;
}

/**
 * A completed record never changes (the engine freezes it), so its view is made once: the
 * op logs of 50 agents are otherwise formatted again on every frame while playing, and
 * that garbage is what made the collector pause playback.
 */
const completedViews = new WeakMap<OpRecord, OpView>();

export function opView(r: OpRecord): OpView {
  if (r.outcome === null) return makeOpView(r);
  let v = completedViews.get(r);
  if (v === undefined) {
    v = makeOpView(r);
    completedViews.set(r, v);
  }
  return v;
}

function makeOpView(r: OpRecord): OpView {
  return {
    id: r.id,
    agent: r.agent,
    op: r.op,
    summary: opSummary(r.op, r.args),
    invokedAt: r.invokedAt,
    completedAt: r.completedAt,
    outcome: r.outcome,
    outcomeText: r.outcome === null ? 'pending' : OUTCOME_TEXT[r.outcome],
    result: r.outcome === 'ok' ? resultSummary(r.op, r.result) : '',
    reason: r.reason,
    via: viaText(r),
  };
}

function queued(q: Queued): QueueItemView {
  return { from: q.from, opId: q.req.id, summary: opSummary(q.req.op, q.req.args), arrivedAt: q.arrivedAt };
}

/** A user's action in words, for errors and undo labels. */
export function describeAction(a: Action | ActionInput): string {
  switch (a.type) {
    case 'op':
      return `${a.agent}: ${opSummary(a.op, a.args)}`;
    case 'spawn-agent':
      return `spawn ${a.agent.id}`;
    case 'remove-agent':
      return `remove ${a.agent}`;
    case 'set-workload':
      return `${a.agent}: workload ${a.workload.kind}`;
    case 'cut-link':
      return `cut ${a.from} → ${a.to}`;
    case 'heal-link':
      return `heal ${a.from} → ${a.to}`;
    case 'set-link':
      return `set link ${a.from} → ${a.to}`;
    case 'partition':
      return `partition ${a.groups.map((g) => g.join('+')).join(' | ')}`;
    case 'heal-all':
      return 'heal all links';
    case 'crash':
      return a.disk === 'lost'
        ? `crash ${a.node} and lose its disk`
        : a.disk === 'unflushed-lost'
          ? `cut ${a.node}'s power`
          : `crash ${a.node}`;
    case 'recover':
      return `recover ${a.node}`;
    case 'drop-message':
      return `drop message ${a.message}`;
    case 'deliver-message':
      return `deliver message ${a.message}`;
    case 'configure':
      return `configure ${a.config.kind}`;
    case 'set-durability':
      return `${a.node ?? 'every server'}: ${a.wal === undefined ? '' : a.wal ? 'write-ahead log' : 'no write-ahead log'}${a.flushEvery === undefined ? '' : ` flush every ${a.flushEvery}`}`.trim();
    case 'schedule-backups':
      return a.every > 0
        ? `back up ${a.node ?? 'every server'} every ${a.every} ticks`
        : `stop backing up ${a.node ?? 'every server'}`;
    case 'backup':
      return `back up ${a.node ?? 'every server'}`;
    case 'restore':
      return `restore ${a.node} to tick ${a.target}${a.backup === undefined ? '' : ` from backup #${a.backup}`}`;
    case 'restore-drill':
      return `restore drill of ${a.node}${a.backup === undefined ? '' : ` from backup #${a.backup}`}`;
    case 'corrupt-backup':
      return `corrupt backup #${a.backup}`;
    case 'set-health':
      return a.health ? `health checks: ${a.health.detector} detector` : 'health checks off';
    case 'set-fallback':
      return `${a.agent}: fallback ${a.fallback}`;
  }
}

function serverView(w: World, id: string, state: unknown, crashed: boolean): ServerView {
  if (!isCentral(state)) {
    const sum = summarizeServer(w, id);
    return {
      id,
      crashed,
      role: sum?.role ?? 'server',
      detail: sum?.detail ?? '',
      facts: sum ? sum.facts.map(([k, v]): [string, string] => [k, v]) : [],
      version: sum ? sum.version : null,
      queue: [],
      queueLength: 0,
      inService: null,
      stats: null,
      keyCount: 0,
      health: serverHealth(w, id),
    };
  }
  return {
    id,
    crashed,
    role: 'store',
    // The same words as Inspect's queue heading: the two count the same thing, and say so.
    detail: queueWords(state.queue.length, state.inService !== null),
    facts: [],
    version: state.version,
    queue: state.queue.slice(0, QUEUE_LIMIT).map(queued),
    queueLength: state.queue.length,
    inService: state.inService ? queued(state.inService) : null,
    stats: { ...state.stats },
    keyCount: Object.keys(state.data).length,
    health: serverHealth(w, id),
  };
}

/** The latest completed operation of each agent, scanning the history from its end. */
function lastOps(w: World, agents: string[]): Map<string, OpView> {
  const want = new Set(agents);
  const out = new Map<string, OpView>();
  const h = w.history;
  // Bounded: agents that have not completed anything recently show nothing rather than
  // costing a scan of the whole history every frame.
  for (let i = h.length - 1; i >= 0 && i >= h.length - 4000 && out.size < want.size; i--) {
    const r = h[i]!;
    if (r.outcome !== null && want.has(r.agent) && !out.has(r.agent)) out.set(r.agent, opView(r));
  }
  return out;
}

function agentOps(w: World, agent: string): { ops: OpView[]; total: number } {
  const ops: OpView[] = [];
  let total = 0;
  for (let i = w.history.length - 1; i >= 0; i--) {
    const r = w.history[i]!;
    if (r.agent !== agent) continue;
    total++;
    if (ops.length < OP_LOG_LIMIT) ops.push(opView(r));
  }
  return { ops, total };
}

/** The parts of the view only the panels read (Inspect, state, audit, metrics, durability, health). */
type PanelParts = Pick<
  WorldView,
  'keys' | 'auditKeys' | 'actionErrors' | 'operations' | 'metrics' | 'inspect' | 'durability' | 'health'
>;

/**
 * The view of world `w`. With `panelsFrom`, only what the diagrams draw every frame is
 * built, and the panels' parts are carried over from that older view: while playing, the
 * panels refresh a few times a second (the store's PANEL_EVERY_MS), so building and
 * comparing their parts on every frame would be work nobody sees.
 */
export function buildView(w: World, s: Scenario, selection: Selection | null, panelsFrom?: WorldView): WorldView {
  const serverIds = Object.keys(w.servers).sort();
  const agentIds = Object.keys(w.agents).sort(compareNatural);
  const crashed = w.net.crashed;
  const cut = w.net.cut;
  const last = lastOps(w, agentIds);

  const servers = serverIds.map((id) => serverView(w, id, w.servers[id]!.state, Object.hasOwn(crashed, id)));
  const agents: AgentView[] = agentIds.map((id) => {
    const a = w.agents[id]!;
    const p = a.pending;
    return {
      id,
      crashed: Object.hasOwn(crashed, id),
      workload: a.workload.kind,
      pending: p
        ? {
            opId: p.opId,
            summary: opSummary(p.op, p.args),
            to: p.to,
            sentAt: p.sentAt,
            timeout: a.timeout,
            note: p.note,
          }
        : null,
      queued: a.queue.length,
      stats: { ...a.stats },
      last: last.get(id) ?? null,
      fallback: a.fallback ?? 'none',
    };
  });
  const arch = getArchitecture(w.arch.kind);
  const pairs: [string, string][] = arch.links
    ? arch
        .links(w.arch, agentIds)
        .filter(
          ([a, b]) =>
            (Object.hasOwn(w.servers, a) || Object.hasOwn(w.agents, a)) &&
            (Object.hasOwn(w.servers, b) || Object.hasOwn(w.agents, b)),
        )
    : agentIds.flatMap((a) => serverIds.map((srv): [string, string] => [a, srv]));
  const links: LinkView[] = pairs.map(([a, b]) => ({
    a,
    b,
    cutAB: Object.hasOwn(cut, `${a}>${b}`),
    cutBA: Object.hasOwn(cut, `${b}>${a}`),
  }));

  const messages: MessageView[] = w.net.inFlight.map((m) => {
    const req = isRequest(m.payload);
    const rep = !req && isReply(m.payload);
    return {
      id: m.id,
      from: m.from,
      to: m.to,
      sentAt: m.sentAt,
      deliverAt: m.deliverAt,
      kind: req ? 'request' : rep ? 'reply' : isHeartbeat(m.payload) ? 'heartbeat' : 'other',
      owner: req ? m.from : rep ? m.to : null,
      duplicate: m.duplicate,
    };
  });
  const drops: DropView[] = w.net.recentDrops.filter((d) => w.now - d.at <= 4);

  const frame = { tick: w.now, end: s.duration, servers, agents, links, messages, drops, arch: buildArchView(w, s) };
  if (panelsFrom) return { ...frame, ...panelParts(panelsFrom) };

  const keys: KeyView[] = [];
  for (const id of serverIds) {
    const st = w.servers[id]!.state;
    if (!isCentral(st)) continue;
    for (const k of Object.keys(st.data).sort()) {
      const e = st.data[k]!;
      keys.push({
        key: k,
        label: keyText(k),
        value: shortJson(e.value, 48),
        version: e.version,
        writtenAt: e.writtenAt,
      });
    }
  }

  const actionErrors = w.actionErrors.slice(-8).map((e) => {
    const a = s.actions[e.index];
    return { tick: e.tick, index: e.index, reason: e.reason, action: a ? describeAction(a) : 'an action' };
  });

  return {
    ...frame,
    keys,
    auditKeys: serverIds.some((id) => isCentral(w.servers[id]!.state)) ? [] : auditKeys(w).slice(0, AUDIT_KEYS_LIMIT),
    actionErrors,
    operations: w.history.length,
    metrics: { ...w.metrics },
    inspect: selection ? inspect(w, selection, servers, agents, links, keys) : null,
    durability: buildDurabilityView(w, s),
    health: healthSummary(w),
  };
}

function panelParts(v: WorldView): PanelParts {
  const { keys, auditKeys, actionErrors, operations, metrics, inspect, durability, health } = v;
  return { keys, auditKeys, actionErrors, operations, metrics, inspect, durability, health };
}

function inspect(
  w: World,
  sel: Selection,
  servers: ServerView[],
  agents: AgentView[],
  links: LinkView[],
  keys: KeyView[],
): InspectView | null {
  switch (sel.kind) {
    case 'server': {
      const server = servers.find((x) => x.id === sel.id);
      if (!server) return null;
      const st = w.servers[sel.id]?.state;
      return { kind: 'server', server, queue: isCentral(st) ? st.queue.slice(0, QUEUE_LIMIT).map(queued) : [] };
    }
    case 'agent': {
      const agent = agents.find((x) => x.id === sel.id);
      const { ops, total } = agentOps(w, sel.id);
      if (!agent) return { kind: 'agent-gone', id: sel.id, ops, totalOps: total };
      const own = links.filter((l) => l.a === sel.id || l.b === sel.id);
      return { kind: 'agent', agent, ops, totalOps: total, links: own, exists: true, sees: agentSees(w, sel.id) };
    }
    case 'key': {
      let hist: [number, unknown, number][] = [];
      for (const id of Object.keys(w.servers)) {
        const st = w.servers[id]!.state;
        if (isCentral(st)) hist = own(st.keyHistory, sel.key) ?? hist;
      }
      const history = hist
        .slice(-KEY_HISTORY_LIMIT)
        .reverse()
        .map(([version, value, tick]) => ({ version, value: value === null ? null : shortJson(value, 48), tick }));
      const trail = keyTrail(w, sel.key, AUDIT_LIMIT);
      const entries = trail.entries;
      const newest = entries.findLastIndex((e) => e.certain);
      const audit = entries
        .map((e, i): AuditEntryView => {
          const req = i === newest || !e.certain ? null : rollbackRequest(w, trail, sel.key, { entry: e });
          return {
            id: `${trail.total - entries.length + i}`,
            agent: e.agent,
            op: e.op,
            opName: e.opName,
            tick: e.tick,
            old: e.old === null ? null : shortJson(e.old, 32),
            new: e.new === null ? null : shortJson(e.new, 32),
            version: e.version,
            certain: e.certain,
            inferred: e.inferred,
            awaitingReply: e.inferred && e.op !== null && findOp(w, e.op)?.outcome === null,
            rollbackTo: e.rollbackTo ?? null,
            // Copied out: the view keeps nothing that points into the world.
            rollback: req
              ? (JSON.parse(JSON.stringify(req)) as { op: string; args: { [k: string]: JsonValue } })
              : null,
          };
        })
        .reverse();
      return {
        kind: 'key',
        key: sel.key,
        label: keyText(sel.key, 64),
        current: keys.find((k) => k.key === sel.key) ?? null,
        history,
        totalVersions: hist.length,
        audit,
        auditSource: trail.source,
        auditTotal: trail.total,
      };
    }
    case 'link':
      return {
        kind: 'link',
        a: sel.a,
        b: sel.b,
        link: links.find((l) => (l.a === sel.a && l.b === sel.b) || (l.a === sel.b && l.b === sel.a)) ?? null,
      };
  }
}

/** Deep equality for the small plain objects of a view (numbers, strings, nulls, arrays, records). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Runs over every row of the view on every frame: counting keys with for-in allocates
  // nothing, where Object.keys would make two arrays per object compared.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const k in ra) {
    if (!Object.hasOwn(ra, k)) continue;
    if (!Object.hasOwn(rb, k) || !same(ra[k], rb[k])) return false;
    n++;
  }
  for (const k in rb) if (Object.hasOwn(rb, k)) n--;
  return n === 0;
}

/** Reuses the previous array (and items) wherever nothing changed, so memoised rows skip. */
function shareList<T>(prev: readonly T[] | undefined, next: T[], key: (x: T) => string | number): T[] {
  if (!prev) return next;
  // The common case while playing: the same rows in the same order, a few changed.
  if (prev.length === next.length) {
    let aligned = true;
    let allSame = true;
    for (let i = 0; i < next.length && aligned; i++) {
      const p = prev[i]!;
      const n = next[i]!;
      if (key(p) !== key(n)) aligned = false;
      else if (same(p, n)) next[i] = p;
      else allSame = false;
    }
    if (aligned) return allSame ? (prev as T[]) : next;
  }
  const old = new Map<string | number, T>();
  for (const p of prev) old.set(key(p), p);
  let allSame = prev.length === next.length;
  const out = next.map((n, i) => {
    const p = old.get(key(n));
    if (p !== undefined && same(p, n)) {
      if (prev[i] !== p) allSame = false;
      return p;
    }
    allSame = false;
    return n;
  });
  return allSame ? (prev as T[]) : out;
}

/**
 * Structural sharing between consecutive views: unchanged agents, links, keys and messages
 * keep their identity, so React skips them. Playing 50 agents changes a few per frame.
 */
export function shareView(prev: WorldView | null, next: WorldView): WorldView {
  if (!prev) return next;
  return {
    ...next,
    servers: shareList(prev.servers, next.servers, (s) => s.id),
    agents: shareList(prev.agents, next.agents, (a) => a.id),
    links: shareList(prev.links, next.links, (l) => `${l.a}>${l.b}`),
    keys: shareList(prev.keys, next.keys, (k) => k.key),
    auditKeys: same(prev.auditKeys, next.auditKeys) ? prev.auditKeys : next.auditKeys,
    messages: shareList(prev.messages, next.messages, (m) => m.id),
    drops: shareList(prev.drops, next.drops, (d) => d.id),
    actionErrors: same(prev.actionErrors, next.actionErrors) ? prev.actionErrors : next.actionErrors,
    metrics: same(prev.metrics, next.metrics) ? prev.metrics : next.metrics,
    inspect: same(prev.inspect, next.inspect) ? prev.inspect : next.inspect,
    arch: same(prev.arch, next.arch) ? prev.arch : next.arch,
    durability: same(prev.durability, next.durability) ? prev.durability : next.durability,
    health: same(prev.health, next.health) ? prev.health : next.health,
  };
}
