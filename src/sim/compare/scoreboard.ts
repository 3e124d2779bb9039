import type { JsonValue } from '../core/json';
import { dictGet } from '../core/dict';
import { canonicalJson } from '../core/hash';
import { fracturedReads, mergeReports, registerAnomalies, type AnomalyType } from '../history/anomalies';
import { checkCausal, type CausalPattern } from '../history/causal';
import { checkHistory } from '../history/check';
import { isObject, readStateLab } from '../history/formats';
import type { Verdict } from '../history/search';
import { checkSequential } from '../history/sequential';
import { checkSessions, type Guarantee } from '../history/sessions';
import type { History, OpRecord } from '../history/types';
import type { ArchitectureConfig } from '../scenario/schema';
import { stateAsOf, plainState } from '../architectures/event-sourcing/events';
import type { LogState } from '../architectures/event-sourcing/log';
import type { GossipState } from '../architectures/gossip/gossip';
import { discardedWrites } from '../architectures/gossip/discarded';
import { placementOf, windowsOf, type Window } from './build';
import type { Comparison } from './constants';
import type { PanelRun } from './run';

/**
 * A panel's scoreboard, measured from its run: the history through the existing checker
 * (linearizability, anomalies, session guarantees, sequential consistency under its budget)
 * and the causal checker, plus what the run measured beside the world (messages, bytes,
 * divergence). Plain JSON, so a worker can post it and a test can compare it with what
 * `sim check` says of the exported history.
 */

export type WindowName = Window['name'];

export interface EvidenceItem {
  /** Unique in the scoreboard: `<kind>-<n>`. */
  id: string;
  kind: 'anomaly' | 'session' | 'causal' | 'linearizability';
  /** stale-read, read-your-writes, WriteCORead, not-linearizable… */
  name: string;
  /** The window of the last operation in the witness (the one that saw it). */
  window: WindowName;
  keys: string[];
  opIds: number[];
  explanation: string;
}

export interface Counts {
  ok: number;
  fail: number;
  info: number;
  /** ok / all completed; null with no operation. */
  availability: number | null;
}

export interface WindowScore extends Counts {
  name: WindowName;
  from: number;
  to: number;
  staleReads: number;
  /** Every evidence item of the window (anomalies, session and causal violations). */
  violations: number;
  p50: number | null;
  p99: number | null;
  /** Per group: ok / completed operations of its agents in this window. */
  groups: { group: string; ok: number; total: number }[];
}

export type TradeOff = 'consistency' | 'availability' | 'neither' | 'no-partition';

export interface Scoreboard {
  panel: string;
  label: string;
  kind: ArchitectureConfig['kind'];
  placement: { server: string; group: string }[];
  ops: Counts;
  anomalies: Record<AnomalyType, number>;
  /**
   * Acknowledged writes a merge dropped for a concurrent write (history/measures.ts): not a
   * lost update (`anomalies['lost-update']`), a measure of its own. Zero where nothing merges.
   */
  discardedWrites: { count: number; atLeast: boolean };
  sessions: Record<Guarantee, number>;
  causal: Record<CausalPattern, number>;
  models: Models;
  /** Verdicts that come from another model's (see `implications`), with the reason. */
  implied: Implied;
  /** Liveness, apart from the models: did the holders of every key end up equal. */
  convergence: {
    divergentAtEnd: string[];
    maxDivergentDuringFault: number;
    divergentAtHeal: number;
    /** Ticks after the heal until every key divergent at the heal agreed; null: some key still differs at the end. */
    ticksAfterHeal: number | null;
  };
  messages: number;
  bytes: number;
  /** The node that received most messages, and its share of all deliveries. */
  busiest: { node: string; share: number } | null;
  latency: { p50: number | null; p99: number | null };
  windows: WindowScore[];
  /** Event sourcing: reads from a projection that match the log's state at the version they report. */
  prefixReads?: { checked: number; matching: number };
  tradeoff: { choice: TradeOff; sentence: string };
  evidence: EvidenceItem[];
  /** How many evidence items exist beyond those listed. */
  evidenceLeftOut: number;
  notes: string[];
}

export interface Models {
  linearizable: Verdict;
  sequential: Verdict;
  causal: Verdict;
  'read-your-writes': boolean;
  'monotonic-reads': boolean;
  'monotonic-writes': boolean;
  'writes-follow-reads': boolean;
}

export type Implied = Partial<Record<'sequential' | 'causal', string>>;

