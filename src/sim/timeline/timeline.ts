import { cloneShared, canonicalJson } from '../core/hash';
import type { Action, ActionInput, Scenario } from '../scenario/schema';
import { advance, initWorld, nextEventTick, settleWorld } from '../engine/engine';
import type { World } from '../engine/types';

/**
 * A timeline caches the fold of one scenario around a cursor. It keeps one working world at
 * the cursor (`current`, advanced in place, lent to readers), checkpoints every `interval`
 * ticks (copies that share the world's frozen parts, so they cost little), and the busy
 * ticks seen so far: the stops of Step and Step back.
 *
 * It holds caches only. The scenario (the action log) is the one thing saved; any timeline
 * gives the same worlds as `worldAt`, which tests check.
 */

export interface TimelineOptions {
  /** Ticks between checkpoints. */
  interval?: number;
}

/** What a timeline computed elsewhere (a worker) hands over: see `exportAfter` and `adopt`. */
export interface TimelineExport {
  checkpoints: World[];
  busy: number[];
  busyTo: number;
  world: World;
}

export class Timeline {
  readonly scenario: Scenario;
  readonly interval: number;
  /** Checkpoint ticks ascending; -1 is the initial world. Never handed out. */
  private readonly cps: Map<number, World>;
  private cpTicks: number[];
  /** Busy ticks, complete over [0, busyTo]. */
  private busy: number[];
  private busyTo: number;
  /** The world at the cursor, owned by the timeline. */
  private live: World;

  constructor(
    scenario: Scenario,
    opts: TimelineOptions = {},
    reuse?: { cps: Map<number, World>; busy: number[]; busyTo: number },
  ) {
    this.scenario = scenario;
    this.interval = Math.max(1, opts.interval ?? 100);
    if (reuse && reuse.cps.size > 0) {
      this.cps = reuse.cps;
      this.cpTicks = [...reuse.cps.keys()].sort((a, b) => a - b);
      this.busy = reuse.busy;
      this.busyTo = reuse.busyTo;
    } else {
      this.cps = new Map([[-1, initWorld(scenario)]]);
      this.cpTicks = [-1];
      this.busy = [];
      this.busyTo = -1;
    }
    this.live = cloneShared(this.cps.get(this.cpTicks[this.cpTicks.length - 1]!)!);
  }

  get end(): number {
    return this.scenario.duration;
  }

  /** The cursor's tick (−1 before anything, at construction). */
  get tick(): number {
    return this.live.now;
  }

  /**
   * The world at the cursor, lent: read it now, keep nothing, change nothing. It is the
   * timeline's working copy and moves with the next seek. `worldAt` returns a copy to keep.
   */
  get current(): Readonly<World> {
    return this.live;
  }

  /** How far the busy ticks are known. */
  get computedTo(): number {
    return this.busyTo;
  }

  private checkpointAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.cpTicks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.cpTicks[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.cpTicks[lo]!;
  }

  private addCheckpoint(t: number, w: World): void {
    if (this.cps.has(t)) return;
    this.cps.set(t, w);
    this.cpTicks.splice(upperBound(this.cpTicks, t), 0, t);
  }

  /** Advances the cursor's world in place to `to`, noting busy ticks and checkpoints. */
  private advanceLive(to: number): void {
    while (this.live.now < to) {
      const boundary = (Math.floor(this.live.now / this.interval) + 1) * this.interval;
      const stop = Math.min(boundary, to);
      advance(this.live, this.scenario, stop, (t) => {
        if (t > this.busyTo) this.busy.push(t);
      });
      this.busyTo = Math.max(this.busyTo, stop);
      if (stop === boundary && !this.cps.has(boundary)) this.addCheckpoint(boundary, cloneShared(this.live));
    }
  }

  /** Moves the cursor to tick t, from the cursor itself or the nearest checkpoint. */
  seek(to: number): void {
    const t = Math.max(-1, Math.floor(to));
    if (t === this.live.now) return;
    const cp = this.checkpointAtOrBefore(t);
    if (t < this.live.now || cp > this.live.now) this.live = cloneShared(this.cps.get(cp)!);
    this.advanceLive(t);
  }

  /**
   * Moves the cursor forward towards `to`, one busy tick at a time, at most `maxBusyTicks`
   * of them (so playback can bound its work per frame); returns the tick reached.
   */
  forward(to: number, maxBusyTicks = Infinity): number {
    const target = Math.floor(to);
    for (let n = 0; this.live.now < target && n < maxBusyTicks; n++) {
      const next = nextEventTick(this.live, this.scenario);
      this.advanceLive(next === null || next > target ? target : next);
    }
    return this.live.now;
  }

