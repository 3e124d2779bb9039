import type { JsonValue } from '../core/json';
import { compareNatural, dictGet, dictHas, dictKeys } from '../core/dict';
import { advance, initWorld } from '../engine/engine';
import type { EngineObserver } from '../engine/observer';
import type { Message, World } from '../engine/types';
import type { DroppedMessage } from '../net/network';
import type { Action, Scenario } from '../scenario/schema';
import type { OpRecord, Outcome } from '../history/types';
import { isReply, isRecord, isRequest } from '../architectures/types';

/**
 * A trace: what happened in a run, as a space-time diagram sees it. One lane per server and
 * agent, each lane's events in the order they happened, every event stamped with a vector
 * clock (Fidge/Mattern). Plain JSON, so a worker can post it and a file can hold it.
 *
 * Drops are not events: no process observed them (a message lost on the wire or refused by
 * a crashed node changes nobody's knowledge), so they are marks on their message, where it
 * died. Faults a node suffers (crash, recover, a cut or healed link at one of its ends) are
 * local events of its lane; faults of the whole network (partition, heal-all, configure,
 * dropping or delivering a message by hand) are bands across every lane, outside the causal
 * order.
 */

export type TraceEventKind = 'invoke' | 'complete' | 'send' | 'receive' | 'fault';

export interface TraceLane {
  id: string;
  kind: 'server' | 'agent';
}

export interface TraceEvent {
  /** Index in `trace.events`, which lists events in the order the engine produced them. */
  id: number;
  /** Index in `trace.lanes`. */
  lane: number;
  /** Position in its lane, from 1 (the lane's own vector-clock entry). */
  seq: number;
  tick: number;
  kind: TraceEventKind;
  /** A short description a student can read. */
  label: string;
  /** History id of the operation (invoke, complete). */
  op?: number;
  /** complete only. */
  outcome?: Outcome;
  /** Message id (send, receive). */
  msg?: number;
  /** Action type (fault). */
  fault?: Action['type'];
  /** Why the action could not apply (fault), as `world.actionErrors` says. */
  error?: string;
  /** Vector clock: one entry per lane, indexed like `trace.lanes`. */
  clock: number[];
}

export interface TraceMessage {
  /** The engine's message id (a duplicate copy has its own). */
  id: number;
  from: number;
  to: number;
  /** The send event; a duplicate copy shares its original's. */
  send: number;
  /** The receive event, or null if it was dropped or is still in flight at the trace's end. */
  receive: number | null;
  sentAt: number;
  deliverAt: number;
  duplicate: boolean;
  label: string;
  drop: { tick: number; why: DroppedMessage['why'] } | null;
}

export interface TraceBand {
  tick: number;
  fault: Action['type'];
  label: string;
  error?: string;
}

export interface Trace {
  format: 'statelab-trace';
  version: 1;
  name: string;
  /** The first tick recorded (events carried over from before it have earlier ticks). */
  from: number;
  /** The last tick recorded (earlier than asked when truncated). */
  to: number;
  lanes: TraceLane[];
  events: TraceEvent[];
  messages: TraceMessage[];
  bands: TraceBand[];
  /** True when recording stopped at `maxEvents` (at the end of the tick that reached it). */
  truncated: boolean;
  maxEvents: number;
}

export interface TraceOptions {
  /** Recording stops at the end of the tick at which this many events exist (default 20,000). */
  maxEvents?: number;
}

export const DEFAULT_MAX_EVENTS = 20_000;

/** Records a run of `s` from its start to tick `to`. */
export function recordTrace(s: Scenario, to: number, opts: TraceOptions = {}): Trace {
  return recordTraceFrom(initWorld(s), s, to, opts);
}

const STOP = Symbol('trace full');

/**
 * Records from `w` (a private working copy of the world of `s` at some tick: a checkpoint's
 * copy, or `initWorld(s)`) to tick `to`. Operations pending and messages in flight at the
 * start are carried over as events at their own (earlier) ticks, so every later completion
 * and delivery has its cause; what happened before them is outside the trace, so causal
 * pasts are within the recorded window.
 */