const GUARANTEE_NAMES: Record<Guarantee, string> = {
  'read-your-writes': 'read your writes',
  'monotonic-reads': 'monotonic reads',
  'monotonic-writes': 'monotonic writes',
  'writes-follow-reads': 'writes follow reads',
};

/**
 * The models form a chain: linearizable ⇒ sequential ⇒ causal ⇒ each session guarantee
 * (Brzezinski et al. 2004: causal consistency is the four guarantees together). A checker
 * that cannot decide (sequential past its budget) or that sees less (the causal checker
 * reads values; the session checker also reads the versions a store reports) is completed
 * from the others, so the table never says "causal" beside a failed session guarantee.
 */
export function implications(m: Models): { models: Models; implied: Implied } {
  const models = { ...m };
  const implied: Implied = {};
  const failing = (Object.keys(GUARANTEE_NAMES) as Guarantee[]).filter((g) => !m[g]);
  if (failing.length > 0 && models.causal !== false) {
    models.causal = false;
    implied.causal = `${failing.map((g) => GUARANTEE_NAMES[g]).join(' and ')} ${failing.length === 1 ? 'fails' : 'fail'}, and causal consistency implies every session guarantee`;
  } else if (models.causal === 'unknown' && models.linearizable === true) {
    models.causal = true;
    implied.causal = 'it is linearizable, and linearizability implies causal consistency';
  }
  // A violation is a witness, an implication from above is not: refutation first (the two
  // disagree only if a checker is wrong).
  if (models.sequential === 'unknown') {
    if (models.causal === false) {
      models.sequential = false;
      implied.sequential = 'it is not causally consistent, and sequential consistency implies causal consistency';
    } else if (models.linearizable === true) {
      models.sequential = true;
      implied.sequential = 'it is linearizable, and linearizability implies sequential consistency';
    }
  }
  return { models, implied };
}

