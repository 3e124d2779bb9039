import { checkHistory } from '../history/check';
import type { CheckReport } from '../history/check';
import type { OpRecord } from '../history/types';
import { isCrashed, isCut } from '../net/network';
import type { World } from '../engine/types';
import type { Claim } from './schema';

/** A claim checked against the world at its step: whether it holds, and what was measured. */
export interface ClaimResult {
  claim: Claim;
  holds: boolean;
  /** What the run showed, in words ("agent3's set (op 12, ticks 40–60) ended timed out…"). */
  measured: string;
}

/**
 * Checks each claim against `w`, the world at the step's tick. The history checker runs at
 * most once per call, and only when a claim needs it (lessons are small runs).
 */
export function checkClaims(w: World, claims: readonly Claim[]): ClaimResult[] {
  let report: CheckReport | undefined;
  const checked = (): CheckReport => (report ??= checkHistory({ ops: w.history }, { witness: false, sequentialMaxSteps: 0 }));
  return claims.map((claim) => checkClaim(w, claim, checked));
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

function checkClaim(w: World, c: Claim, checked: () => CheckReport): ClaimResult {
  const res = (holds: boolean, measured: string): ClaimResult => ({ claim: c, holds, measured });
  switch (c.kind) {
    case 'outcome': {
      let last: OpRecord | undefined;
      for (const r of w.history) {
        if (r.agent !== c.agent || r.outcome === null || (c.op !== undefined && r.op !== c.op)) continue;
        if (!last || r.completedAt! >= last.completedAt!) last = r;
      }
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
      return res(within(n, c, lo), `the checker finds ${n} ${c.type}${n === 1 ? '' : 's'} (the claim: ${boundsText(c, lo)})`);
    }
    case 'linearizable': {
      const v = checked().linearizable;
      const words = v === 'unknown' ? 'undecided: the checker ran out of budget' : v ? 'linearizable' : 'not linearizable';
      return res(v !== 'unknown' && v === c.holds, `the history so far is ${words}`);
    }
    case 'down': {
      if (!Object.hasOwn(w.servers, c.node) && !Object.hasOwn(w.agents, c.node)) return res(false, `${c.node} does not exist at tick ${w.now}`);
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
  }
}
