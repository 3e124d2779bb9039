import type { ArchitectureConfig } from '../scenario/schema';
import type { Scoreboard } from './scoreboard';

/**
 * The reference's "Comparison" table (state-management-architectures.md), and a verdict on
 * each of its cells from a panel's measured scoreboard: agrees, disagrees, or not measured,
 * with one sentence computed from the numbers. Stars become bands of a measured quantity;
 * the bands are stated here and in docs/compare.md, so a verdict can be argued with.
 */

export interface ReferenceRow {
  pattern: string;
  consistency: string;
  availability: number;
  scalability: number;
  complexity: number;
}

export const REFERENCE_TABLE: Record<ArchitectureConfig['kind'], ReferenceRow> = {
  centralized: { pattern: 'Centralized', consistency: 'Strong', availability: 3, scalability: 2, complexity: 1 },
  'event-sourcing': {
    pattern: 'Event Sourcing',
    consistency: 'Eventual',
    availability: 4,
    scalability: 3,
    complexity: 4,
  },
  partitioned: { pattern: 'Partitioned', consistency: 'Configurable', availability: 4, scalability: 4, complexity: 3 },
  gossip: { pattern: 'Gossip/CRDT', consistency: 'Eventual', availability: 5, scalability: 5, complexity: 5 },
};

export type Column = 'consistency' | 'availability' | 'scalability' | 'complexity';

export interface Cell {
  column: Column;
  claim: string;
  measured: string;
  verdict: 'agrees' | 'disagrees' | 'not measured';
  reason: string;
}

/** ★ rather than the reference's ⭐ emoji: every font has it, so a projector shows it. */
export const stars = (n: number): string => '★'.repeat(n);

/** Availability stars as bands of the share of operations ok while the fault lasts. */
export const AVAILABILITY_BANDS = [0, 0.25, 0.45, 0.75, 0.95] as const;
/** Scalability stars as bands of the busiest node's share of all deliveries (lower is better). */
export const BOTTLENECK_BANDS = [0.6, 0.45, 0.35, 0.25] as const;

export function availabilityStars(a: number): number {
  let s = 1;
  AVAILABILITY_BANDS.forEach((t, i) => {
    if (a >= t) s = i + 1;
  });
  return s;
}

