import {
  fracturedReads,
  kvAnomalies,
  mergeReports,
  registerAnomalies,
  type Anomaly,
  type AnomalyReport,
  type AnomalyType,
} from './anomalies';
import { kvModel } from './kv-model';
import { checkLinearizability, type KeyVerdict, type LinearizabilityResult, type Witness } from './linearizability';
import { parseHistory, readStateLab, type Format, type ParsedHistory } from './formats';
import { checkMultiValue, type MultiValueReport } from './multivalue';
import { registerModel } from './register-model';
import type { Verdict } from './search';
import { checkSequential, type SequentialResult } from './sequential';
import { checkSessions, type SessionReport } from './sessions';
import type { History } from './types';

export interface CheckOptions {
  /** Search steps for the linearizability check, all keys together. */
  readonly maxSteps?: number;
  /** Shrink and explain a witness when not linearizable (default true). */
  readonly witness?: boolean;
  /** Keep checking other keys after one fails (default false). */
  readonly allKeys?: boolean;
  /** Steps for the sequential-consistency search (StateLab only); 0 skips it. */
  readonly sequentialMaxSteps?: number;
}

/** Everything the checker can say about one history, as plain JSON. */
export interface CheckReport {
  readonly format: Format;
  readonly model: 'register' | 'kv';
  readonly ops: number;
  readonly keys: number;
  readonly linearizable: Verdict;
  readonly steps: number;
  readonly perKey: KeyVerdict[];
  readonly linearization?: Record<string, number[]>;
  readonly witness?: Witness;
  readonly anomalies: Anomaly[];
  readonly anomalyCounts: Record<AnomalyType, number>;
  /**
   * Only when some read returned siblings (a multi-value register): their count, and any value
   * shown that no earlier write wrote (the multi-value model; see multivalue.ts).
   */
  readonly multiValue?: MultiValueReport;
  /** StateLab histories only. */
  readonly sessions?: SessionReport;
  readonly sequentialConsistency?: SequentialResult;
  readonly notes: string[];
}

export function checkHistoryText(text: string, opts: CheckOptions = {}): CheckReport {
  return checkParsed(parseHistory(text), opts);
}

export function checkHistory(history: History, opts: CheckOptions = {}): CheckReport {
  return checkParsed(readStateLab(history), opts);
}

export function checkParsed(parsed: ParsedHistory, opts: CheckOptions = {}): CheckReport {
  const notes = [...parsed.notes];
  const linOpts = {
    ...(opts.maxSteps === undefined ? {} : { maxSteps: opts.maxSteps }),
    ...(opts.witness === undefined ? {} : { witness: opts.witness }),
    ...(opts.allKeys === undefined ? {} : { allKeys: opts.allKeys }),
    timeUnit: parsed.timeUnit,
    showKeys: parsed.format !== 'jepsen-etcd',
  };
  const anomalyOpts = { timeUnit: parsed.timeUnit, showKeys: parsed.format !== 'jepsen-etcd' };
  let lin: LinearizabilityResult;
  let anomalies: AnomalyReport;
  if (parsed.unsupported !== undefined) {
    notes.push(`linearizability and anomalies not checked: ${parsed.unsupported}`);
    lin = { linearizable: 'unknown', steps: 0, perKey: [] };
    anomalies = mergeReports();
  } else if (parsed.model === 'kv') {
    lin = checkLinearizability(kvModel(), parsed.ops, linOpts);
    anomalies = kvAnomalies(parsed.ops, anomalyOpts);
  } else {
    lin = checkLinearizability(registerModel(), parsed.ops, linOpts);
    anomalies = registerAnomalies(parsed.ops, anomalyOpts);
    if (parsed.source !== undefined) anomalies = mergeReports(anomalies, fracturedReads(parsed.source, anomalyOpts));
  }
  const statelab = parsed.format === 'statelab' ? parsed.source : undefined;
  const multiValue =
    parsed.model === 'register' ? checkMultiValue(parsed.ops, { timeUnit: parsed.timeUnit }) : undefined;
  if (multiValue !== undefined && multiValue.siblingReads > 0) {
    const n = multiValue.siblingReads;
    notes.push(
      `${n} read${n === 1 ? '' : 's'} returned concurrent siblings (a multi-value register): no linearizable register ` +
        `returns two values, so linearizability fails on ${n === 1 ? 'it' : 'each'}; the anomaly counts and session ` +
        `guarantees, defined on one value, leave ${n === 1 ? 'it' : 'them'} out; the multi-value model checks that every ` +
        `value shown was written before the read returned (${multiValue.thinAir.length === 0 ? 'it was' : `${multiValue.thinAir.length} not`}).`,
    );
  }
  return {
    format: parsed.format,
    model: parsed.model,
    ops: statelab !== undefined ? statelab.ops.length : new Set(parsed.ops.map((o) => o.id)).size,
    keys: new Set(parsed.ops.map((o) => o.key)).size,
    linearizable: lin.linearizable,
    steps: lin.steps,
    ...(lin.witness === undefined ? {} : { witness: lin.witness }),
    ...(lin.linearization === undefined ? {} : { linearization: lin.linearization }),
    perKey: lin.perKey,
    anomalies: anomalies.anomalies,
    anomalyCounts: anomalies.counts,
    ...(multiValue === undefined || multiValue.siblingReads === 0 ? {} : { multiValue }),
    ...(statelab === undefined ? {} : { sessions: checkSessions(statelab, { timeUnit: parsed.timeUnit }) }),
    ...(statelab === undefined || opts.sequentialMaxSteps === 0
      ? {}
      : {
          sequentialConsistency: checkSequential(
            statelab,
            opts.sequentialMaxSteps === undefined ? {} : { maxSteps: opts.sequentialMaxSteps },
          ),
        }),
    notes,
  };
}
