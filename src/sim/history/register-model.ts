import { fnv1a } from './hash';
import {
  ILLEGAL,
  UNKNOWN,
  type Illegal,
  type Model,
  type OpView,
  type StateDependence,
  type Unknown,
  type WriteKind,
} from './model';

/**
 * A register holding one value, or no value at all. Values are compared as canonical JSON
 * strings (see `canonicalJson`); `null` means absent (never written, or deleted).
 * This is Porcupine's etcd model, extended with delete.
 */
export type RegValue = string | null;

export type RegInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: RegValue }
  | { readonly f: 'delete' }
  | { readonly f: 'cas'; readonly from: RegValue; readonly to: RegValue };

export type RegOutput =
  /**
   * `siblings`: a multi-value register's read of several concurrent values at once (two or
   * more; `value` is then the one the store picked to show first). No linearizable register
   * returns two values, so such a read is never legal here; see `siblingsOf`.
   */
  | { readonly f: 'read'; readonly value: RegValue; readonly siblings?: readonly RegValue[] }
  | { readonly f: 'write' }
  /** `existed` absent when the store did not say. */
  | { readonly f: 'delete'; readonly existed?: boolean }
  | { readonly f: 'cas'; readonly swapped: boolean };

export interface RegState {
  readonly value: RegValue;
  readonly hash: number;
}

export type RegOp = OpView<RegInput, RegOutput>;

/**
 * Interning makes equal states the same object, so the search's cache compares states by
 * identity and hashes each value once.
 */
export function registerModel(): Model<RegState, RegInput, RegOutput> {
  const interned = new Map<RegValue, RegState>();
  const state = (value: RegValue): RegState => {
    let s = interned.get(value);
    if (s === undefined) {
      s = { value, hash: value === null ? 0x2545f491 : fnv1a(value) };
      interned.set(value, s);
    }
    return s;
  };

  return {
    name: 'register',
    init: () => state(null),
    step(st: RegState, input: RegInput, output: RegOutput | Unknown): RegState | Illegal {
      switch (input.f) {
        case 'read':
          if (output === UNKNOWN) return st;
          if (output.f === 'read' && output.siblings !== undefined) return ILLEGAL;
          return output.f === 'read' && output.value === st.value ? st : ILLEGAL;
        case 'write':
          return state(input.value);
        case 'delete':
          if (output !== UNKNOWN && output.f === 'delete' && output.existed !== undefined) {
            if (output.existed !== (st.value !== null)) return ILLEGAL;
          }
          return state(null);
        case 'cas': {
          const matches = st.value === input.from;
          if (output !== UNKNOWN && output.f === 'cas' && output.swapped !== matches) return ILLEGAL;
          return matches ? state(input.to) : st;
        }
      }
    },
    equal: (a, b) => a === b || a.value === b.value,
    hash: (s) => s.hash,
    writeKind: regWriteKind,
    stateDependence(op: RegOp): StateDependence {
      const { input, output } = op;
      switch (input.f) {
        case 'read':
          return output === UNKNOWN ? 'none' : 'legality';
        case 'write':
          return 'none';
        case 'delete':
          return output !== UNKNOWN && output.f === 'delete' && output.existed !== undefined ? 'legality' : 'none';
        case 'cas':
          return output === UNKNOWN ? 'effect' : 'legality';
      }
    },
    couldFeed(writer: RegOp | null, reader: RegOp): boolean {
      const written = writer === null ? null : writtenValue(writer);
      if (written === undefined) return true;
      const { input, output } = reader;
      // A cas of unknown outcome matters only where it took effect, so it saw `from`.
      if (input.f === 'cas' && output === UNKNOWN) return written === input.from;
      if (output === UNKNOWN) return true;
      switch (input.f) {
        case 'read':
          // No single write leaves several values: nothing explains a read of siblings.
          return output.f === 'read' && output.siblings === undefined && output.value === written;
        case 'write':
          return true;
        case 'delete':
          return output.f !== 'delete' || output.existed === undefined || output.existed === (written !== null);
        case 'cas':
          return output.f !== 'cas' || output.swapped === (written === input.from);
      }
    },
    describeOp: describeRegOp,
    describeWritten: (writer) => showValue(writer === null ? null : (writtenValue(writer) ?? null)),
    describeNeeded(reader: RegOp): string {
      const { input, output } = reader;
      // A cas of unknown outcome, as a write someone saw, must have found `from`.
      if (input.f === 'cas' && output === UNKNOWN) return showValue(input.from);
      if (output === UNKNOWN) return 'anything';
      if (input.f === 'read' && output.f === 'read' && output.siblings !== undefined) {
        return 'one value (a linearizable register holds one at a time; these are concurrent writes kept side by side)';
      }
      if (input.f === 'read' && output.f === 'read') return showValue(output.value);
      if (input.f === 'cas' && output.f === 'cas') {
        return output.swapped ? showValue(input.from) : `a value other than ${showValue(input.from)}`;
      }
      if (input.f === 'delete' && output.f === 'delete' && output.existed !== undefined) {
        return output.existed ? 'some value' : 'no value';
      }
      return 'anything';
    },
  };
}

