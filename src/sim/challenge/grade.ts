import { canonicalJson } from '../core/hash';
import { dictGet, type Dict } from '../core/dict';
import { advance, initWorld, worldHash } from '../engine/engine';
import type { World } from '../engine/types';
import { checkHistory, type CheckReport } from '../history/check';
import type { OpRecord } from '../history/types';
import { isCrashed } from '../net/network';
import { ENGINE_VERSION } from '../version';
import { discardedWrites } from '../architectures/gossip/discarded';
import type { GossipState } from '../architectures/gossip/gossip';
import type { Action, Scenario } from '../scenario/schema';
import { FAULT_ENDS, FAULT_STARTS, type Challenge, type ChallengeFile, type Knob, type Violation } from './types';

/**
 * Grading an attempt: replayed from scratch, judged by the checker. Nothing in the attempt is
 * trusted: it is the scenario the student made, compared with the challenge's start for what
 * it may not change, counted against the budget, run, and judged.
 */
export interface Grade {
  readonly verdict: 'pass' | 'fail';
  /** Why, in words a student reads. */
  readonly reason: string;
  /** Faults the attempt added (cut-link, partition, crash). */
  readonly faults: number;
  /** Operations the attempt added. */
  readonly ops: number;
  /** Passed within par (false when failed or over par). */
  readonly withinPar: boolean;
  /** The violation found, when one was: its words and the operations that prove it. */
  readonly witness?: { readonly explanation: string; readonly opIds: readonly number[]; readonly tick: number };
  /** Keep-it: availability per group during the fault window. */
  readonly availability?: readonly { readonly group: string; readonly ok: number; readonly of: number }[];
  /** Keep-it, passed: the knobs whose change alone made the difference (reverting it fails). */
  readonly knobsThatMattered?: readonly string[];
  /** The attempt's world hash at its end: the same attempt gives the same hash. */
  readonly hash: string;
}

/** What the attempt changed that it may not, or spent beyond its budget; null if nothing. */
export function outOfBounds(file: ChallengeFile, attempt: Scenario): string | null {
  const { challenge: c, scenario: start } = file;
  const same = (a: unknown, b: unknown): boolean => canonicalJson(a as never) === canonicalJson(b as never);
  if (attempt.architecture.kind !== start.architecture.kind)
    return `it runs ${attempt.architecture.kind}, and this challenge is about ${start.architecture.kind}`;
  for (const field of ['seed', 'duration', 'network'] as const) {
    if (!same(attempt[field], start[field])) return `it changes the scenario's ${field}, which this challenge fixes`;
  }
  const knobs = new Set<Knob>(c.knobs);
  const arch = { ...(attempt.architecture as Record<string, unknown>) };
  const startArch = { ...(start.architecture as Record<string, unknown>) };
  for (const k of Object.keys({ ...arch, ...startArch })) {
    if (knobs.has(`architecture.${k}`)) continue;
    if (!same(arch[k] ?? null, startArch[k] ?? null))
      return `it changes the architecture's ${k}, which this challenge fixes${knobList(c)}`;
  }
  if (!knobs.has('durability') && !same(attempt.durability ?? null, start.durability ?? null))
    return `it changes the servers' durability, which this challenge fixes${knobList(c)}`;
  if (!same(attempt.health ?? null, start.health ?? null) && !knobs.has('fallbacks'))
    return 'it changes the health checks, which this challenge fixes';
  const withoutFallback = (s: Scenario): unknown =>
    s.agents.map((a) => (knobs.has('fallbacks') ? { ...a, fallback: null } : a));
  if (!same(withoutFallback(attempt), withoutFallback(start)))
    return 'it changes the agents or their workloads, which this challenge fixes';

  // The start's actions all stay; what is added is counted against the budget.
  const { added, missing } = diffActions(start, attempt);
  if (missing > 0)
    return c.kind === 'keep'
      ? 'it changes the fault schedule, which this challenge fixes'
      : "it removes one of the scenario's own actions";
  if (c.kind === 'keep' && added.length > 0) return 'it changes the fault schedule, which this challenge fixes';
  const { faults, ops } = spent(added);
  for (const a of added) {
    const allowed =
      a.type === 'op' ||
      (FAULT_ENDS as readonly string[]).includes(a.type) ||
      (c.budget.kinds as readonly string[]).includes(a.type);
    if (!allowed) return `it adds a ${a.type} action, which this challenge does not allow (${kindsText(c)})`;
    if (a.tick > c.budget.until) return `it acts at tick ${a.tick}, after the budget's last tick ${c.budget.until}`;
    if (a.type === 'crash' && a.disk === 'lost' && c.budget.diskLoss !== true)
      return `it crashes ${a.node} and loses its disk, which this challenge's budget leaves out`;
  }
  if (faults > c.budget.faults)
    return `it uses ${faults} fault${faults === 1 ? '' : 's'}, over the budget of ${c.budget.faults}`;
  if (ops > c.budget.ops) return `it adds ${ops} operation${ops === 1 ? '' : 's'}, over the budget of ${c.budget.ops}`;
  return null;
}