export function recordTraceFrom(w: World, s: Scenario, to: number, opts: TraceOptions = {}): Trace {
  const maxEvents = Math.max(1, Math.floor(opts.maxEvents ?? DEFAULT_MAX_EVENTS));
  const from = w.now + 1;
  const r = new Recorder(w, s);
  r.carryOver();
  let truncated = false;
  const onBusy = (): void => {
    r.sync();
    if (r.events.length >= maxEvents) throw STOP;
  };
  if (to > w.now) {
    try {
      advance(w, s, to, onBusy, r);
    } catch (e) {
      if (e !== STOP) throw e;
      truncated = true;
    }
  }
  r.sync();
  return r.finish(s.name, from, truncated ? w.now : Math.max(to, w.now), truncated, maxEvents);
}

/** An event while recording: no id or place in its lane yet; its clock, by lane index as lanes appeared, may be shorter (the rest are zeros). */
type RawEvent = Omit<TraceEvent, 'id' | 'seq'>;

/** Pads a clock with zeros to `n` entries: a packed array, never a holey one (slow to copy). */
function dense(c: number[], n: number): void {
  while (c.length < n) c.push(0);
}

class Recorder implements EngineObserver {
  readonly events: RawEvent[] = [];
  private readonly lanes: TraceLane[] = [];
  private readonly laneIndex = new Map<string, number>();
  private readonly clocks: number[][] = [];
  private readonly messages: TraceMessage[] = [];
  private readonly messageIndex = new Map<number, number>();
  private readonly bands: TraceBand[] = [];
  /** History indices of operations not yet completed. */
  private pending: number[] = [];
  private historySeen = 0;
  /** Actions of the log whose fault event is already recorded (by log index). */
  private openedTo: number;
  /** The fault events (or band) of each opened action, to attach its error later. */
  private readonly actionMarks = new Map<number, { events: number[]; band: number | null }>();
  private lastSend: { event: number; msg: Message } | null = null;

  constructor(
    private readonly w: World,
    private readonly s: Scenario,
  ) {
    this.openedTo = w.actionsApplied;
    for (const id of dictKeys(w.servers).sort(compareNatural)) this.lane(id);
    for (const id of dictKeys(w.agents).sort(compareNatural)) this.lane(id);
  }

  /** Pending operations and messages in flight at the start, in creation (id) order. */
  carryOver(): void {
    const items: { id: number; run: () => void }[] = [];
    this.historySeen = this.w.history.length;
    this.w.history.forEach((rec, i) => {
      if (rec.outcome !== null) return;
      this.pending.push(i);
      items.push({
        id: rec.id,
        run: () => this.local(rec.agent, rec.invokedAt, 'invoke', describeInvoke(rec), { op: rec.id }),
      });
    });
    const originals = new Map<string, number>();
    for (const m of this.w.net.inFlight) {
      items.push({
        id: m.id,
        run: () => {
          // A duplicate copy in flight shares its original's send when that is in flight too.
          const key = `${m.from}>${m.to}>${m.sentAt}`;
          const orig = m.duplicate ? originals.get(key) : undefined;
          if (orig !== undefined) this.addMessage(m, orig);
          else {
            const e = this.local(m.from, m.sentAt, 'send', describeMessage(m), { msg: m.id });
            originals.set(key, e);
            this.addMessage(m, e);
          }
        },
      });
    }
    items.sort((a, b) => a.id - b.id);
    for (const it of items) it.run();
  }

  // -------------------------------------------------------------- the observer

  send(m: Readonly<Message>): void {
    this.before();
    if (m.duplicate && this.lastSend !== null && this.lastSend.msg.from === m.from && this.lastSend.msg.to === m.to) {
      this.addMessage(m, this.lastSend.event);
      return;
    }
    const e = this.local(m.from, this.w.now, 'send', describeMessage(m), { msg: m.id });
    this.addMessage(m, e);
    this.lastSend = { event: e, msg: m };
  }

  deliver(m: Readonly<Message>, tick: number): void {
    this.before();
    const mi = this.messageIndex.get(m.id);
    const sendClock = mi === undefined ? null : this.events[this.messages[mi]!.send]!.clock;
    const lane = this.lane(m.to);
    const c = this.clocks[lane]!;
    dense(c, this.lanes.length);
    if (sendClock !== null)
      for (let i = 0; i < sendClock.length; i++) if ((sendClock[i] ?? 0) > (c[i] ?? 0)) c[i] = sendClock[i]!;
    const e = this.push(lane, tick, 'receive', `${describeMessage(m)} from ${m.from}`, { msg: m.id });
    if (mi !== undefined) this.messages[mi]!.receive = e;
  }

