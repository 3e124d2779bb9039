import type { Scenario, World } from '../../sim/index';
import type { JsonValue } from '../../sim/core/json';
import { cloneJson, canonicalJson } from '../../sim/core/hash';
import { compareStrings } from '../../sim/core/dict';
import { isCrashed, isCut } from '../../sim/net/network';
import type { GossipConfig } from '../../sim/architectures/gossip/config';
import type { Doc, VV } from '../../sim/architectures/gossip/crdt';
import { tombstones, vvGet } from '../../sim/architectures/gossip/crdt';
import type { RefStore } from '../../sim/architectures/gossip/reference';
import { discardedWrites } from '../../sim/architectures/gossip/discarded';
import {
  attachedReplica,
  nextRoundTick,
  observable,
  readKey,
  stableVector,
  type GossipState,
} from '../../sim/architectures/gossip/gossip';

/**
 * What the gossip panels show, copied out of the world (plain data; see ../view.ts). Bounded:
 * at most 32 replicas, each document copied only when it is small (at most 64 keys per part),
 * the last 16 writes, rounds and flaws that the replicas themselves keep.
 */

export const MAX_DOC_KEYS = 64;

export interface ReplicaRow {
  id: string;
  origin: string;
  crashed: boolean;
  /** The version vector (in the reference mode: the shadow vectors joined; its counters are `counters`). */
  vv: VV;
  /** The reference mode: its per-key counters (what it calls a version vector). */
  counters: { [key: string]: number };
  /** key → what a read answers here, as short text. */
  values: { [key: string]: string };
  siblings: number;
  tombstones: number;
  /** Why it cannot collect tombstones yet, or null. */
  gcWaiting: string | null;
  /** A copy of its document, for the merge preview; null when too large to copy per frame. */
  doc: Doc | null;
  ref: RefStore | null;
  /** Canonical text of what reads observe: equal text, equal replicas. */
  observable: string;
}

export interface RoundRow {
  round: number;
  messages: number;
  bytes: number;
}

export interface WriteCurve {
  label: string;
  origin: string;
  counter: number;
  tick: number;
  /** Replicas holding it after round k (k = 0: before the first round that could carry it). */
  holders: number[];
  /** The mean-field expectation for random gossip with this exchange and fanout. */
  theory: number[];
}

export interface FlawNote {
  kind: 'tie' | 'dropped' | 'lww-dropped';
  tick: number;
  text: string;
}

export interface GossipView {
  kind: 'gossip';
  now: number;
  config: GossipConfig;
  latency: number;
  round: number;
  nextRoundAt: number;
  replicas: ReplicaRow[];
  /** The last reads made at a replica other than the reader's own (scanning the last 200 operations). */
  remoteReads: { id: number; agent: string; replica: string; key: string; value: string; tick: number; note: string }[];
  /** Each agent and the replica it is attached to. */
  agents: { id: string; replica: string }[];
  /** Matrix columns: origins (or keys, in the reference mode). */
  columns: string[];
  converged: boolean;
  /**
   * Some link between two replicas is cut: agreeing now says nothing about the next write,
   * which will not cross the cut.
   */
  split: boolean;
  /** Replicas grouped by equal observable state (one group: converged). */
  groups: string[][];
  /** Rounds from the last heal to agreement; null when not known. */
  healedAt: number | null;
  convergedAt: number | null;
  roundsToConverge: number | null;
  rounds: RoundRow[];
  curves: WriteCurve[];
  flaws: FlawNote[];
  /** Counts over the whole run, kept by the replicas. */
  flawCount: number;
  /** Discarded writes (src/sim/architectures/gossip/discarded.ts): the scoreboard's measure, at the cursor. */
  discarded: { count: number; atLeast: boolean };
}

function short(v: JsonValue | null): string {
  if (v === null) return '∅';
  const t = typeof v === 'string' ? v : canonicalJson(v);
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}

function docSize(d: Doc): number {
  return Math.max(
    Object.keys(d.lww).length,
    Object.keys(d.mv).length,
    Object.keys(d.g).length,
    Object.keys(d.pn).length,
    Object.keys(d.sets).length,
  );
}

/** i' = i + (n − i)·P(an uninformed replica hears of it this round), iterated. */
export function theoryCurve(n: number, exchange: GossipConfig['exchange'], f: number, rounds: number): number[] {
  const out = [1];
  let i = 1;
  const m = Math.max(1, n - 1);
  for (let k = 0; k < rounds; k++) {
    const missPush = Math.pow(1 - Math.min(1, f / m), i);
    const missPull = Math.pow(1 - i / m, f);
    const miss = exchange === 'push' ? missPush : exchange === 'pull' ? missPull : missPush * missPull;
    i = Math.min(n, i + (n - i) * (1 - miss));
    out.push(i);
  }
  return out;
}

/** The tick at which replica `s` first knew `count` operations of `origin`, or null. */
function reachedAt(s: GossipState, origin: string, count: number): number | null {
  const log = Object.hasOwn(s.vvLog, origin) ? s.vvLog[origin]! : [];
  for (const [c, t] of log) if (c >= count) return t;
  return null;
}

