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
