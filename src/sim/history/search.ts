import { Bitset, mix32 } from './hash';
import { ILLEGAL, type HistOp, type Model } from './model';

export type Verdict = true | false | 'unknown';

export interface SearchResult {
  readonly verdict: Verdict;
  readonly steps: number;
  /** Indexes into the searched ops, in linearization order (when linearizable). */
  readonly order?: readonly number[];
  /**
   * When not linearizable: the latest return time the search ever had to get past. No
   * valid order covers every op that returned by then, so the ops invoked by then are
   * already not linearizable (see shrinkWitness).
   */
  readonly stuckAt?: number;
}

/**
 * Wing & Gong's search with Lowe's memoisation, as Porcupine's `checkSingle` does it, on one
 * partition (one key). Call and return events sit in a doubly linked list ordered by time;
 * linearizing an operation lifts its call and return out of the list, backtracking puts them
 * back; a configuration (set of linearized ops, model state) seen before is not explored
 * again. One step = one call of `Model.step`. The search succeeds once every completed op
 * is linearized: pending ops left over are ones that never took effect.
 *
 * Three additions, all about operations that never returned (ret = +Infinity, "pending"),
 * which Jepsen histories are full of and which otherwise multiply the configurations:
 *
 * 1. Subsumption. A pending op can be linearized at any later point or never, so a
 *    configuration that has linearized a subset of the pending ops another one has, with
 *    the same completed ops and the same state, can do everything the other can. The cache
 *    keys on (completed ops, state) and skips a configuration when a cached one with the
 *    same key used a subset of its pending ops.
 * 2. Twins. Pending ops with equal inputs are interchangeable, except that an earlier call
 *    can stand wherever a later one can; so the k-th twin is only tried once the first k-1
 *    (by call time) are linearized.
 * 3. Order. Which calls are candidates depends only on the first return left in the list;
 *    within a run of calls between two returns, completed ops are tried before pending ones.
 *    Same candidates, but the search tries "the pending op has not happened yet" first.
 *
 * And one about observers, operations that never change the state (a read, a cas that did
 * not swap), which is what most of a kv history is:
 *
 * 4. Forcing. If a completed observer is a candidate and legal in the current state, any completion
 *    that places it later also works with it placed now (its real-time predecessors are all
 *    placed, or it would not be a candidate, and it changes nothing). So it is linearized at
 *    once with no alternatives: if that fails, the configuration fails. Each configuration
 *    gets one such pass when first reached; afterwards no candidate observer is legal in it,
 *    so the ordinary scan skips observers altogether. The same pass asks the model whether
 *    each illegal candidate observer can still become legal (for kv: without a put left,
 *    the string only grows, so it must be a prefix of what the get returned); if not, the
 *    configuration fails.
 *
 * The list lives in typed arrays (node 0 is the head) rather than objects: the same
 * algorithm, fewer allocations. The search can be run in slices (`run(steps)`), so several
 * keys can share one step budget fairly.
 */
