import type { JsonValue } from '../../core/json';
import { dictSet } from '../../core/dict';
import { drawInt, streamState, type RngState } from '../../core/rng';
import type { HandlerCtx, Send } from '../types';
import type { GossipConfig, GossipMode } from './config';
import type { Dot } from './crdt';
import { knows, vvGet } from './crdt';
import { applyOp, gossip, observable, type GossipState } from './gossip';

/**
 * Random schedules for the gossip replicas, outside the engine (yjs's applyRandomTests
 * style): the architecture's own handlers, but a hostile network: messages delivered in any
 * order, duplicated, lost; partitions that change; a replica removed and added back; random
 * operations all along. At the end: heal, stop writing, gossip until every replica is equal.
 */

export type Workload = 'kv' | 'counters' | 'or-set';

export interface SimOptions {
  seed: number;
  mode: GossipMode;
  workload: Workload;
  replicas?: number;
  ticks?: number;
  /** Rounds allowed after the heal before a divergence is declared. */
  maxRoundsAfterHeal?: number;
  churn?: boolean;
}

export interface SimResult {
  states: GossipState[];
  config: GossipConfig;
  converged: boolean;
  roundsAfterHeal: number;
  /** Deletes or removes whose victims came back (must stay empty). */
  resurrections: string[];
  flaws: number;
  ops: number;
}

interface Wire {
  from: string;
  to: string;
  at: number;
  payload: unknown;
}

interface Kill {
  key: string;
  /** The delete's or remove's own dot; once a replica knows it, the victims must stay gone. */
  dot: Dot;
  victims: Dot[];
  what: string;
}

class Rng {
  private s: RngState;
  constructor(seed: number, name: string) {
    this.s = streamState(seed, name);
  }
  int(from: number, to: number): number {
    const [v, next] = drawInt(this.s, from, to);
    this.s = next;
    return v;
  }
  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }
}

function ctxFor(id: string, now: number, rng: Rng): HandlerCtx {
  return { now, self: id, draw: (a, b) => rng.int(a, b) };
}

/** The dots a delete or remove at `s` is about to make disappear. */
function victims(s: GossipState, config: GossipConfig, op: string, key: string, element: string): Dot[] {
  if (op === 'remove') return [...(s.doc.sets[key]?.[element] ?? [])];
  if (config.mode === 'lww') {
    const e = Object.hasOwn(s.doc.lww, key) ? s.doc.lww[key] : undefined;
    return e && e.v !== null ? [e.dot] : [];
  }
  return (Object.hasOwn(s.doc.mv, key) ? s.doc.mv[key]! : []).filter((x) => x.v !== null).map((x) => x.dot);
}

function holds(s: GossipState, config: GossipConfig, k: Kill): boolean {
  const same = (d: Dot) => k.victims.some((v) => v[0] === d[0] && v[1] === d[1]);
  if (k.what.startsWith('remove')) {
    const el = k.what.slice('remove '.length);
    return (s.doc.sets[k.key]?.[el] ?? []).some(same);
  }
  if (config.mode === 'lww') return Object.hasOwn(s.doc.lww, k.key) && same(s.doc.lww[k.key]!.dot);
  return (Object.hasOwn(s.doc.mv, k.key) ? s.doc.mv[k.key]! : []).some((x) => same(x.dot));
}

/** What must be equal on converged replicas (the reference mode: the values, as get_converged_state). */
export function content(s: GossipState, config: GossipConfig): string {
  return observable(s, config);
}

