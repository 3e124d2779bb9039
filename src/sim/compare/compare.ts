import type { OpRecord } from '../history/types';
import type { Scenario } from '../scenario/schema';
import type { Comparison } from './constants';
import { referenceVerdicts, type Cell } from './reference';
import { PanelRunner } from './run';
import { scoreboard, type Scoreboard, type ScoreOptions } from './scoreboard';

/**
 * A whole comparison, run panel after panel: headless (`runComparison`, the CLI, the tests,
 * the bench) or in slices with progress (`ComparisonJob`, the worker). Every panel's result
 * is plain JSON: its scoreboard, the reference table's verdicts on it, and its history in
 * the form `sim check` reads.
 */

export interface PanelResult {
  board: Scoreboard;
  verdicts: Cell[];
  /** `{scenario, ops}`: `npm run sim -- check` reads it as a StateLab history. */
  history: PanelHistory;
  /** The world hash at the panel's end (PanelRun.hash): what a comparison link's `results` record. */
  hash: string;
}

export interface PanelHistory {
  comparison: string;
  panel: string;
  scenario: Scenario;
  ops: OpRecord[];
}

export interface ComparisonResult {
  name: string;
  panels: PanelResult[];
}

export class ComparisonJob {
  private index = 0;
  private runner: PanelRunner | null = null;
  private readonly done: PanelResult[] = [];

  constructor(
    readonly comparison: Comparison,
    private readonly opts: ScoreOptions = {},
  ) {}

  /** Ticks of work in the whole comparison, and how many are done. */
  get total(): number {
    return this.comparison.duration * this.comparison.panels.length;
  }

  get progress(): number {
    return this.index * this.comparison.duration + (this.runner?.tick ?? 0);
  }

  get finished(): boolean {
    return this.index >= this.comparison.panels.length;
  }

  /** Runs up to `ticks` ticks of the current panel (scoring it when it ends); true when all are done. */
  step(ticks: number): boolean {
    if (this.finished) return true;
    const panel = this.comparison.panels[this.index]!;
    this.runner ??= new PanelRunner(this.comparison, panel);
    if (this.runner.step(ticks)) {
      const run = this.runner.result();
      const board = scoreboard(this.comparison, run, this.opts);
      this.done.push({
        board,
        verdicts: referenceVerdicts(board),
        history: { comparison: this.comparison.name, panel: panel.id, scenario: run.scenario, ops: run.world.history },
        hash: run.hash,
      });
      this.runner = null;
      this.index++;
    }
    return this.finished;
  }

  result(): ComparisonResult {
    return { name: this.comparison.name, panels: this.done };
  }
}

export function runComparison(c: Comparison, opts: ScoreOptions = {}): ComparisonResult {
  const job = new ComparisonJob(c, opts);
  while (!job.step(1_000_000));
  return job.result();
}

/** A panel's history as the file `sim check` reads. */
export function historyJson(h: PanelHistory): string {
  return JSON.stringify(h, null, 1) + '\n';
}