/**
 * Whether a scenario is a run of this challenge's start (its name, architecture kind, seed,
 * duration, network and agents): how a resumed attempt is recognised, whatever it spent.
 */
export function isAttemptAt(file: ChallengeFile, s: Scenario): boolean {
  const start = file.scenario;
  const same = (a: unknown, b: unknown): boolean => canonicalJson(a as never) === canonicalJson(b as never);
  return (
    s.name === start.name &&
    s.architecture.kind === start.architecture.kind &&
    s.seed === start.seed &&
    s.duration === start.duration &&
    same(s.network, start.network) &&
    same(
      s.agents.map((a) => a.id),
      start.agents.map((a) => a.id),
    )
  );
}

/**
 * Faults (what starts one) and operations among added actions. A link cut both ways at one tick
 * (what a click on the diagram's link does) is one fault: one link, cut.
 */
export function spent(added: readonly Action[]): { faults: number; ops: number } {
  let faults = 0;
  let ops = 0;
  const cuts = new Set<string>();
  for (const a of added) {
    if (a.type === 'cut-link') {
      const pair = [a.from, a.to].sort().join('\u0000');
      if (!cuts.has(`${a.tick}\u0000${pair}`)) faults++;
      cuts.add(`${a.tick}\u0000${pair}`);
    } else if ((FAULT_STARTS as readonly string[]).includes(a.type)) faults++;
    if (a.type === 'op') ops++;
  }
  return { faults, ops };
}