  /** The world at tick t: a copy the caller owns. Moves the cursor to t. */
  worldAt(t: number): World {
    this.seek(t);
    return cloneShared(this.live);
  }

  /** The next busy tick after t, or the end if nothing else happens; null from the end on. */
  nextStop(t: number): number | null {
    if (t >= this.end) return null;
    for (;;) {
      const i = upperBound(this.busy, t);
      if (i < this.busy.length) return Math.min(this.busy[i]!, this.end);
      if (this.busyTo >= this.end) return this.end;
      this.seek(Math.max(this.busyTo, t));
      this.forward(this.end, 1);
    }
  }

  /** The last busy tick before t, or 0 (the start) if none. */
  prevStop(t: number): number {
    if (this.busyTo < t - 1) this.seek(t - 1);
    const i = upperBound(this.busy, t - 1);
    return i > 0 ? this.busy[i - 1]! : 0;
  }

  /** Busy ticks in [from, to] (for timeline markers), computing up to `to` if needed. */
  stopsBetween(from: number, to: number): number[] {
    if (this.busyTo < to) this.seek(Math.min(to, this.end));
    return this.busy.slice(upperBound(this.busy, from - 1), upperBound(this.busy, to));
  }

  /** Bytes of JSON the checkpoints would take unshared (an upper bound on their memory). */
  checkpointBytes(): number {
    let n = 0;
    for (const w of this.cps.values()) n += canonicalJson(w).length;
    return n;
  }

  get checkpointCount(): number {
    return this.cps.size;
  }

  /**
   * What this timeline computed beyond tick `after`, for another timeline of the same
   * scenario to adopt (a worker computes a far seek; the page adopts it).
   */
  exportAfter(after: number): TimelineExport {
    return {
      checkpoints: this.cpTicks.filter((t) => t > after).map((t) => this.cps.get(t)!),
      busy: this.busy.filter((t) => t > after),
      busyTo: this.busyTo,
      world: this.live,
    };
  }

  /** Takes over another timeline's work on the same scenario; the cursor moves to its world. */
  adopt(x: TimelineExport): void {
    // A structured clone drops the frozen marks that let copies share; put them back.
    for (const w of x.checkpoints) settleWorld(w);
    settleWorld(x.world);
    if (x.busyTo > this.busyTo) {
      for (const t of x.busy) if (t > this.busyTo) this.busy.push(t);
      this.busyTo = x.busyTo;
    }
    for (const w of x.checkpoints) this.addCheckpoint(w.now, w);
    this.live = x.world;
  }

  /**
   * A timeline for a changed scenario that keeps every checkpoint the change cannot have
   * touched: those before the first tick at which the two logs differ.
   */
  derive(next: Scenario): Timeline {
    const opts = { interval: this.interval };
    // The name and a lesson's narration are words about the run, not part of it.
    const { actions: a, duration: _d1, name: _n1, lesson: _l1, ...restA } = this.scenario;
    const { actions: b, duration: _d2, name: _n2, lesson: _l2, ...restB } = next;
    if (canonicalJson(restA) !== canonicalJson(restB)) return new Timeline(next, opts);
    let i = 0;
    while (i < a.length && i < b.length && canonicalJson(a[i]) === canonicalJson(b[i])) i++;
    const firstDiff = Math.min(a[i]?.tick ?? Infinity, b[i]?.tick ?? Infinity);
    const cps = new Map<number, World>();
    for (const [t, w] of this.cps) if (t < firstDiff) cps.set(t, w);
    const busyTo = Math.min(this.busyTo, firstDiff - 1);
    return new Timeline(next, opts, { cps, busy: this.busy.filter((t) => t <= busyTo), busyTo });
  }

  /**
   * Acting at tick t: the log after t is dropped (returned, for undo) and the action is
   * appended at t. The world at t then includes it: actions come first within their tick.
   * Later actions that `keep` accepts (a challenge's own script) stay, after it, in order.
   */
  act(t: number, action: ActionInput, keep?: (a: Action) => boolean): { timeline: Timeline; dropped: Action[] } {
    const tick = Math.max(0, Math.floor(t));
    const before = this.scenario.actions.filter((x) => x.tick <= tick);
    const later = this.scenario.actions.filter((x) => x.tick > tick);
    const stay = keep === undefined ? [] : later.filter(keep);
    const dropped = keep === undefined ? later : later.filter((x) => !keep(x));
    const next: Scenario = { ...this.scenario, actions: [...before, { ...action, tick } as Action, ...stay] };
    return { timeline: this.derive(next), dropped };
  }
}

/** Index of the first element > x. */
function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
