import { checkHistory } from '../history/check';
import type { CheckReport } from '../history/check';
import type { OpRecord } from '../history/types';
import { isCrashed, isCut } from '../net/network';
import { getArchitecture } from '../architectures/registry';
import { summarizeServer } from '../engine/summary';
import type { Holdings } from '../architectures/types';
import { canonicalJson } from '../core/hash';
import { dictGet } from '../core/dict';
import type { World } from '../engine/types';
import type { Claim } from './schema';

/** A claim checked against the world at its step: whether it holds, and what was measured. */
export interface ClaimResult {
  claim: Claim;
  holds: boolean;
  /** What the run showed, in words ("agent3's set (op 12, ticks 40–60) ended timed out…"). */
  measured: string;
  /** In a comparison: the label of the panel whose world it was checked on. */
  panel?: string;
}

/**
 * Checks each claim against `w`, the world at the step's tick. The history checker runs at
 * most once per call, and only when a claim needs it (lessons are small runs).
 */
export function checkClaims(w: World, claims: readonly Claim[]): ClaimResult[] {
  let report: CheckReport | undefined;
  let held: Holdings | null | undefined;
  const ctx: Ctx = {
    // Every key's verdict (allKeys), not only up to the first failing one: claims may name a key.
    checked: () =>
      (report ??= checkHistory({ ops: w.history }, { witness: false, sequentialMaxSteps: 0, allKeys: true })),
    holdings: () => (held === undefined ? (held = holdingsOf(w)) : held),
  };
  return claims.map((claim) => checkClaim(w, claim, ctx));
}

/**
 * A comparison's claims, each checked on the world of the panel it names (`worldOf` gives the
 * panel's world at the step's tick, or null when it has none there yet); results in the
 * claims' order, each with the panel's label. One checkClaims per panel, so the history
 * checker still runs at most once per world.
 */
export function checkPanelClaims(
  claims: readonly Claim[],
  panels: readonly { id: string; label: string }[],
  worldOf: (panel: string) => World | null,
): ClaimResult[] {
  const out: ClaimResult[] = new Array<ClaimResult>(claims.length);
  for (const p of panels) {
    const mine = claims.flatMap((c, i) => (c.panel === p.id ? [i] : []));
    if (mine.length === 0) continue;
    const w = worldOf(p.id);
    const results = w
      ? checkClaims(
          w,
          mine.map((i) => claims[i]!),
        )
      : mine.map((i) => ({ claim: claims[i]!, holds: false, measured: 'this panel has not reached the step yet' }));
    mine.forEach((i, k) => (out[i] = { ...results[k]!, panel: p.label }));
  }
  claims.forEach((c, i) => (out[i] ??= { claim: c, holds: false, measured: `no panel is called "${c.panel ?? ''}"` }));
  return out;
}

interface Ctx {
  checked(): CheckReport;
  /** The architecture's holdings at this tick, or null when it has none. */
  holdings(): Holdings | null;
}

function holdingsOf(w: World): Holdings | null {
  const arch = getArchitecture(w.arch.kind);
  if (!arch.holdings) return null;
  const servers = Object.keys(w.servers).map((id) => ({ id, state: w.servers[id]!.state }));
  return arch.holdings(servers, w.arch);
}

/** JSON for the measured text, cut short: values are bounded, but a sentence should stay one. */
function show(v: unknown): string {
  const t = v === undefined ? 'nothing' : canonicalJson(v);
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The numbers in a fact's text ("3 / 1" → [3, 1]; "r1:2 r2:5" → [1, 2, 2, 5]). */
function numbersIn(text: string): number[] {
  return (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
}

interface Bounds {
  atLeast?: number | undefined;
  atMost?: number | undefined;
}

function within(n: number, c: Bounds, defaultAtLeast: number): boolean {
  return n >= (c.atLeast ?? defaultAtLeast) && (c.atMost === undefined || n <= c.atMost);
}

function boundsText(c: Bounds, defaultAtLeast: number): string {
  const lo = c.atLeast ?? defaultAtLeast;
  if (c.atMost === undefined) return `at least ${lo}`;
  return lo === c.atMost ? `exactly ${lo}` : lo === 0 ? `at most ${c.atMost}` : `${lo} to ${c.atMost}`;
}

function opWords(r: OpRecord): string {
  const how = r.outcome === 'ok' ? 'ok' : r.outcome === 'fail' ? 'failed' : 'timed out or unknown (info)';
  return `${r.agent}'s ${r.op} (op ${r.id}, ticks ${r.invokedAt}–${r.completedAt ?? '…'}) ended ${how}${r.reason ? `: ${r.reason}` : ''}`;
}

/** A result's field by a dotted path (`state.alice`): own properties only, so hostile keys stay data. */
function fieldAt(result: unknown, path: string): unknown {
  let v: unknown = result;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) return undefined;
    v = (v as { [k: string]: unknown })[part];
  }
  return v;
}

function latestCompleted(w: World, agent: string, op: string | undefined): OpRecord | undefined {
  let last: OpRecord | undefined;
  for (const r of w.history) {
    if (r.agent !== agent || r.outcome === null || (op !== undefined && r.op !== op)) continue;
    if (!last || r.completedAt! >= last.completedAt!) last = r;
  }
  return last;
}

