/**
 * The shapes every checker in this folder shares: one operation of one key's history, and
 * a sequential specification (Porcupine's `Model`) to test it against.
 */

/** The output of an operation whose outcome is unknown (`info`, never completed, timed out). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/** What `Model.step` returns when the recorded output is impossible in that state. */
export const ILLEGAL: unique symbol = Symbol('illegal');
export type Illegal = typeof ILLEGAL;

/**
 * One operation on one key. `call`/`ret` are ticks (StateLab) or log line numbers (Jepsen,
 * Porcupine logs). `ret` is +Infinity when the operation may take effect at any time after
 * its call, or never (Jepsen's `info`, or no completion recorded).
 *
 * Real-time order: A precedes B exactly when `A.ret < B.call`. Intervals that touch
 * (`A.ret === B.call`) are concurrent. Porcupine gets the same rule by sorting calls before
 * returns at equal times; with integer ticks a reply processed at tick t and another agent's
 * invocation at tick t have no recorded order between them, and calling them concurrent can
 * only hide a violation, never invent one.
 */
export interface HistOp<I, O> {
  /** The source operation's id (several HistOps of different keys may share it). */
  readonly id: number;
  readonly agent: string;
  readonly key: string;
  readonly call: number;
  readonly ret: number;
  readonly input: I;
  readonly output: O | Unknown;
}

/**
 * How an operation changes the state: 'definite' always replaces it (a write, a cas that
 * swapped); 'maybe' may or may not (a cas with unknown outcome); 'none' never.
 */
export type WriteKind = 'none' | 'maybe' | 'definite';

export type StateDependence = 'none' | 'legality' | 'effect';

/** The part of an operation a model looks at. */
export interface OpView<I, O> {
  readonly input: I;
  readonly output: O | Unknown;
}

export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /** The next state, or ILLEGAL if `output` cannot be the result in `state`. */
  step(state: S, input: I, output: O | Unknown): S | Illegal;
  equal(a: S, b: S): boolean;
  /** 32-bit; equal states must hash equal. */
  hash(state: S): number;

  /**
   * Optional pruning for the search. `resets(op)`: the op can leave a state that does not
   * depend on the one before it (a put). `reachable(state, observer, resetsLeft)`: false
   * only if no sequence of further ops, with no reset among them when `resetsLeft` is
   * false, can bring `state` to one where the observer's recorded result is legal.
   */
  resets?(op: OpView<I, O>): boolean;
  reachable?(state: S, observer: OpView<I, O>, resetsLeft: boolean): boolean;

  // The rest serves witnesses and explanations, not the search.

  writeKind(op: OpView<I, O>): WriteKind;
  /**
   * How the state before the operation matters: 'legality' when its recorded result may be
   * impossible in some states (a read, a cas with a known outcome), 'effect' when only what
   * it leaves behind depends on it (an append, a cas with unknown outcome), else 'none'.
   */
  stateDependence(op: OpView<I, O>): StateDependence;
  /**
   * Could `writer` (null: the initial state) have been the last operation to change the
   * state before `reader`, given both recorded outputs? For a reader whose state dependence
   * is 'effect', assume the reader did change the state (see witness.ts). Answering true is
   * always safe.
   */
  couldFeed(writer: OpView<I, O> | null, reader: OpView<I, O>): boolean;
  /**
   * Optional: a sharper `couldFeed`, knowing the whole history of the key (kv: an append
   * can only have followed a write whose value some get shows right before the append's).
   */
  refineFeeds?(ops: readonly OpView<I, O>[]): (writer: OpView<I, O> | null, reader: OpView<I, O>) => boolean;
  /** A verb phrase, e.g. "wrote 3", "read 3", "did a compare-and-set 1 → 2 that swapped". */
  describeOp(op: OpView<I, O>): string;
  /** What the state looks like after `writer` (null: initially), e.g. "3", "no value". */
  describeWritten(writer: OpView<I, O> | null): string;
  /**
   * What `reader` needed the state to be, e.g. "3", "a value other than 1"; for an 'effect'
   * op, what it needed to have the effect someone saw (as in `couldFeed`).
   */
  describeNeeded(reader: OpView<I, O>): string;
}