export class PartitionSearch<S, I, O> {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly match: Int32Array;
  private readonly opOf: Int32Array;
  /** Bit index of each op in `done` (completed ops) or `pend` (pending ops). */
  private readonly slot: Int32Array;
  private readonly pending: Uint8Array;
  /** For a pending op, the previous pending op with an equal input; -1 if none. */
  private readonly prevTwin: Int32Array;
  private readonly done: Bitset;
  private readonly pend: Bitset;
  /**
   * The memo. Entry e (a completed-op set plus a state) keeps its bits at
   * `arena[e * words ...]`, its state in `states[e]`, and the pending-op sets it was reached
   * with (an antichain) in `pends[e]`. `cache` maps a hash to the first entry with it,
   * `chain` to the next. Flat arrays: allocating a typed array per configuration made the
   * garbage collector the main cost.
   */
  private readonly cache = new Map<number, number>();
  private chain = new Int32Array(1024);
  private arena: Uint32Array;
  private readonly words: number;
  private readonly states: S[] = [];
  /** undefined: reached with no pending op linearized, which subsumes every other set. */
  private readonly pends: (Uint32Array[] | undefined)[] = [];
  private entries = 0;
  /** Zobrist hash of `done`: xor of a fixed random word per completed op in it. */
  private doneHash = 0;
  private readonly stackNode: Int32Array;
  private readonly stackState: S[];
  /** 1 where the stack entry was a forced observer (see addition 4). */
  private readonly stackForced: Uint8Array;
  /** Ops that never change the state (reads, a cas that did not swap). */
  private readonly observer: Uint8Array;
  /** Whether the current configuration still needs its observer pass. */
  private fresh = true;
  /**
   * Ops that can reset the state (Model.resets), by call time: `resetRank[i]` is op i's
   * place among them (-1 if not one), `resetCalls` their calls in order, and `resetPlaced` a
   * Fenwick tree counting the linearized ones, to ask "is any reset that could still come
   * before time t not linearized yet?" in O(log n).
   */
  private readonly resetRank: Int32Array;
  private readonly resetCalls: number[] = [];
  private readonly resetPlaced: Int32Array;
  private top = 0;
  private doneCount = 0;
  private readonly nDone: number;
  private readonly hasPending: boolean;
  private state: S;
  private entry: number;
  private finished: SearchResult | null = null;
  private stuckAt = -Infinity;
  steps = 0;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly HistOp<I, O>[],
    inputKey: (input: I) => string = (i) => JSON.stringify(i),
  ) {
    const n = ops.length;
    const size = 2 * n + 1;
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.match = new Int32Array(size);
    this.opOf = new Int32Array(size);
    this.slot = new Int32Array(n);
    this.pending = new Uint8Array(n);
    this.prevTwin = new Int32Array(n).fill(-1);
    this.stackNode = new Int32Array(n);
    this.stackState = new Array<S>(n);
    this.stackForced = new Uint8Array(n);
    this.observer = new Uint8Array(n);
    this.resetRank = new Int32Array(n).fill(-1);
    this.state = model.init();

    let nDone = 0;
    let nPend = 0;
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      if (op === undefined) continue;
      const p = op.ret === Infinity;
      this.pending[i] = p ? 1 : 0;
      this.observer[i] = model.writeKind(op) === 'none' && model.stateDependence(op) !== 'effect' ? 1 : 0;

      this.slot[i] = p ? nPend++ : nDone++;
    }
    this.nDone = nDone;
    this.hasPending = nPend > 0;
    this.done = new Bitset(nDone);
    this.pend = new Bitset(nPend);
    const resetOps = [...ops.keys()]
      .filter((i) => ops[i] !== undefined && model.resets?.(ops[i]) === true)
      .sort((a, b) => (ops[a]?.call ?? 0) - (ops[b]?.call ?? 0) || a - b);
    resetOps.forEach((i, r) => {
      this.resetRank[i] = r;
      this.resetCalls.push(ops[i]?.call ?? 0);
    });
    this.resetPlaced = new Int32Array(resetOps.length + 1);
    this.words = this.done.words.length;
    this.arena = new Uint32Array(1024 * this.words);

    const callOf = (i: number): number => ops[i]?.call ?? 0;
    const lastTwin = new Map<string, number>();
    const pendingByCall = [...Array(n).keys()]
      .filter((i) => this.pending[i] === 1)
      .sort((a, b) => callOf(a) - callOf(b) || a - b);
    for (const i of pendingByCall) {
      const op = ops[i];
      if (op === undefined) continue;
      const k = inputKey(op.input);
      this.prevTwin[i] = lastTwin.get(k) ?? -1;
      lastTwin.set(k, i);
    }

    // Entry e stands for op e >> 1: its call when e is even, its return when odd. At equal
    // times calls sort before returns (touching intervals are concurrent, see HistOp).
    const times = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      times[2 * i] = ops[i]?.call ?? 0;
      times[2 * i + 1] = ops[i]?.ret ?? 0;
    }
    const entries = Array.from({ length: 2 * n }, (_, i) => i).sort((a, b) => {
      const ta = times[a] ?? 0;
      const tb = times[b] ?? 0;
      if (ta !== tb) return ta < tb ? -1 : 1;
      if ((a & 1) !== (b & 1)) return (a & 1) - (b & 1);
      return a - b;
    });
    // Addition 3: within each run of calls, completed ops first (stable otherwise).
    for (let i = 0; i < entries.length;) {
      let j = i;
      while (j < entries.length && ((entries[j] ?? 0) & 1) === 0) j++;
      if (j > i) {
        const run = entries.slice(i, j);
        const sorted = [
          ...run.filter((e) => this.pending[e >> 1] === 0),
          ...run.filter((e) => this.pending[e >> 1] === 1),
        ];
        for (let k = 0; k < sorted.length; k++) entries[i + k] = sorted[k] ?? 0;
      }
      i = j + 1;
    }

    const nodeOf = new Int32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) {
      const e = entries[i] ?? 0;
      const node = i + 1;
      nodeOf[e] = node;
      this.opOf[node] = e >> 1;
      this.prev[node] = node - 1;
      this.next[node] = node + 1 < size ? node + 1 : -1;
    }
    this.next[0] = n === 0 ? -1 : 1;
    this.prev[0] = -1;
    this.opOf[0] = -1;
    this.match[0] = -1;
    for (let op = 0; op < n; op++) {
      this.match[nodeOf[2 * op] ?? 0] = nodeOf[2 * op + 1] ?? 0;
      this.match[nodeOf[2 * op + 1] ?? 0] = -1;
    }
    this.entry = this.next[0] ?? -1;
  }

  /** Runs at most `budget` more steps; null while undecided. */
  run(budget: number): SearchResult | null {
    if (this.finished !== null) return this.finished;
    const { next, match, opOf, ops, model } = this;
    const limit = this.steps + budget;
    let entry = this.entry;
    // Done once every completed op is linearized: the pending ones left may never happen.
    while (this.doneCount < this.nDone) {
      if (this.steps >= limit) {
        this.entry = entry;
        return null;
      }
      if (this.fresh) {
        this.fresh = false;
        if (this.forceObservers()) {
          entry = next[0] ?? -1;
          continue;
        }
        // The configuration fails: undo the move that made it.
        const back = this.backtrack();
        if (back === null) return this.finish({ verdict: false, steps: this.steps, stuckAt: this.stuckAt });
        entry = back;
        continue;
      }
      const ret = match[entry] ?? -1;
      if (ret === -1) {
        // A return whose call is still in the list: that op cannot be put off any longer,
        // so undo the most recent choice and try the candidate after it.
        const back = this.backtrack();
        if (back === null) return this.finish({ verdict: false, steps: this.steps, stuckAt: this.stuckAt });
        entry = back;
        continue;
      }
      const i = opOf[entry] ?? 0;
      if (this.observer[i] === 1) {
        entry = next[entry] ?? -1;
        continue;
      }
      const twin = this.prevTwin[i] ?? -1;
      if (twin !== -1 && !this.pend.has(this.slot[twin] ?? 0)) {
        entry = next[entry] ?? -1;
        continue;
      }
      this.steps++;
      const op = ops[i];
      if (op === undefined) throw new Error('unreachable: node without op');
      const newState = model.step(this.state, op.input, op.output);
      if (newState !== ILLEGAL && this.remember(i, newState)) {
        this.push(entry, newState, false);
        entry = next[0] ?? -1;
      } else {
        entry = next[entry] ?? -1;
      }
    }
    const order: number[] = [];
    for (let i = 0; i < this.top; i++) order.push(opOf[this.stackNode[i] ?? 0] ?? 0);
    // The pending ops left go last, where their unknown outcome lets them change nothing
    // anyone observed.
    const placed = new Set(order);
    for (const i of [...ops.keys()].sort((a, b) => (ops[a]?.call ?? 0) - (ops[b]?.call ?? 0) || a - b)) {
      if (!placed.has(i)) order.push(i);
    }
    return this.finish({ verdict: true, steps: this.steps, order });
  }

  /**
   * Addition 4 on the current configuration: linearizes legal candidate observers, one
   * after another. False when one leads to a configuration already known to fail, or when
   * the model says an observer can never become legal (Model.reachable).
   */
  private forceObservers(): boolean {
    const { next, match, opOf, ops, model } = this;
    const reachable = model.reachable;
    let first = next[0] ?? -1;
    while (first !== -1 && (match[first] ?? -1) !== -1) first = next[first] ?? -1;
    if (first !== -1) this.stuckAt = Math.max(this.stuckAt, ops[opOf[first] ?? 0]?.ret ?? -Infinity);
    let e = next[0] ?? -1;
    while (e !== -1 && (match[e] ?? -1) !== -1) {
      const i = opOf[e] ?? 0;
      const op = ops[i];
      // A pending observer (a read that never returned) is never forced: its unknown output
      // fits every state and it changes none, so placing it proves nothing, and the
      // configuration it leads to (same completed ops, same state, one more pending op) is
      // subsumed by the current one, which `remember` would take for a failure.
      if (this.observer[i] === 1 && this.pending[i] === 0 && op !== undefined) {
        this.steps++;
        const newState = model.step(this.state, op.input, op.output);
        if (newState !== ILLEGAL) {
          if (!this.remember(i, newState)) return false;
          this.push(e, newState, true);
          e = next[0] ?? -1;
          continue;
        }
        if (reachable !== undefined && !reachable.call(model, this.state, op, this.resetPending(op.ret))) return false;
      }
      e = next[e] ?? -1;
    }
    return true;
  }

  /** Whether some reset op that may come before time t is not linearized yet. */
  private resetPending(t: number): boolean {
    // m = number of resets with call <= t
    let lo = 0;
    let hi = this.resetCalls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.resetCalls[mid] ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    let placed = 0;
    for (let k = lo; k > 0; k -= k & -k) placed += this.resetPlaced[k] ?? 0;
    return placed < lo;
  }

  private push(entry: number, newState: S, forced: boolean): void {
    this.stackNode[this.top] = entry;
    this.stackState[this.top] = this.state;
    this.stackForced[this.top] = forced ? 1 : 0;
    this.top++;
    this.state = newState;
    this.lift(entry);
    this.fresh = !forced;
  }

  /**
   * Undoes moves until one that had alternatives; returns the entry to try next, or null
   * when the stack is empty (nothing left to try).
   */
  private backtrack(): number | null {
    for (;;) {
      if (this.top === 0) return null;
      this.top--;
      const entry = this.stackNode[this.top] ?? 0;
      const restored = this.stackState[this.top];
      if (restored === undefined) throw new Error('unreachable: empty stack slot');
      this.state = restored;
      this.setBit(this.opOf[entry] ?? 0, false);
      this.unlift(entry);
      if (this.stackForced[this.top] === 0) return this.next[entry] ?? -1;
    }
  }

  private finish(r: SearchResult): SearchResult {
    this.finished = r;
    this.cache.clear();
    this.states.length = 0;
    this.pends.length = 0;
    this.arena = new Uint32Array(0);
    this.chain = new Int32Array(0);
    return r;
  }

  private setBit(i: number, on: boolean): void {
    const isPending = this.pending[i] === 1;
    const set = isPending ? this.pend : this.done;
    const s = this.slot[i] ?? 0;
    if (on) set.set(s);
    else set.clear(s);
    const rank = this.resetRank[i] ?? -1;
    if (rank !== -1) {
      for (let k = rank + 1; k < this.resetPlaced.length; k += k & -k)
        this.resetPlaced[k] = (this.resetPlaced[k] ?? 0) + (on ? 1 : -1);
    }
    if (!isPending) {
      this.doneCount += on ? 1 : -1;
      this.doneHash ^= mix32(s + 0x51ed27);
    }
  }

  /** Marks op i linearized if the resulting configuration is new; otherwise leaves it. */
  private remember(i: number, newState: S): boolean {
    this.setBit(i, true);
    const { model, words } = this;
    const doneWords = this.done.words;
    const key = (this.doneHash ^ mix32(model.hash(newState))) >>> 0;
    const first = this.cache.get(key) ?? -1;
    for (let e = first; e !== -1; e = this.chain[e] ?? -1) {
      let same = true;
      const base = e * words;
      for (let w = 0; w < words; w++) {
        if (this.arena[base + w] !== doneWords[w]) {
          same = false;
          break;
        }
      }
      const st = this.states[e];
      if (!same || st === undefined || !model.equal(st, newState)) continue;
      const pends = this.pends[e];
      if (pends === undefined) {
        // Reached with no pending op linearized (or none exist): that subsumes any other.
        this.setBit(i, false);
        return false;
      }
      const mine = this.pend.words;
      for (const p of pends) {
        if (isSubset(p, mine)) {
          this.setBit(i, false);
          return false;
        }
      }
      // Sets that contain the new one are subsumed by it from now on.
      if (isEmpty(mine)) {
        this.pends[e] = undefined;
        return true;
      }
      const kept = pends.filter((p) => !isSubset(mine, p));
      kept.push(mine.slice());
      this.pends[e] = kept;
      return true;
    }
    const e = this.entries++;
    if ((e + 1) * words > this.arena.length) {
      const grown = new Uint32Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    if (e >= this.chain.length) {
      const grown = new Int32Array(this.chain.length * 2);
      grown.set(this.chain);
      this.chain = grown;
    }
    this.arena.set(doneWords, e * words);
    this.states[e] = newState;
    this.pends[e] = this.hasPending && !isEmpty(this.pend.words) ? [this.pend.words.slice()] : undefined;
    this.chain[e] = first;
    this.cache.set(key, e);
    return true;
  }

  private lift(c: number): void {
    const { next, prev, match } = this;
    const r = match[c] ?? 0;
    const cp = prev[c] ?? 0;
    const cn = next[c] ?? -1;
    next[cp] = cn;
    if (cn !== -1) prev[cn] = cp;
    const rp = prev[r] ?? 0;
    const rn = next[r] ?? -1;
    next[rp] = rn;
    if (rn !== -1) prev[rn] = rp;
  }

  private unlift(c: number): void {
    const { next, prev, match } = this;
    const r = match[c] ?? 0;
    next[prev[r] ?? 0] = r;
    const rn = next[r] ?? -1;
    if (rn !== -1) prev[rn] = r;
    next[prev[c] ?? 0] = c;
    const cn = next[c] ?? -1;
    if (cn !== -1) prev[cn] = c;
  }
}

function isEmpty(a: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

function isSubset(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (((a[i] ?? 0) & ~(b[i] ?? 0)) !== 0) return false;
  return true;
}

/** One partition, start to finish (or to `maxSteps`, past which the answer is 'unknown'). */
export function searchPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  maxSteps: number,
): SearchResult {
  const s = new PartitionSearch(model, ops);
  return s.run(maxSteps) ?? { verdict: 'unknown', steps: s.steps };
}