/** The attempt's actions beyond the start's (as a multiset), and how many of the start's it lacks. */
export function diffActions(start: Scenario, attempt: Scenario): { added: Action[]; missing: number } {
  const left = new Map<string, number>();
  for (const a of start.actions) {
    const k = canonicalJson(a as never);
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  const added = attempt.actions.filter((a) => {
    const k = canonicalJson(a as never);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n === 0;
  });
  let missing = 0;
  for (const n of left.values()) missing += n;
  return { added, missing };
}

function knobList(c: Challenge): string {
  return c.knobs.length === 0 ? '' : ` (you may set: ${c.knobs.join(', ')})`;
}

function kindsText(c: Challenge): string {
  return c.budget.kinds.length === 0 ? 'no faults here' : `faults allowed: ${c.budget.kinds.join(', ')}`;
}

interface Found {
  readonly explanation: string;
  readonly opIds: readonly number[];
  readonly tick: number;
}

/** Runs the attempt and looks for the violation; the run's end world is returned too. */
export function runAndFind(attempt: Scenario, violation: Violation): { world: World; found: Found | null } {
  const w = initWorld(attempt);
  let blocked: Found | null = null;
  if (violation.kind === '2pc-blocked') {
    const since = new Map<string, number>();
    const look = (): void => {
      for (const id of Object.keys(w.servers)) {
        const st = w.servers[id]?.state as { role?: string; prepared?: Dict<unknown> } | undefined;
        if (st?.role !== 'shard' || st.prepared === undefined) continue;
        const up = !isCrashed(w.net, id);
        for (const txn of Object.keys(st.prepared)) {
          const key = `${id}/${txn}`;
          const first = since.get(key) ?? w.now;
          since.set(key, first);
          // Checked at every tick where anything happens, so nothing changed in between.
          if (up && blocked === null && w.now - first >= violation.ticks)
            blocked = {
              explanation: `${id} prepared transaction ${txn} at tick ${first} and, up all along, still had no decision ${violation.ticks} ticks later: it holds its locks and can neither commit nor abort on its own (two-phase commit blocks when the coordinator cannot decide).`,
              opIds: [],
              tick: first + violation.ticks,
            };
        }
        for (const key of [...since.keys()])
          if (key.startsWith(`${id}/`) && dictGet(st.prepared, key.slice(id.length + 1)) === undefined)
            since.delete(key);
      }
    };
    advance(w, attempt, attempt.duration, look);
    look();
    return { world: w, found: blocked };
  }
  advance(w, attempt, attempt.duration);
  return { world: w, found: findInWorld(w, violation) };
}

function findInWorld(w: World, v: Violation): Found | null {
  const tickOf = (ids: readonly number[]): number =>
    Math.max(0, ...w.history.filter((r) => ids.includes(r.id)).map((r) => r.completedAt ?? r.invokedAt));
  switch (v.kind) {
    case 'anomaly': {
      const a = report(w).anomalies.find((x) => x.type === v.type);
      return a === undefined ? null : { explanation: a.explanation, opIds: a.opIds, tick: tickOf(a.opIds) };
    }
    case 'not-linearizable': {
      const r = report(w);
      if (r.linearizable !== false) return null;
      const ids = r.witness?.opIds ?? [];
      return { explanation: r.witness?.explanation ?? 'not linearizable', opIds: ids, tick: tickOf(ids) };
    }
    case 'session': {
      const s = report(w).sessions?.violations.find((x) => x.guarantee === v.guarantee);
      return s === undefined ? null : { explanation: s.explanation, opIds: s.opIds, tick: tickOf(s.opIds) };
    }
    case 'gossip-flaw': {
      for (const id of Object.keys(w.servers).sort()) {
        const st = w.servers[id]?.state as
          { flaws?: { kind: string; tick: number; key: string; values: unknown[]; counters: number[] }[] } | undefined;
        const f = st?.flaws?.find((x) => x.kind === v.flaw);
        if (f === undefined) continue;
        const val = (i: number): string => JSON.stringify(f.values[i] ?? null);
        return {
          explanation:
            v.flaw === 'tie'
              ? `${id} holds ${val(0)} for ${f.key} and a peer holds ${val(1)}, both with counter ${f.counters[0]}: equal counters change nothing in a merge, so they never converge.`
              : `At ${id}, the acknowledged write of ${val(1)} to ${f.key} (counter ${f.counters[1]}) was dropped for ${val(0)} (counter ${f.counters[0]}): a higher counter only means more writes were seen on one side, not a later write.`,
          opIds: [],
          tick: f.tick,
        };
      }
      return null;
    }
    case 'discarded-write': {
      if (w.arch.kind !== 'gossip') return null;
      const replicas = Object.keys(w.servers)
        .sort()
        .map((id) => w.servers[id]?.state as GossipState);
      const d = discardedWrites(replicas, w.history)['writes'][0];
      if (d === undefined) return null;
      return {
        explanation: `${d.agent}'s write of ${JSON.stringify(d.value)} to ${d.key} (#${d.opId}) was acknowledged, then discarded at tick ${d.tick} by a merge that kept a concurrent write: neither write knew of the other, and the merge kept only one.`,
        opIds: [d.opId],
        tick: d.tick,
      };
    }
    case '2pc-blocked':
      return null;
  }
}

const reports = new WeakMap<World, CheckReport>();
function report(w: World): CheckReport {
  let r = reports.get(w);
  if (r === undefined) {
    r = checkHistory({ ops: w.history }, { sequentialMaxSteps: 0 });
    reports.set(w, r);
  }
  return r;
}

/** Availability per group: ops invoked in [from, to] that completed ok. */
export function availabilityOf(
  history: readonly OpRecord[],
  a: NonNullable<Challenge['availability']>,
  agents: readonly string[],
): { group: string; ok: number; of: number }[] {
  const groups = a.groups ?? [{ name: 'every agent', agents }];
  return groups.map((g) => {
    const ops = history.filter((r) => g.agents.includes(r.agent) && r.invokedAt >= a.from && r.invokedAt <= a.to);
    return { group: g.name, ok: ops.filter((r) => r.outcome === 'ok').length, of: ops.length };
  });
}

/** Grades an attempt (a parsed, valid scenario) against a challenge file. */
export function grade(file: ChallengeFile, attempt: Scenario, opts: { ablate?: boolean } = {}): Grade {
  const c = file.challenge;
  const { faults, ops } = spent(diffActions(file.scenario, attempt).added);
  const bounds = outOfBounds(file, attempt);
  if (bounds !== null) {
    return { verdict: 'fail', reason: `Not graded: ${bounds}.`, faults, ops, withinPar: false, hash: '' };
  }
  const { world, found } = runAndFind(attempt, c.violation);
  const hash = worldHash(world);
  const base = { faults, ops, hash, ...(found === null ? {} : { witness: found }) };
  const par = c.par;
  // No par, no "within par".
  const inPar = (tick: number): boolean =>
    par !== undefined &&
    (par.faults === undefined || faults <= par.faults) &&
    (par.tick === undefined || tick <= par.tick);

  if (c.kind === 'break') {
    if (found === null)
      return {
        ...base,
        verdict: 'fail',
        reason: `Checked ${describe(c.violation)} over the whole run: not found. ${faultsText(faults, c)}`,
        withinPar: false,
      };
    return {
      ...base,
      verdict: 'pass',
      reason: `Found ${describe(c.violation)} at tick ${found.tick} with ${faultsText(faults, c)}: ${found.explanation}`,
      withinPar: inPar(found.tick),
    };
  }
  if (c.kind === 'unbreakable') {
    if (found !== null)
      return {
        ...base,
        verdict: 'fail',
        reason: `It broke: ${found.explanation} (This should not happen within the budget; please report it.)`,
        withinPar: false,
      };
    if (faults === 0)
      return { ...base, verdict: 'fail', reason: 'Try to break it first: add at least one fault.', withinPar: false };
    const avail = availabilityOf(world.history, { atLeast: 0, from: 0, to: attempt.duration }, agentIds(attempt));
    return {
      ...base,
      verdict: 'pass',
      reason: `It held: ${describeNone(c.violation)} despite ${faultsText(faults, c)}. What it gave up instead: ${availabilityText(avail)}.`,
      withinPar: inPar(0),
      availability: avail,
    };
  }
  // keep
  if (found !== null)
    return {
      ...base,
      verdict: 'fail',
      reason: `${cap(describe(c.violation))} still happens at tick ${found.tick}: ${found.explanation}`,
      withinPar: false,
    };
  const bar = c.availability;
  const avail = bar === undefined ? [] : availabilityOf(world.history, bar, agentIds(attempt));
  const low = bar === undefined ? undefined : avail.find((g) => g.of > 0 && g.ok / g.of < bar.atLeast);
  if (bar !== undefined && low !== undefined)
    return {
      ...base,
      verdict: 'fail',
      reason: `${cap(describeNone(c.violation))}, but ${low.group} had ${pct(low.ok, low.of)} of its operations answered during ticks ${bar.from}–${bar.to}, under the bar of ${Math.round(bar.atLeast * 100)} %.`,
      withinPar: false,
      availability: avail,
    };
  const mattered = opts.ablate === false ? [] : ablate(file, attempt);
  return {
    ...base,
    verdict: 'pass',
    reason: `${cap(describeNone(c.violation))}${bar === undefined ? '' : `, and ${availabilityText(avail)} during ticks ${bar.from}–${bar.to}`}.${mattered.length > 0 ? ` What mattered: ${mattered.join(', ')}.` : ''}`,
    withinPar: inPar(0),
    availability: avail,
    knobsThatMattered: mattered,
  };
}

/** The knobs whose change alone mattered: revert each to the start's value and re-grade. */
function ablate(file: ChallengeFile, attempt: Scenario): string[] {
  const out: string[] = [];
  for (const knob of file.challenge.knobs) {
    const reverted = revert(file.scenario, attempt, knob);
    if (reverted === null) continue;
    if (grade(file, reverted, { ablate: false }).verdict === 'fail') out.push(knobName(knob, file.scenario, attempt));
  }
  return out;
}

function revert(start: Scenario, attempt: Scenario, knob: Knob): Scenario | null {
  const same = (a: unknown, b: unknown): boolean => canonicalJson(a as never) === canonicalJson(b as never);
  if (knob === 'durability') {
    if (same(attempt.durability ?? null, start.durability ?? null)) return null;
    const { durability: _d, ...rest } = attempt;
    return start.durability === undefined ? rest : { ...rest, durability: start.durability };
  }
  if (knob === 'fallbacks') {
    if (same(attempt.agents, start.agents)) return null;
    return { ...attempt, agents: start.agents };
  }
  const field = knob.slice('architecture.'.length);
  const a = attempt.architecture as Record<string, unknown>;
  const s = start.architecture as Record<string, unknown>;
  if (same(a[field] ?? null, s[field] ?? null)) return null;
  const arch = { ...a };
  if (s[field] === undefined) delete arch[field];
  else arch[field] = s[field];
  return { ...attempt, architecture: arch as Scenario['architecture'] };
}

function knobName(knob: Knob, start: Scenario, attempt: Scenario): string {
  if (knob === 'durability') return 'durability';
  if (knob === 'fallbacks') return 'the agents’ fallbacks';
  const field = knob.slice('architecture.'.length);
  const v = (x: Scenario): string => JSON.stringify((x.architecture as Record<string, unknown>)[field] ?? null);
  return `${field} (${v(start)} → ${v(attempt)})`;
}

function agentIds(s: Scenario): string[] {
  return s.agents.map((a) => a.id);
}

export function describe(v: Violation): string {
  switch (v.kind) {
    case 'anomaly':
      return `a ${v.type.replace('-', ' ')}`;
    case 'not-linearizable':
      return 'a history that is not linearizable';
    case 'session':
      return `a ${v.guarantee.replace(/-/g, ' ')} violation`;
    case 'gossip-flaw':
      return v.flaw === 'tie' ? 'a fixed point that never converges' : 'an acknowledged write silently dropped';
    case '2pc-blocked':
      return `a two-phase commit blocked for ${v.ticks} ticks`;
    case 'discarded-write':
      return 'an acknowledged write discarded by a merge';
  }
}

/** The same, said as absent: "no stale read". */
export function describeNone(v: Violation): string {
  switch (v.kind) {
    case 'anomaly':
      return `no ${v.type.replace('-', ' ')}`;
    case 'not-linearizable':
      return 'no violation of linearizability';
    case 'session':
      return `no ${v.guarantee} violation`;
    case 'gossip-flaw':
      return v.flaw === 'tie' ? 'no fixed point' : 'no silently dropped write';
    case '2pc-blocked':
      return 'no blocked two-phase commit';
    case 'discarded-write':
      return 'no discarded write';
  }
}

function faultsText(n: number, c: Challenge): string {
  return `${n} fault${n === 1 ? '' : 's'} (budget ${c.budget.faults})`;
}

function availabilityText(avail: readonly { group: string; ok: number; of: number }[]): string {
  return avail.map((g) => `${g.group}: ${pct(g.ok, g.of)} of ${g.of} operations answered`).join('; ');
}

function pct(ok: number, of: number): string {
  return of === 0 ? '100 %' : `${Math.round((100 * ok) / of)} %`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A graded attempt at a named challenge (a receipt, or a file a teacher collected). */
export interface GradedAttempt extends Grade {
  readonly challenge: string;
}

/**
 * Grades an attempt named by challenge id and version (null: not stated, graded against the
 * current version). An unknown challenge or a version that has since changed fails, saying so.
 */
export function gradeAttempt(
  files: readonly ChallengeFile[],
  id: string,
  version: number | null,
  attempt: Scenario,
  recorded?: { hash: string; engine: string },
): GradedAttempt {
  const file = files.find((f) => f.challenge.id === id);
  const failed = (reason: string): GradedAttempt => ({
    challenge: id,
    verdict: 'fail',
    reason,
    faults: 0,
    ops: 0,
    withinPar: false,
    hash: '',
  });
  if (file === undefined) return failed(`Not graded: there is no challenge "${id.slice(0, 64)}".`);
  if (version !== null && version !== file.challenge.version)
    return failed(
      `Not graded: the attempt was made for version ${version} of this challenge, which has changed since (now version ${file.challenge.version}).`,
    );
  const g = grade(file, attempt);
  // The receipt's own hash is not trusted either; a replay that differs is graded as replayed,
  // and fails: the attempt was altered, or made by an engine that runs it differently.
  if (recorded !== undefined && g.hash !== '' && recorded.hash !== g.hash)
    return {
      challenge: id,
      ...g,
      verdict: 'fail',
      withinPar: false,
      reason: `Not accepted: the receipt's hash does not match its replay (${recorded.engine === ENGINE_VERSION ? 'the receipt was altered' : `made by engine ${recorded.engine.slice(0, 20)}, this is ${ENGINE_VERSION}`}). The replay says: ${g.reason}`,
    };
  return { challenge: id, ...g };
}
