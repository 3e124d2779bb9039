import { formatInterval } from './explain';
import type { TimeUnit } from './formats';
import type { HistOp } from './model';
import {
  readValue,
  showValue,
  siblingsOf,
  writtenValue,
  type RegInput,
  type RegOutput,
  type RegValue,
} from './register-model';

type RegOp = HistOp<RegInput, RegOutput>;

/**
 * The multi-value register's own model, for the reads that return siblings: a read returns
 * the values of the latest concurrent writes it has seen, so each value it shows (sibling or
 * single) was written to that key by some write invoked before the read returned. Which
 * writes a replica has seen is not in the history, so this is the part of the model a history
 * can check: no value from thin air. (Linearizability judges the same reads too, and fails
 * them: a linearizable register holds one value; see README.md, "Sibling reads".)
 */
export interface MultiValueReport {
  /** Reads that returned two or more concurrent values. */
  readonly siblingReads: number;
  /** Values a read showed that no write of that key, invoked before it returned, wrote. */
  readonly thinAir: readonly { opId: number; agent: string; key: string; value: string; interval: string }[];
}

export function checkMultiValue(ops: readonly RegOp[], opts: { timeUnit?: TimeUnit } = {}): MultiValueReport {
  const writesByKey = new Map<string, RegOp[]>();
  for (const op of ops) {
    if (writtenValue(op) === undefined) continue;
    const list = writesByKey.get(op.key);
    if (list === undefined) writesByKey.set(op.key, [op]);
    else list.push(op);
  }
  let siblingReads = 0;
  const thinAir: MultiValueReport['thinAir'][number][] = [];
  for (const op of ops) {
    const siblings = siblingsOf(op);
    const single = readValue(op);
    if (siblings !== undefined) siblingReads++;
    const shown: readonly RegValue[] = siblings ?? (single === undefined ? [] : [single]);
    for (const v of shown) {
      if (v === null) continue;
      const written = (writesByKey.get(op.key) ?? []).some((w) => w.call <= op.ret && writtenValue(w) === v);
      if (!written) {
        thinAir.push({
          opId: op.id,
          agent: op.agent,
          key: op.key,
          value: showValue(v),
          interval: formatInterval(op.call, op.ret, opts.timeUnit ?? 'tick'),
        });
      }
    }
  }
  return { siblingReads, thinAir };
}