function lastHeal(s: Scenario, now: number): number | null {
  let t: number | null = null;
  for (const a of s.actions) {
    if (a.tick > now) break;
    if (a.type === 'heal-all' || a.type === 'heal-link' || a.type === 'recover') t = a.tick;
  }
  return t;
}

export function buildGossipView(w: World, s: Scenario): GossipView {
  const config = cloneJson(w.arch as GossipConfig);
  const states: GossipState[] = [];
  for (const id of config.replicas) {
    const srv = Object.hasOwn(w.servers, id) ? w.servers[id] : undefined;
    if (srv) states.push(srv.state as GossipState);
  }
  const ref = config.mode === 'reference';
  const columnSet = new Set<string>();
  const rows: ReplicaRow[] = states.map((st) => {
    const counters: { [k: string]: number } = {};
    const values: { [k: string]: string } = {};
    let vv: VV = {};
    let siblings = 0;
    if (ref) {
      for (const k of Object.keys(st.ref).sort(compareStrings).slice(0, MAX_DOC_KEYS)) {
        Object.defineProperty(counters, k, {
          value: st.ref[k]!.n,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        Object.defineProperty(values, k, {
          value: short(st.ref[k]!.v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        columnSet.add(k);
        for (const o of Object.keys(st.ref[k]!.who)) vv = { ...vv, [o]: Math.max(vvGet(vv, o), st.ref[k]!.who[o]!) };
      }
    } else {
      vv = { ...st.doc.vv };
      for (const o of Object.keys(vv)) columnSet.add(o);
      const keys = config.mode === 'lww' ? Object.keys(st.doc.lww) : Object.keys(st.doc.mv);
      for (const k of keys.sort(compareStrings).slice(0, MAX_DOC_KEYS)) {
        const r = readKey(st, config, k);
        if (r.siblings) siblings += 1;
        const text = r.siblings ? `{${r.siblings.map(short).join(' | ')}}` : short(r.value);
        Object.defineProperty(values, k, { value: text, enumerable: true, writable: true, configurable: true });
      }
      for (const k of Object.keys(st.doc.pn).slice(0, 16))
        Object.defineProperty(values, `#${k}`, {
          value: `counter ${readCounter(st.doc, k)}`,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      for (const k of Object.keys(st.doc.sets).slice(0, 16))
        Object.defineProperty(values, `{${k}}`, {
          value: `set ${Object.keys(st.doc.sets[k]!).sort().join(', ') || '∅'}`,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    const small = docSize(st.doc) <= MAX_DOC_KEYS && Object.keys(st.ref).length <= MAX_DOC_KEYS;
    const stable = ref ? null : stableVector(st, config);
    const waiting = ref || tombstones(st.doc) === 0 ? null : stable ? null : waitingFor(st, config);
    return {
      id: st.id,
      origin: st.origin,
      crashed: isCrashed(w.net, st.id),
      vv,
      counters,
      values,
      siblings,
      tombstones: ref ? 0 : tombstones(st.doc),
      gcWaiting: waiting,
      doc: small && !ref ? cloneJson(st.doc) : null,
      ref: small && ref ? cloneJson(st.ref) : null,
      observable: observable(st, config),
    };
  });
  const columns = [...columnSet].sort(compareStrings).slice(0, 48);

  // Agreement: groups of replicas whose reads would answer the same.
  const byText = new Map<string, string[]>();
  for (const r of rows) byText.set(r.observable, [...(byText.get(r.observable) ?? []), r.id]);
  const groups = [...byText.values()];
  const converged = groups.length <= 1;
  const split = states.some((a) => states.some((b) => a !== b && isCut(w.net, a.id, b.id)));

  // When did they come to agree: the latest tick any replica reached what it now knows.
  let convergedAt: number | null = null;
  if (converged && !ref && states.length > 0) {
    convergedAt = 0;
    for (const st of states) {
      for (const o of Object.keys(st.doc.vv)) {
        const t = reachedAt(st, o, st.doc.vv[o]!);
        if (t !== null) convergedAt = Math.max(convergedAt, t);
      }
    }
  }
  const healedAt = lastHeal(s, w.now);
  const roundsToConverge =
    healedAt !== null && convergedAt !== null && convergedAt >= healedAt
      ? Math.ceil((convergedAt - healedAt) / config.period)
      : null;

  // Messages and bytes per round, over all replicas (each keeps its last 32 rounds).
  const perRound = new Map<number, RoundRow>();
  for (const st of states) {
    for (const r of st.rounds) {
      const x = perRound.get(r.round) ?? { round: r.round, messages: 0, bytes: 0 };
      x.messages += r.sent;
      x.bytes += r.bytes;
      perRound.set(r.round, x);
    }
  }
  const rounds = [...perRound.values()].sort((a, b) => a.round - b.round).slice(-16);

  // Spread of the recent writes, round by round, against the theory.
  const writes = states
    .flatMap((st) => st.writes)
    .sort((a, b) => b.tick - a.tick || compareStrings(a.dot[0], b.dot[0]) || b.dot[1] - a.dot[1])
    .slice(0, 6);
  const n = states.length;
  const curves: WriteCurve[] = ref
    ? []
    : writes.map((wr) => {
        const first = nextRoundTick(config, config.replicas[0] ?? '', wr.tick);
        const reach = states.map((st) =>
          vvGet(st.doc.vv, wr.dot[0]) >= wr.dot[1] ? (reachedAt(st, wr.dot[0], wr.dot[1]) ?? wr.tick) : null,
        );
        const maxRounds = Math.max(0, Math.min(40, Math.floor((w.now - first) / config.period) + 1));
        const holders: number[] = [];
        for (let k = 0; k <= maxRounds; k++) {
          const before = first + k * config.period;
          holders.push(reach.filter((t) => t !== null && (t < before || (k === 0 && t <= wr.tick))).length);
        }
        return {
          label: `${wr.op} ${short(wr.key)}${wr.value === null ? '' : ` = ${short(wr.value)}`} at ${wr.dot[0]} (tick ${wr.tick})`,
          origin: wr.dot[0],
          counter: wr.dot[1],
          tick: wr.tick,
          holders,
          theory: theoryCurve(n, config.exchange, config.fanout, Math.max(holders.length - 1, 12)),
        };
      });

  const flaws: FlawNote[] = [];
  let flawCount = 0;
  const discarded = discardedWrites(states, w.history);
  for (const st of states) {
    flawCount += st.flawCount;
    for (const f of st.flaws) {
      flaws.push({
        kind: f.kind,
        tick: f.tick,
        text:
          f.kind === 'tie'
            ? `Never converges: ${st.id} holds ${short(f.values[0])} for ${short(f.key)} and a peer holds ${short(f.values[1])}, both with counter ${f.counters[0]}. Equal counters change nothing, so neither side ever gives way (the per-key counter is not a version vector).`
            : `Write silently dropped: ${short(f.values[1])} for ${short(f.key)} (counter ${f.counters[1]}) lost to the concurrent ${short(f.values[0])} (counter ${f.counters[0]}) at ${st.id}. A higher counter only means more writes were seen on one replica, not a later write.`,
      });
    }
    for (const d of st.dropped) {
      flaws.push({
        kind: 'lww-dropped',
        tick: d.tick,
        text: `LWW discarded a concurrent write at ${st.id}: ${short(d.lost)} for ${short(d.key)} (${d.lostDot.join(':')}) lost to ${short(d.kept)} (${d.keptDot.join(':')}), which has the later stamp.`,
      });
    }
  }
  flaws.sort((a, b) => b.tick - a.tick || compareStrings(a.text, b.text));

  return {
    kind: 'gossip',
    now: w.now,
    config,
    latency: s.network.latency,
    round: Math.max(0, Math.floor(w.now / config.period)),
    // Round k starts at k·period (in sequential rounds, the first turn): the next one after now.
    nextRoundAt: Math.max(config.period, (Math.floor(w.now / config.period) + 1) * config.period),
    replicas: rows,
    remoteReads: remoteReads(w),
    agents: Object.keys(w.agents)
      .sort(compareStrings)
      .map((id) => ({ id, replica: attachedReplica(config, id) })),
    columns,
    converged,
    split,
    groups,
    healedAt,
    convergedAt,
    roundsToConverge,
    rounds,
    curves,
    flaws: dedupe(flaws).slice(0, 8),
    flawCount,
    discarded: { count: discarded.count, atLeast: discarded.atLeast },
  };
}

function dedupe(xs: FlawNote[]): FlawNote[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(x.text) ? false : (seen.add(x.text), true)));
}

function readCounter(d: Doc, k: string): number {
  const c = d.pn[k]!;
  let v = 0;
  for (const o of Object.keys(c.p)) v += c.p[o]!;
  for (const o of Object.keys(c.n)) v -= c.n[o]!;
  return v;
}

function waitingFor(st: GossipState, config: GossipConfig): string {
  const missing = config.replicas.filter((m) => m !== st.id && !Object.hasOwn(st.heard, m));
  if (missing.length) return `waiting to hear from ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? '…' : ''}`;
  return 'waiting until it knows all that its peers reported';
}

function remoteReads(w: World): GossipView['remoteReads'] {
  const out: GossipView['remoteReads'] = [];
  for (let i = w.history.length - 1; i >= 0 && i >= w.history.length - 200 && out.length < 4; i--) {
    const r = w.history[i]!;
    if (r.outcome !== 'ok' || r.result === null || typeof r.result !== 'object' || Array.isArray(r.result)) continue;
    const res = r.result as { [k: string]: JsonValue };
    if (res['local'] !== false) continue;
    const args = (r.args ?? {}) as { [k: string]: JsonValue };
    out.push({
      id: r.id,
      agent: r.agent,
      replica: String(res['replica']),
      key: typeof args['key'] === 'string' ? short(args['key']) : '(all)',
      value: short(res['value'] ?? res['members'] ?? (res['state'] === undefined ? null : res['state']) ?? null),
      tick: r.completedAt ?? r.invokedAt,
      note: typeof res['note'] === 'string' ? res['note'] : '',
    });
  }
  return out;
}
