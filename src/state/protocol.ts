import type { Scenario } from '../sim/scenario/schema';
import type { TimelineExport } from '../sim/timeline/timeline';
import type { Trace } from '../sim/trace/trace';
import type { Comparison } from '../sim/compare/constants';
import type { PanelResult } from '../sim/compare/compare';
import type { ChallengeFile } from '../sim/challenge/types';
import type { GradedAttempt } from '../sim/challenge/grade';

/**
 * Messages between the store and the simulation worker. The worker runs the same engine
 * on the same scenario, so anything it computes (a world far ahead, a hash, the ticks of
 * every failure) is what the main thread would have computed, without blocking it.
 */

export type ToWorker =
  /** The scenario every later request with this revision refers to. */
  | { type: 'scenario'; rev: number; scenario: Scenario; budget: number }
  /** The events the scenario's replay may process (workDone) before it stops: raised by "Continue". */
  | { type: 'budget'; rev: number; budget: number }
  | { type: 'hash'; id: number; rev: number; tick: number }
  /** `after`: how far the page's timeline is computed; the answer carries what lies beyond. */
  | { type: 'seek'; id: number; rev: number; tick: number; after: number }
  | { type: 'cancel'; id: number }
  /** A space-time trace of ticks from..to (causal pasts within it); only the newest is answered. */
  | { type: 'trace'; id: number; rev: number; from: number; to: number; maxEvents: number }
  /** Runs every panel of a comparison to its end and scores it (cancel with `cancel`). */
  | { type: 'compare'; id: number; comparison: Comparison }
  /** A challenge attempt, graded from scratch (the grade worker, gradeJobs.ts). */
  | {
      type: 'grade';
      id: number;
      file: ChallengeFile;
      scenario: Scenario;
      version: number | null;
      recorded: { hash: string; engine: string } | null;
    };

/** The summary's markers beyond failures (see `summary`), all ascending ticks. */
export interface SummaryMarks {
  backups: number[];
  losses: number[];
  restores: number[];
  suspicions: number[];
  falseSuspicions: number[];
}

export type FromWorker =
  | { type: 'hash'; id: number; rev: number; tick: number; hash: string }
  | { type: 'graded'; id: number; grade: GradedAttempt }
  | { type: 'progress'; id: number; done: number; total: number }
  /** The worker timeline's work beyond the page's (`exportAfter`), for the page to `adopt`. */
  | { type: 'seek-done'; id: number; rev: number; tick: number; timeline: TimelineExport }
  | { type: 'seek-cancelled'; id: number }
  /**
   * A seek that reached the replay budget before its target: the world where it stopped
   * (`tick`, after `work` events), to adopt like a finished seek and say so.
   */
  | {
      type: 'seek-stopped';
      id: number;
      rev: number;
      tick: number;
      target: number;
      work: number;
      budget: number;
      timeline: TimelineExport;
    }
  /**
   * The run's markers, final up to `upTo`: ticks at which operations failed or timed out;
   * backups taken, crashes that lost data, restores (empty without durability); each
   * watcher's first suspicion of a crashed target and of a live one (empty without health).
   */
  | ({ type: 'summary'; rev: number; failures: number[]; upTo: number; complete: boolean } & SummaryMarks)
  | { type: 'trace'; id: number; rev: number; trace: Trace }
  /** A comparison's progress in ticks over all panels, and each panel's result as it is scored. */
  | { type: 'compare-progress'; id: number; done: number; total: number; panel: string }
  | { type: 'compare-panel'; id: number; index: number; result: PanelResult }
  | { type: 'compare-done'; id: number }
  | { type: 'compare-cancelled'; id: number }
  | { type: 'error'; id: number | null; message: string };

/** Ticks between checkpoints, the same on both sides so adopted checkpoints fall in step. */
export const CHECKPOINT_EVERY = 100;
/** Checkpoints a far seek's answer carries, the last ones before its target (see `trimExport`). */
export const SEEK_CHECKPOINTS = 4;