export interface ScoreOptions {
  /** Linearizability search steps (default: the checker's). Past them: 'unknown'. */
  maxSteps?: number;
  /** Causal checker's budget for the per-read happens-before patterns (operations). */
  maxHbEvents?: number;
  /** Evidence items listed per panel (all are counted). */
  maxEvidence?: number;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function counts(recs: readonly OpRecord[]): Counts {
  let ok = 0;
  let fail = 0;
  let info = 0;
  for (const r of recs) {
    if (r.outcome === 'ok') ok++;
    else if (r.outcome === 'fail') fail++;
    else if (r.outcome === 'info') info++;
  }
  const all = ok + fail + info;
  return { ok, fail, info, availability: all === 0 ? null : ok / all };
}

function latencies(recs: readonly OpRecord[]): number[] {
  return recs
    .filter((r) => r.outcome === 'ok' && r.completedAt !== null)
    .map((r) => r.completedAt! - r.invokedAt)
    .sort((a, b) => a - b);
}

function discardedOf(run: PanelRun): { count: number; atLeast: boolean } {
  if (run.world.arch.kind !== 'gossip') return { count: 0, atLeast: false };
  const replicas = Object.values(run.world.servers).map((x) => x.state as GossipState);
  const d = discardedWrites(replicas, run.world.history);
  return { count: d.count, atLeast: d.atLeast };
}

/** Projection reads against the log's state at the version each reports (consistent prefix). */
function prefixReads(run: PanelRun): { checked: number; matching: number } | undefined {
  if (run.world.arch.kind !== 'event-sourcing') return undefined;
  const log = run.world.servers['log']?.state as LogState | undefined;
  if (!log) return undefined;
  let checked = 0;
  let matching = 0;
  for (const r of run.world.history) {
    if (r.op !== 'get' || r.outcome !== 'ok' || !isObject(r.result) || !isObject(r.args)) continue;
    const v = dictGet(r.result, 'projectionVersion');
    const key = dictGet(r.args, 'key');
    if (typeof v !== 'number' || typeof key !== 'string') continue;
    checked++;
    const state = plainState(stateAsOf(log.events, log.view.snapshots, v, run.world.arch.view).state);
    if (canonicalJson(dictGet(state, key) ?? null) === canonicalJson((dictGet(r.result, 'value') ?? null) as JsonValue))
      matching++;
  }
  return { checked, matching };
}

export function scoreboard(c: Comparison, run: PanelRun, opts: ScoreOptions = {}): Scoreboard {
  const history: History = { ops: run.world.history };
  const recs = history.ops;
  const windows = windowsOf(c);
  const windowOf = (tick: number): WindowName =>
    windows.find((w) => tick >= w.from && tick < w.to)?.name ?? windows[windows.length - 1]!.name;
  const byId = new Map(recs.map((r) => [r.id, r]));
  const lastTick = (ids: readonly number[]): number => Math.max(0, ...ids.map((id) => byId.get(id)?.invokedAt ?? 0));
  const notes: string[] = [];

  // The checker, as `sim check` runs it (so the numbers agree), then every item listed.
  const report = checkHistory(history, {
    sequentialMaxSteps: 0,
    ...(opts.maxSteps === undefined ? {} : { maxSteps: opts.maxSteps }),
  });
  const parsed = readStateLab(history);
  const all =
    parsed.unsupported === undefined
      ? mergeReports(
          registerAnomalies(parsed.ops, { timeUnit: 'tick', maxPerType: Infinity }),
          fracturedReads(history, { timeUnit: 'tick', maxPerType: Infinity }),
        )
      : mergeReports();
  const sessions = checkSessions(history, { maxPerGuarantee: Infinity });
  const causal = checkCausal(history, { maxPerPattern: Infinity, maxHbEvents: opts.maxHbEvents ?? 400 });
  const sequential = checkSequential(history);
  notes.push(...report.notes, ...causal.notes);

  const evidence: EvidenceItem[] = [];
  const push = (
    kind: EvidenceItem['kind'],
    name: string,
    keys: string[],
    opIds: number[],
    explanation: string,
  ): void => {
    evidence.push({
      id: `${kind}-${evidence.length}`,
      kind,
      name,
      window: windowOf(lastTick(opIds)),
      keys,
      opIds,
      explanation,
    });
  };
  if (report.linearizable === false && report.witness)
    push('linearizability', 'not linearizable', [report.witness.key], report.witness.opIds, report.witness.explanation);
  for (const a of all.anomalies) push('anomaly', a.type, a.keys, a.opIds, a.explanation);
  for (const v of sessions.violations) push('session', v.guarantee, v.keys, v.opIds, v.explanation);
  for (const v of causal.violations) push('causal', v.pattern, v.keys, v.opIds, v.explanation);

  const groupOf = new Map<string, string>();
  for (const g of c.groups) for (const a of g.agents) groupOf.set(a, g.id);
  const windowScores: WindowScore[] = windows.map((w) => {
    const inW = recs.filter((r) => r.invokedAt >= w.from && r.invokedAt < w.to);
    const lat = latencies(inW);
    const ev = evidence.filter((e) => e.window === w.name);
    return {
      name: w.name,
      from: w.from,
      to: w.to,
      ...counts(inW),
      staleReads: ev.filter((e) => e.name === 'stale-read').length,
      violations: ev.length,
      p50: percentile(lat, 0.5),
      p99: percentile(lat, 0.99),
      groups: c.groups.map((g) => {
        const mine = counts(inW.filter((r) => groupOf.get(r.agent) === g.id));
        return { group: g.id, ok: mine.ok, total: mine.ok + mine.fail + mine.info };
      }),
    };
  });

  // Divergence: during the fault, at the heal, and how long after it every such key agreed.
  const fault = windows.find((w) => w.name === 'during');
  const series = run.divergence;
  const setAt = (t: number): string[] => {
    let cur: string[] = [];
    for (const [tick, keys] of series) {
      if (tick > t) break;
      cur = keys;
    }
    return cur;
  };
  let maxDuring = 0;
  if (fault)
    for (const [tick, keys] of series)
      if (tick >= fault.from && tick < fault.to) maxDuring = Math.max(maxDuring, keys.length);
  if (fault) maxDuring = Math.max(maxDuring, setAt(fault.from).length);
  const heal = fault && fault.to <= c.duration ? fault.to : null;
  const atHeal = heal === null ? [] : setAt(heal);
  const divergentAtEnd = series.length ? series[series.length - 1]![1] : [];
  let ticksAfterHeal: number | null = 0;
  // A key that still differs at the end never converged, whatever it did on the way.
  if (heal !== null && divergentAtEnd.length > 0) ticksAfterHeal = null;
  else if (heal !== null) {
    for (const k of atHeal) {
      const agreed = series.find(([tick, keys]) => tick > heal && !keys.includes(k));
      if (!agreed) {
        ticksAfterHeal = null;
        break;
      }
      ticksAfterHeal = Math.max(ticksAfterHeal ?? 0, agreed[0] - heal);
    }
  }

  const received = Object.entries(run.traffic.received);
  const delivered = received.reduce((s, [, n]) => s + n, 0);
  const top = received.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const lat = latencies(recs);
  const board: Scoreboard = {
    panel: run.panel.id,
    label: run.panel.label,
    kind: run.panel.architecture.kind,
    placement: placementOf(c, run.panel),
    ops: counts(recs),
    anomalies: all.counts,
    discardedWrites: discardedOf(run),
    sessions: sessions.counts,
    causal: causal.counts,
    ...implications({
      linearizable: report.linearizable,
      sequential: sequential.consistent,
      causal: causal.causal,
      'read-your-writes': sessions.holds['read-your-writes'],
      'monotonic-reads': sessions.holds['monotonic-reads'],
      'monotonic-writes': sessions.holds['monotonic-writes'],
      'writes-follow-reads': sessions.holds['writes-follow-reads'],
    }),
    convergence: { divergentAtEnd, maxDivergentDuringFault: maxDuring, divergentAtHeal: atHeal.length, ticksAfterHeal },
    messages: run.traffic.messages,
    bytes: run.traffic.bytes,
    busiest: top && delivered > 0 ? { node: top[0], share: top[1] / delivered } : null,
    latency: { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) },
    windows: windowScores,
    tradeoff: { choice: 'no-partition', sentence: '' },
    evidence: evidence.slice(0, opts.maxEvidence ?? 60),
    evidenceLeftOut: Math.max(0, evidence.length - (opts.maxEvidence ?? 60)),
    notes,
  };
  if (board.models.sequential === 'unknown')
    notes.push(
      'sequential consistency: unknown (the search covers histories of up to 100 operations, and no other verdict implies an answer)',
    );
  const prefix = prefixReads(run);
  if (prefix) board.prefixReads = prefix;
  board.tradeoff = tradeoff(board);
  return board;
}