function checkClaim(w: World, c: Claim, ctx: Ctx): ClaimResult {
  const checked = ctx.checked;
  const res = (holds: boolean, measured: string): ClaimResult => ({ claim: c, holds, measured });
  switch (c.kind) {
    case 'outcome': {
      const last = latestCompleted(w, c.agent, c.op);
      if (!last) return res(false, `${c.agent} has completed no ${c.op ?? 'operation'} by tick ${w.now}`);
      return res(last.outcome === c.outcome, opWords(last));
    }
    case 'count': {
      let n = 0;
      for (const r of w.history) {
        if (r.outcome === null) continue;
        if (c.agent !== undefined && r.agent !== c.agent) continue;
        if (c.op !== undefined && r.op !== c.op) continue;
        if (c.since !== undefined && r.completedAt! < c.since) continue;
        if (c.of !== 'completed' && r.outcome !== c.of) continue;
        n++;
      }
      const what = `${c.of} ${c.op ?? 'operation'}${n === 1 ? '' : 's'}${c.agent ? ` of ${c.agent}` : ''}${c.since !== undefined ? ` since tick ${c.since}` : ''}`;
      return res(within(n, c, 0), `${n} ${what} (the claim: ${boundsText(c, 0)})`);
    }
    case 'anomaly': {
      // "There is a stale read" unless bounded: at least one by default, none with `atMost: 0`.
      const lo = c.atMost === undefined ? 1 : 0;
      const n = checked().anomalyCounts[c.type];
      return res(
        within(n, c, lo),
        `the checker finds ${n} ${c.type}${n === 1 ? '' : 's'} (the claim: ${boundsText(c, lo)})`,
      );
    }
    case 'linearizable': {
      const report = checked();
      const v =
        c.key === undefined ? report.linearizable : (report.perKey.find((k) => k.key === c.key)?.linearizable ?? null);
      if (v === null) return res(false, `no operation so far is on the key ${show(c.key)}`);
      const words =
        v === 'unknown' ? 'undecided: the checker ran out of budget' : v ? 'linearizable' : 'not linearizable';
      return res(
        v !== 'unknown' && v === c.holds,
        `the history so far${c.key === undefined ? '' : ` of ${show(c.key)}`} is ${words}`,
      );
    }
    case 'down': {
      if (!Object.hasOwn(w.servers, c.node) && !Object.hasOwn(w.agents, c.node))
        return res(false, `${c.node} does not exist at tick ${w.now}`);
      const down = isCrashed(w.net, c.node);
      return res(down === c.down, `${c.node} is ${down ? 'down' : 'up'}`);
    }
    case 'cut': {
      const cut = isCut(w.net, c.from, c.to);
      return res(cut === c.cut, `the link ${c.from} → ${c.to} is ${cut ? 'cut' : 'up'}`);
    }
    case 'metric': {
      const n = w.metrics[c.metric];
      return res(within(n, c, 0), `${c.metric} = ${n} (the claim: ${boundsText(c, 0)})`);
    }
    case 'holdings': {
      const h = ctx.holdings();
      if (!h) return res(false, `the ${w.arch.kind} architecture does not say what its servers hold`);
      const row = dictGet(h, c.key);
      const ids = row ? Object.keys(row).sort() : [];
      const words =
        ids.length === 0 ? `no server holds ${show(c.key)}` : ids.map((id) => `${id}: ${show(row![id])}`).join(', ');
      let holds = true;
      if (c.agree !== undefined) {
        const agree = ids.every((id) => same(row![id], row![ids[0]!]));
        holds &&= agree === c.agree;
      }
      if (c.node !== undefined) {
        // A server that is not among the key's holders would see nothing there.
        const seen = row && Object.hasOwn(row, c.node) ? row[c.node] : null;
        holds &&= same(seen ?? null, c.value ?? null);
      }
      return res(holds, `${show(c.key)} is held as ${words}`);
    }
    case 'fact': {
      const node = dictGet(w.servers, c.node);
      if (!node) return res(false, `${c.node} is not a server at tick ${w.now}`);
      const summary = summarizeServer(w, c.node);
      if (!summary) return res(false, `the ${w.arch.kind} architecture states no facts`);
      const fact = summary.facts.find(([label]) => label === c.label);
      if (!fact) return res(false, `${c.node} states no fact "${c.label}"`);
      const text = fact[1];
      const n = numbersIn(text)[c.part ?? 0];
      let holds = true;
      if (typeof c.equals === 'string') holds &&= text === c.equals;
      else if (typeof c.equals === 'number') holds &&= n === c.equals;
      if (c.atLeast !== undefined || c.atMost !== undefined) holds &&= n !== undefined && within(n, c, 0);
      return res(holds, `${c.node}'s "${c.label}" is ${text}`);
    }
    case 'result': {
      const last = latestCompleted(w, c.agent, c.op);
      if (!last) return res(false, `${c.agent} has completed no ${c.op ?? 'operation'} by tick ${w.now}`);
      const v = last.outcome === 'ok' ? fieldAt(last.result, c.field) : undefined;
      const prefix = `${opWords(last)}; its ${c.field} is ${show(v)}`;
      if (v === undefined) return res(false, prefix);
      let holds = true;
      if (c.equals !== undefined) holds &&= same(v, c.equals);
      if (c.atLeast !== undefined || c.atMost !== undefined) holds &&= typeof v === 'number' && within(v, c, 0);
      return res(holds, prefix);
    }
  }
}