export function simulate(o: SimOptions): SimResult {
  const rng = new Rng(o.seed, 'schedule');
  const n = o.replicas ?? 4;
  const ids = Array.from({ length: n }, (_, i) => `r${i + 1}`);
  const config: GossipConfig = {
    kind: 'gossip',
    replicas: ids,
    mode: o.mode,
    exchange: (['push', 'pull', 'push-pull'] as const)[rng.int(0, 2)]!,
    fanout: rng.int(1, 2),
    period: 3,
    round: rng.chance(25) ? 'sequential' : 'synchronous',
  };
  const nodeRng = new Map(ids.map((id) => [id, new Rng(o.seed, `node:${id}`)]));
  const states = new Map<string, GossipState>();
  const timers: { node: string; at: number; payload: unknown }[] = [];
  let wire: Wire[] = [];
  let cfg = config;
  const apply = (
    id: string,
    fx: { send: Send[]; timers: { delay: number; payload: unknown }[] },
    now: number,
    lossy: boolean,
    group: (x: string) => number,
  ) => {
    for (const t of fx.timers) timers.push({ node: id, at: now + t.delay, payload: t.payload });
    for (const m of fx.send) {
      if (group(id) !== group(m.to)) continue;
      if (lossy && rng.chance(10)) continue;
      wire.push({ from: id, to: m.to, at: now + 1 + (lossy ? rng.int(0, 4) : 0), payload: m.payload });
    }
  };
  let groups = new Map<string, number>();
  const group = (x: string) => groups.get(x) ?? 0;
  const start = (id: string, now: number) => {
    const s = gossip.initServer(id, cfg);
    states.set(id, s);
    apply(id, gossip.onStart!(s, cfg, ctxFor(id, now, nodeRng.get(id)!)), now, true, group);
  };
  for (const id of ids) start(id, -1);

  const kills: Kill[] = [];
  const resurrections: string[] = [];
  let ops = 0;
  const keys = ['a', 'b', '__proto__'];
  const ticks = o.ticks ?? 60;
  let removed: string | null = null;

  // Membership churn: remove a replica, later add it back (it starts empty and resyncs).
  const churn = (now: number, lossy: boolean) => {
    const from = cfg;
    if (removed === null && cfg.replicas.length > 2) {
      removed = cfg.replicas[rng.int(0, cfg.replicas.length - 1)]!;
      cfg = { ...cfg, replicas: cfg.replicas.filter((r) => r !== removed) };
      if (cfg.fanout >= cfg.replicas.length) cfg = { ...cfg, fanout: 1 };
    } else if (removed !== null) {
      cfg = { ...cfg, replicas: [...cfg.replicas, removed].sort() };
      start(removed, now);
      removed = null;
    }
    for (const [id, s] of [...states]) {
      if (!cfg.replicas.includes(id)) continue;
      apply(id, gossip.onConfigure(s, from, cfg, ctxFor(id, now, nodeRng.get(id)!)), now, lossy, group);
    }
    for (const id of [...states.keys()]) if (!cfg.replicas.includes(id)) states.delete(id);
    for (let i = timers.length - 1; i >= 0; i--) if (!states.has(timers[i]!.node)) timers.splice(i, 1);
  };

  const step = (now: number, lossy: boolean, writes: boolean) => {
    if (o.churn !== false && lossy && rng.chance(3)) churn(now, lossy);
    if (lossy && rng.chance(8)) {
      groups = new Map(ids.map((id) => [id, rng.int(0, 1)]));
    }
    if (writes) {
      for (let i = rng.int(0, 2); i > 0; i--) {
        const id = cfg.replicas[rng.int(0, cfg.replicas.length - 1)]!;
        const s = states.get(id)!;
        const key = keys[rng.int(0, keys.length - 1)]!;
        const r = rng.int(0, 9);
        let op: string;
        let args: { [k: string]: JsonValue };
        if (o.workload === 'kv') {
          if (r < 5) [op, args] = ['set', { key, value: `${id}:${now}:${i}` }];
          else if (r < 8) [op, args] = ['delete', { key }];
          else {
            const updates: { [k: string]: JsonValue } = {};
            dictSet(updates, keys[0]!, `${id}:${now}:u`);
            dictSet(updates, key, `${id}:${now}:u2`);
            [op, args] = ['update', { updates }];
          }
        } else if (o.workload === 'counters') {
          op = ['increment', 'decrement', 'grow'][r % 3]!;
          args = { key, by: rng.int(1, 5) };
        } else {
          op = r < 5 ? 'add' : 'remove';
          args = { key, element: `e${rng.int(0, 1)}` };
        }
        const kill = op === 'delete' || op === 'remove' ? victims(s, cfg, op, key, String(args['element'] ?? '')) : [];
        const res = applyOp(s, cfg, op, args, now);
        if (res.outcome !== 'ok') throw new Error(`local ${op} failed: ${res.reason}`);
        ops += 1;
        if ((op === 'delete' || op === 'remove') && kill.length > 0) {
          kills.push({
            key,
            dot: [s.origin, vvGet(s.doc.vv, s.origin)],
            victims: kill,
            what: op === 'remove' ? `remove ${String(args['element'])}` : 'delete',
          });
        }
      }
    }
    // Deliver: any due message, in random order; some duplicated (stay on the wire).
    const due = wire.filter((m) => m.at <= now);
    wire = wire.filter((m) => m.at > now);
    while (due.length > 0) {
      const m = due.splice(rng.int(0, due.length - 1), 1)[0]!;
      const s = states.get(m.to);
      if (!s || group(m.from) !== group(m.to)) continue;
      if (lossy && rng.chance(10)) wire.push({ ...m, at: now + rng.int(1, 6) });
      apply(
        m.to,
        gossip.onMessage(s, m.from, m.payload, cfg, ctxFor(m.to, now, nodeRng.get(m.to)!)),
        now,
        lossy,
        group,
      );
    }
    for (let i = 0; i < timers.length;) {
      const t = timers[i]!;
      if (t.at !== now) {
        i++;
        continue;
      }
      timers.splice(i, 1);
      const s = states.get(t.node);
      if (s)
        apply(t.node, gossip.onTimer(s, t.payload, cfg, ctxFor(t.node, now, nodeRng.get(t.node)!)), now, lossy, group);
    }
    for (const s of states.values()) {
      for (const k of kills) {
        if (knows(s.doc.vv, k.dot) && holds(s, cfg, k))
          resurrections.push(
            `tick ${now}: ${s.id} knows the ${k.what} of ${JSON.stringify(k.key)} (${k.dot.join(':')}) but holds a value it removed again`,
          );
      }
    }
  };

  let now = 0;
  for (; now < ticks; now++) step(now, true, true);
  // Heal: whole membership back, one group, no loss, no writes. Stop at full agreement.
  groups = new Map();
  if (removed !== null) churn(now, false);
  const healedAt = now;
  const limit = o.maxRoundsAfterHeal ?? 40;
  let converged = false;
  for (; now < healedAt + limit * cfg.period; now++) {
    step(now, false, false);
    const all = cfg.replicas.map((id) => content(states.get(id)!, cfg));
    if (all.every((c) => c === all[0])) {
      converged = true;
      break;
    }
  }
  const final = cfg.replicas.map((id) => states.get(id)!);
  return {
    states: final,
    config: cfg,
    converged,
    roundsAfterHeal: Math.ceil((now - healedAt) / cfg.period),
    resurrections,
    flaws: final.reduce((a, s) => a + s.flawCount, 0),
    ops,
  };
}
