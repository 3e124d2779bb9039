import type { Scenario } from '../scenario/schema';

/**
 * A challenge: a starting scenario, what the student may change (the budget, or the knobs), and
 * the property the attempt is graded on. The types here are zod-free (the validator is
 * schema.ts), so the grader can load on any page.
 *
 * `violation` names what a run can exhibit. A `break` challenge passes when the attempt makes
 * it happen; `keep` when it does not happen and availability stays above the bar; `unbreakable`
 * when the student spent at least one fault and it still did not happen (the lesson: what the
 * system gave up instead).
 */
export type ChallengeKind = 'break' | 'keep' | 'unbreakable';

export const ANOMALY_TYPES = ['stale-read', 'lost-write', 'lost-update', 'fractured-read'] as const;
export const GUARANTEES = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'] as const;

export type Violation =
  /** The checker finds an anomaly of this type (with the ops that prove it). */
  | { readonly kind: 'anomaly'; readonly type: (typeof ANOMALY_TYPES)[number] }
  /** The history is not linearizable (a minimal witness, in words). */
  | { readonly kind: 'not-linearizable' }
  /** A session guarantee is violated for some agent. */
  | { readonly kind: 'session'; readonly guarantee: (typeof GUARANTEES)[number] }
  /**
   * The reference gossip's flaws, as its replicas record them: `tie`, a fixed point (equal
   * counters, different values: no merge can change it); `dropped`, an acknowledged write
   * silently discarded by a higher counter.
   */
  | { readonly kind: 'gossip-flaw'; readonly flaw: 'tie' | 'dropped' }
  /**
   * An acknowledged write that a merge discarded in favour of a concurrent one (last writer
   * wins, or the reference's counters), not one a causally later write replaced.
   */
  | { readonly kind: 'discarded-write' }
  /** Two-phase commit blocked: a participant prepared and up, with no decision for `ticks`. */
  | { readonly kind: '2pc-blocked'; readonly ticks: number };

/** Fault actions that start a fault (counted) and those that end one (free). */
export const FAULT_STARTS = ['cut-link', 'partition', 'crash'] as const;
export const FAULT_ENDS = ['heal-link', 'heal-all', 'recover'] as const;

export interface Budget {
  /**
   * Faults the attempt may add (a cut link, a partition, a crash); heals and recoveries are
   * free, and a link cut both ways at one tick is one fault.
   */
  readonly faults: number;
  /** Which fault kinds it may use. */
  readonly kinds: readonly (typeof FAULT_STARTS)[number][];
  /** Operations of its own (`op` actions) it may add. */
  readonly ops: number;
  /** Added actions must be stamped at or before this tick. */
  readonly until: number;
  /** Whether a crash may lose its disk (`disk: 'lost'`); absent: it may not. */
  readonly diskLoss?: boolean;
}

/** Parts of the scenario a keep-it challenge lets the student set. */
export type Knob = `architecture.${string}` | 'durability' | 'fallbacks';

export interface Availability {
  /** The share of operations invoked in [from, to] that completed ok, per group, at least. */
  readonly atLeast: number;
  readonly from: number;
  readonly to: number;
  /** Agent groups, each judged apart; absent: every agent as one group. */
  readonly groups?: readonly { readonly name: string; readonly agents: readonly string[] }[];
}

export interface Par {
  /** Pass within par: at most this many faults. */
  readonly faults?: number;
  /** ...and the violation first seen at or before this tick. */
  readonly tick?: number;
}

export interface Challenge {
  readonly id: string;
  /** Bumped when the challenge changes what it grades: receipts of an older version fail. */
  readonly version: number;
  readonly title: string;
  readonly kind: ChallengeKind;
  /** Ladder order: easiest first. */
  readonly level: number;
  readonly brief: string;
  readonly goal: string;
  readonly violation: Violation;
  readonly budget: Budget;
  readonly knobs: readonly Knob[];
  readonly availability?: Availability;
  readonly par?: Par;
  /** Opened one by one after failed attempts. */
  readonly hints: readonly string[];
  /** Shown after several failed attempts. */
  readonly solution: string;
}

/** A challenge file: the challenge and its starting scenario. */
export interface ChallengeFile {
  readonly format: 1;
  readonly challenge: Challenge;
  readonly scenario: Scenario;
}