export function regWriteKind(op: RegOp): WriteKind {
  const { input, output } = op;
  switch (input.f) {
    case 'read':
      return 'none';
    case 'write':
    case 'delete':
      return 'definite';
    case 'cas':
      if (output === UNKNOWN || output.f !== 'cas') return 'maybe';
      return output.swapped ? 'definite' : 'none';
  }
}

/** The value a writing operation leaves, or undefined if it writes nothing. */
export function writtenValue(op: RegOp): RegValue | undefined {
  switch (op.input.f) {
    case 'write':
      return op.input.value;
    case 'delete':
      return null;
    case 'cas':
      return regWriteKind(op) === 'none' ? undefined : op.input.to;
    case 'read':
      return undefined;
  }
}

/**
 * The value a read returned; undefined for other operations, unknown reads and reads of
 * siblings (several values: the single-value anomaly checks leave them out, see sibling reads
 * in README.md).
 */
export function readValue(op: RegOp): RegValue | undefined {
  if (op.input.f !== 'read' || op.output === UNKNOWN || op.output.f !== 'read') return undefined;
  if (op.output.siblings !== undefined) return undefined;
  return op.output.value;
}

/** The concurrent values a multi-value read returned; undefined for any other op. */
export function siblingsOf(op: RegOp): readonly RegValue[] | undefined {
  if (op.input.f !== 'read' || op.output === UNKNOWN || op.output.f !== 'read') return undefined;
  return op.output.siblings;
}

export function showValue(v: RegValue): string {
  return v === null ? 'no value' : v;
}

function describeRegOp(op: RegOp): string {
  const { input, output } = op;
  switch (input.f) {
    case 'read':
      if (output === UNKNOWN || output.f !== 'read') return 'read with an unknown result';
      if (output.siblings !== undefined) {
        return `read ${output.siblings.length} values at once (siblings ${output.siblings.map(showValue).join(' | ')})`;
      }
      return output.value === null ? 'read no value' : `read ${output.value}`;
    case 'write':
      return input.value === null ? 'wrote no value' : `wrote ${input.value}`;
    case 'delete':
      if (output === UNKNOWN) return 'deleted (outcome unknown)';
      if (output.f === 'delete' && output.existed !== undefined) {
        return output.existed ? 'deleted an existing value' : 'deleted (there was no value)';
      }
      return 'deleted';
    case 'cas': {
      const what = `compare-and-set ${showValue(input.from)} → ${showValue(input.to)}`;
      if (output === UNKNOWN || output.f !== 'cas') return `did a ${what} with unknown outcome`;
      return output.swapped ? `did a ${what} that swapped` : `did a ${what} that did not swap`;
    }
  }
}