  drop(m: Readonly<Message>, why: DroppedMessage['why'], tick: number): void {
    this.before();
    const mi = this.messageIndex.get(m.id);
    if (mi !== undefined) this.messages[mi]!.drop = { tick, why };
  }

  action(_a: Readonly<Action>, index: number, error: string | null): void {
    this.before();
    if (error === null) return;
    const mark = this.actionMarks.get(index);
    if (!mark) return;
    for (const e of mark.events) this.events[e]!.error = error;
    if (mark.band !== null) this.bands[mark.band]!.error = error;
  }

  /**
   * Called before recording anything: opens the action now being applied (its fault comes
   * before its effects), then records what the history did since the last look.
   */
  private before(): void {
    const i = this.w.actionsApplied;
    const a = this.s.actions[i];
    if (a !== undefined && a.tick === this.w.now && i >= this.openedTo) {
      this.openedTo = i + 1;
      this.openAction(a, i);
    }
    this.sync();
  }

  /** Completions of pending operations, then operations invoked since the last look. */
  sync(): void {
    const h = this.w.history;
    if (this.pending.length > 0) {
      const still: number[] = [];
      for (const i of this.pending) {
        const rec = h[i]!;
        if (rec.outcome === null) still.push(i);
        else this.complete(rec);
      }
      this.pending = still;
    }
    for (; this.historySeen < h.length; this.historySeen++) {
      const rec = h[this.historySeen]!;
      this.local(rec.agent, rec.invokedAt, 'invoke', describeInvoke(rec), { op: rec.id });
      if (rec.outcome === null) this.pending.push(this.historySeen);
      else this.complete(rec);
    }
  }

  private complete(rec: OpRecord): void {
    this.local(rec.agent, rec.completedAt ?? this.w.now, 'complete', describeComplete(rec), {
      op: rec.id,
      outcome: rec.outcome ?? 'info',
    });
  }

  private openAction(a: Action, index: number): void {
    const mark: { events: number[]; band: number | null } = { events: [], band: null };
    this.actionMarks.set(index, mark);
    const onLane = (node: string, label: string): void => {
      if (this.laneIndex.has(node) || this.exists(node))
        mark.events.push(this.local(node, a.tick, 'fault', label, { fault: a.type }));
    };
    const band = (label: string): void => {
      mark.band = this.bands.length;
      this.bands.push({ tick: a.tick, fault: a.type, label });
    };
    switch (a.type) {
      case 'op':
        return; // its invoke is the event
      case 'crash':
      case 'recover':
        if (this.laneIndex.has(a.node) || this.exists(a.node))
          onLane(a.node, a.type === 'crash' ? 'crashed' : 'recovered');
        else band(`${a.type} ${a.node}`);
        return;
      case 'cut-link':
      case 'heal-link':
      case 'set-link': {
        const verb = a.type === 'cut-link' ? 'cut' : a.type === 'heal-link' ? 'healed' : 'link changed';
        const before = mark.events.length;
        onLane(a.from, `${verb} ${a.from} → ${a.to}`);
        onLane(a.to, `${verb} ${a.from} → ${a.to}`);
        if (mark.events.length === before) band(`${verb} ${a.from} → ${a.to}`);
        return;
      }
      case 'spawn-agent':
        this.lane(a.agent.id);
        mark.events.push(this.local(a.agent.id, a.tick, 'fault', 'spawned', { fault: a.type }));
        return;
      case 'remove-agent':
        if (this.laneIndex.has(a.agent)) onLane(a.agent, 'removed');
        else band(`remove ${a.agent}`);
        return;
      case 'set-workload':
        if (this.laneIndex.has(a.agent)) onLane(a.agent, `workload: ${a.workload.kind}`);
        else band(`set workload of ${a.agent}`);
        return;
      case 'partition':
        band(`partition ${a.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`);
        return;
      case 'heal-all':
        band('heal all links');
        return;
      case 'configure':
        band('configuration changed');
        return;
      case 'drop-message':
        band(`message ${a.message} dropped by hand`);
        return;
      case 'deliver-message':
        band(`message ${a.message} delivered by hand`);
        return;
    }
  }

  // -------------------------------------------------------------- recording

  private exists(id: string): boolean {
    return dictHas(this.w.servers, id) || dictHas(this.w.agents, id);
  }