export function scalabilityStars(share: number): number {
  let s = 1;
  BOTTLENECK_BANDS.forEach((t, i) => {
    if (share < t) s = i + 2;
  });
  return s;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function referenceVerdicts(b: Scoreboard): Cell[] {
  const row = REFERENCE_TABLE[b.kind];
  return [consistency(b, row), availability(b, row), scalability(b, row), complexity(b, row)];
}

function consistency(b: Scoreboard, row: ReferenceRow): Cell {
  const lin = b.models.linearizable;
  const stale = b.anomalies['stale-read'];
  const conv = b.convergence;
  const converged = conv.divergentAtEnd.length === 0 && conv.ticksAfterHeal !== null;
  const measured =
    lin === true
      ? 'linearizable'
      : lin === 'unknown'
        ? 'undecided'
        : b.models.causal === true
          ? 'causal, not linearizable'
          : 'not linearizable';
  const cell = (verdict: Cell['verdict'], reason: string): Cell => ({
    column: 'consistency',
    claim: row.consistency,
    measured,
    verdict,
    reason,
  });
  if (lin === 'unknown') return cell('not measured', 'The linearizability search ran out of its step budget.');
  switch (row.consistency) {
    case 'Strong':
      return lin === true
        ? cell(
            'agrees',
            `Linearizable: every one of ${b.ops.ok} completed operations took effect at one instant; the ${b.ops.info} that could not reach the store timed out instead.`,
          )
        : cell(
            'disagrees',
            `Not linearizable: ${b.evidence.find((e) => e.kind === 'linearizability')?.explanation ?? 'see the witness'}`,
          );
    case 'Configurable':
      return cell(
        'agrees',
        lin === true
          ? `This configuration measured linearizable (${b.label}); weaker ones (R + W ≤ N) show stale reads.`
          : `This configuration measured not linearizable, with ${plural(stale, 'stale read')}: the setting decides.`,
      );
    default: {
      if (b.prefixReads && b.prefixReads.checked > 0) {
        return cell(
          'disagrees',
          `More than "eventual": appends are totally ordered at the log, and ${b.prefixReads.matching} of ${b.prefixReads.checked} projection reads matched the log's state at the version they reported (a consistent prefix); the ${plural(stale, 'stale read')} came from a lagging projection${converged ? `, which caught up ${conv.ticksAfterHeal} ticks after the heal` : ''}.`,
        );
      }
      if (lin === true) return cell('disagrees', 'Measured linearizable: stronger than eventual in this run.');
      if (!converged) {
        return cell(
          'disagrees',
          `Not even eventual: ${plural(conv.divergentAtEnd.length, 'key')} (${conv.divergentAtEnd.join(', ')}) still differ between replicas at the end, with no writes since the quiesce.`,
        );
      }
      return cell(
        'agrees',
        `Eventual: ${plural(conv.maxDivergentDuringFault, 'key')} diverged during the fault and every replica agreed ${conv.ticksAfterHeal} ticks after the heal; meanwhile ${plural(stale, 'stale read')} and ${plural(b.anomalies['lost-write'], 'lost write')}.`,
      );
    }
  }
}

function availability(b: Scoreboard, row: ReferenceRow): Cell {
  const during = b.windows.find((w) => w.name === 'during');
  const a = during?.availability ?? b.ops.availability;
  const claim = stars(row.availability);
  if (a === null)
    return { column: 'availability', claim, measured: '–', verdict: 'not measured', reason: 'No operation completed.' };
  const got = availabilityStars(a);
  const sides = (during?.groups ?? []).map((g) => `${g.group} ${g.total ? pct(g.ok / g.total) : '–'}`).join(', ');
  const when = during ? 'while the fault lasted' : 'over the run';
  const measured = `${pct(a)} ok ${during ? 'during the fault' : ''}`.trim();
  if (got === row.availability) {
    return {
      column: 'availability',
      claim,
      measured,
      verdict: 'agrees',
      reason: `${pct(a)} of operations succeeded ${when}${sides ? ` (${sides})` : ''}: ${stars(got)} by the bands in docs/compare.md.`,
    };
  }
  return {
    column: 'availability',
    claim,
    measured,
    verdict: 'disagrees',
    reason: `${pct(a)} of operations succeeded ${when}${sides ? ` (${sides})` : ''}: that is ${stars(got)}, ${got < row.availability ? 'fewer' : 'more'} than claimed${got < row.availability && b.tradeoff.choice !== 'availability' ? ': a side that cannot reach the servers it needs stops' : ''}.`,
  };
}

function scalability(b: Scoreboard, row: ReferenceRow): Cell {
  const claim = stars(row.scalability);
  if (!b.busiest)
    return {
      column: 'scalability',
      claim,
      measured: '–',
      verdict: 'not measured',
      reason: 'No message was delivered.',
    };
  const got = scalabilityStars(b.busiest.share);
  const measured = `busiest: ${b.busiest.node}, ${pct(b.busiest.share)} of deliveries`;
  const why = `${b.busiest.node} received ${pct(b.busiest.share)} of all messages delivered (the bottleneck a larger load would hit first)`;
  return got === row.scalability
    ? { column: 'scalability', claim, measured, verdict: 'agrees', reason: `${why}: ${stars(got)} by the bands.` }
    : {
        column: 'scalability',
        claim,
        measured,
        verdict: 'disagrees',
        reason: `${why}: that is ${stars(got)}, not ${claim}${b.kind === 'partitioned' ? ' — every operation goes through the one coordinator here' : ''}.`,
      };
}

function complexity(b: Scoreboard, row: ReferenceRow): Cell {
  const per = b.ops.ok === 0 ? 0 : b.messages / b.ops.ok;
  return {
    column: 'complexity',
    claim: stars(row.complexity),
    measured: `${per.toFixed(1)} messages per ok op`,
    verdict: 'not measured',
    reason: `A run cannot measure how hard a design is to build; what it costs on the wire is ${per.toFixed(1)} messages (${Math.round(b.bytes / Math.max(1, b.ops.ok))} bytes) per completed operation.`,
  };
}

/** The reference's "2 of 3", corrected with each panel's evidence. */
export function capCorrection(boards: readonly Scoreboard[]): string[] {
  const out = [
    'Partitions are not optional: the network decides when they happen. While one lasts, each system gives up consistency or availability (or some of each); with no partition, the trade is latency against consistency.',
  ];
  for (const b of boards)
    out.push(
      `${b.label}: ${b.tradeoff.sentence} Without the fault: p50 ${b.windows[0]?.p50 ?? '–'} / p99 ${b.windows[0]?.p99 ?? '–'} ticks.`,
    );
  return out;
}