const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);

/**
 * What the panel gave up while the fault lasted, from the numbers: a side that refused or
 * timed out (under 90% of its operations ok) gave up availability; a side that accepted
 * while the other side's writes could not reach it gave up consistency (it diverged or
 * served stale reads). The reference's "pick 2 of 3" hides that partitions are not chosen.
 */
export function tradeoff(b: Scoreboard): { choice: TradeOff; sentence: string } {
  const during = b.windows.find((w) => w.name === 'during');
  const lat = `p50 ${b.latency.p50 ?? '–'} / p99 ${b.latency.p99 ?? '–'} ticks`;
  if (!during) {
    return {
      choice: 'no-partition',
      sentence: `No partition: ${b.models.linearizable === true ? 'linearizable' : 'not linearizable'} at ${lat}; without a partition the trade is latency against consistency.`,
    };
  }
  const down = during.groups.filter((g) => g.total > 0 && g.ok / g.total < 0.9);
  // What clients saw, not what replicas hold: a quorum store's lagging replica is not read.
  const diverged = during.staleReads > 0 || during.violations > 0;
  const sides = during.groups.map((g) => `${g.group} ${pct(g.total ? g.ok / g.total : null)} ok`).join(', ');
  if (down.length > 0 && !diverged) {
    return {
      choice: 'consistency',
      sentence: `Chose consistency: the ${down.map((g) => g.group).join(' and ')} side${down.length > 1 ? 's' : ''} refused or timed out (${sides}) and no read was stale.`,
    };
  }
  if (down.length === 0 && diverged) {
    return {
      choice: 'availability',
      sentence: `Chose availability: both sides kept answering (${sides}) and diverged (${b.convergence.maxDivergentDuringFault} key${b.convergence.maxDivergentDuringFault === 1 ? '' : 's'} apart, ${during.staleReads} stale read${during.staleReads === 1 ? '' : 's'}, ${during.violations} violation${during.violations === 1 ? '' : 's'} in all).`,
    };
  }
  if (down.length > 0) {
    return {
      choice: 'neither',
      sentence: `Gave up some of each: the ${down.map((g) => g.group).join(' and ')} side${down.length > 1 ? 's' : ''} lost availability (${sides}) and clients still saw ${during.staleReads} stale read${during.staleReads === 1 ? '' : 's'} (${during.violations} violation${during.violations === 1 ? '' : 's'} in all).`,
    };
  }
  return { choice: 'availability', sentence: `The fault cost nothing visible here (${sides}, no stale read).` };
}