  private lane(id: string): number {
    const have = this.laneIndex.get(id);
    if (have !== undefined) return have;
    const i = this.lanes.length;
    this.lanes.push({ id, kind: dictGet(this.w.servers, id) !== undefined ? 'server' : 'agent' });
    this.laneIndex.set(id, i);
    this.clocks.push([]);
    return i;
  }

  /** A local event (or a send): tick the lane's own entry. */
  private local(node: string, tick: number, kind: TraceEventKind, label: string, extra: Partial<RawEvent>): number {
    return this.push(this.lane(node), tick, kind, label, extra);
  }

  private push(lane: number, tick: number, kind: TraceEventKind, label: string, extra: Partial<RawEvent>): number {
    const c = this.clocks[lane]!;
    dense(c, this.lanes.length);
    c[lane] = c[lane]! + 1;
    const e: RawEvent = { ...extra, lane, tick, kind, label, clock: c.slice() };
    this.events.push(e);
    return this.events.length - 1;
  }

  private addMessage(m: Readonly<Message>, sendEvent: number): void {
    this.messageIndex.set(m.id, this.messages.length);
    this.messages.push({
      id: m.id,
      from: this.lane(m.from),
      to: this.lane(m.to),
      send: sendEvent,
      receive: null,
      sentAt: m.sentAt,
      deliverAt: m.deliverAt,
      duplicate: m.duplicate,
      label: describeMessage(m),
      drop: null,
    });
  }

  /** Lanes in their stable order (servers first, then agents, each as they appeared). */
  finish(name: string, from: number, to: number, truncated: boolean, maxEvents: number): Trace {
    const order = this.lanes
      .map((l, i) => ({ l, i }))
      .sort((a, b) => (a.l.kind === b.l.kind ? a.i - b.i : a.l.kind === 'server' ? -1 : 1));
    const remap = new Array<number>(this.lanes.length);
    order.forEach((o, j) => (remap[o.i] = j));
    const n = this.lanes.length;
    const seqs = new Array<number>(n).fill(0);
    const events: TraceEvent[] = this.events.map((e, id) => {
      const clock = new Array<number>(n).fill(0);
      for (let i = 0; i < e.clock.length; i++) clock[remap[i]!] = e.clock[i]!;
      const lane = remap[e.lane]!;
      seqs[lane] = seqs[lane]! + 1;
      return { ...e, id, lane, seq: seqs[lane]!, clock };
    });
    return {
      format: 'statelab-trace',
      version: 1,
      name,
      from,
      to,
      lanes: order.map((o) => o.l),
      events,
      messages: this.messages.map((m) => ({ ...m, from: remap[m.from]!, to: remap[m.to]! })),
      bands: this.bands,
      truncated,
      maxEvents,
    };
  }
}

// ---------------------------------------------------------------- words

function short(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  const t = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? '');
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}

function describeArgs(op: string, args: unknown): string {
  if (!isRecord(args)) return op;
  const key = args['key'];
  const k = typeof key === 'string' ? ` ${key}` : '';
  if ('value' in args) return `${op}${k}=${short(args['value'] as JsonValue)}`;
  const updates = args['updates'];
  if (isRecord(updates)) return `${op} ${Object.keys(updates).join(',')}`;
  return `${op}${k}`;
}

function describeInvoke(r: OpRecord): string {
  return `#${r.id} ${describeArgs(r.op, r.args)}`;
}

function describeComplete(r: OpRecord): string {
  const what = `#${r.id} ${r.op}`;
  if (r.outcome === 'ok') {
    const v = isRecord(r.result) && 'value' in r.result ? ` → ${short(r.result['value'] as JsonValue)}` : '';
    return `${what} ok${v}`;
  }
  return `${what} ${r.outcome ?? 'info'}${r.reason ? `: ${r.reason}` : ''}`;
}

function describeMessage(m: Readonly<Message>): string {
  const p = m.payload;
  if (isRequest(p)) return `request #${p.id} ${describeArgs(p.op, p.args)}`;
  if (isReply(p)) return `reply #${p.id} ${isRecord(p) && typeof p['outcome'] === 'string' ? p['outcome'] : ''}`.trim();
  if (isRecord(p)) {
    for (const f of ['type', 't', 'kind']) if (typeof p[f] === 'string') return p[f];
  }
  return 'message';
}
