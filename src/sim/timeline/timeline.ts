import { cloneShared as cloneJson, canonicalJson } from '../core/hash';
import type { Action, ActionInput, Scenario } from '../scenario/schema';
import { advance, initWorld } from '../engine/engine';
import type { World } from '../engine/types';

/**
 * A timeline caches the fold of one scenario: checkpoints (copies of the world every
 * `interval` ticks) make seeking to any tick a copy plus at most `interval` ticks of work,
 * and the busy ticks it has seen are the cursor's stops for Step and Step back.
 *
 * It holds caches only. The scenario (the action log) is the one thing saved; a timeline
 * can always be rebuilt from it and gives the same worlds as `worldAt`.
 */

export interface TimelineOptions {
  /** Ticks between checkpoints. */
  interval?: number;
}

export class Timeline {
  readonly scenario: Scenario;
  readonly interval: number;
  /** Checkpoint ticks ascending; -1 is the initial world. Worlds are never handed out. */
  private readonly cps: Map<number, World>;
  private cpTicks: number[];
  /** The furthest world computed, owned by the timeline and advanced in place. */
  private frontier: World;
  /** Busy ticks up to the frontier, ascending. */
  private busy: number[];

  constructor(scenario: Scenario, opts: TimelineOptions = {}, reuse?: { cps: Map<number, World>; busy: number[] }) {
    this.scenario = scenario;
    this.interval = Math.max(1, opts.interval ?? 100);
    if (reuse && reuse.cps.size > 0) {
      this.cps = reuse.cps;
      this.cpTicks = [...reuse.cps.keys()].sort((a, b) => a - b);
      const last = this.cpTicks[this.cpTicks.length - 1]!;
      this.frontier = cloneJson(this.cps.get(last)!);
      this.busy = reuse.busy.filter((t) => t <= last);
    } else {
      const w0 = initWorld(scenario);
      this.cps = new Map([[-1, cloneJson(w0)]]);
      this.cpTicks = [-1];
      this.frontier = w0;
      this.busy = [];
    }
  }

  get end(): number {
    return this.scenario.duration;
  }

  /** How far the cache reaches. */
  get computedTo(): number {
    return this.frontier.now;
  }

  /** Pushes the frontier to tick `to`, leaving checkpoints at every interval boundary. */
  private extend(to: number): void {
    while (this.frontier.now < to) {
      const boundary = (Math.floor(this.frontier.now / this.interval) + 1) * this.interval;
      const stop = Math.min(boundary, to);
      advance(this.frontier, this.scenario, stop, (t) => this.busy.push(t));
      if (stop === boundary && !this.cps.has(boundary)) {
        this.cps.set(boundary, cloneJson(this.frontier));
        this.cpTicks.push(boundary);
      }
    }
  }

  /** The world at tick t: a fresh copy that the caller owns. */
  worldAt(t: number): World {
    const tick = Math.max(-1, Math.floor(t));
    if (tick >= this.frontier.now) {
      this.extend(tick);
      return cloneJson(this.frontier);
    }
    const from = this.checkpointAtOrBefore(tick);
    const w = cloneJson(this.cps.get(from)!);
    advance(w, this.scenario, tick);
    return w;
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

  /** The next tick after t at which anything happens (up to the end), or null. */
  nextStop(t: number): number | null {
    for (;;) {
      const i = upperBound(this.busy, t);
      if (i < this.busy.length) return this.busy[i]! <= this.end ? this.busy[i]! : null;
      if (this.frontier.now >= this.end) return null;
      this.extend(Math.min(this.end, Math.max(this.frontier.now, t) + this.interval));
    }
  }

  /** The last tick before t at which anything happened, or 0 (the start) if none. */
  prevStop(t: number): number {
    this.extend(Math.min(t, this.end));
    const i = upperBound(this.busy, t - 1);
    return i > 0 ? this.busy[i - 1]! : 0;
  }

  /** Busy ticks in [from, to], for timeline markers. */
  stopsBetween(from: number, to: number): number[] {
    this.extend(Math.min(to, this.end));
    return this.busy.slice(upperBound(this.busy, from - 1), upperBound(this.busy, to));
  }

  /** Bytes of JSON held in checkpoints (a measure of their memory). */
  checkpointBytes(): number {
    let n = 0;
    for (const w of this.cps.values()) n += canonicalJson(w).length;
    return n;
  }

  get checkpointCount(): number {
    return this.cps.size;
  }

  /**
   * A timeline for a changed scenario that keeps every checkpoint the change cannot have
   * touched: those before the first tick at which the two logs differ.
   */
  derive(next: Scenario): Timeline {
    const opts = { interval: this.interval };
    const { actions: a, duration: _d1, name: _n1, ...restA } = this.scenario;
    const { actions: b, duration: _d2, name: _n2, ...restB } = next;
    if (canonicalJson(restA) !== canonicalJson(restB)) return new Timeline(next, opts);
    let i = 0;
    while (i < a.length && i < b.length && canonicalJson(a[i]) === canonicalJson(b[i])) i++;
    const firstDiff = Math.min(a[i]?.tick ?? Infinity, b[i]?.tick ?? Infinity);
    const cps = new Map<number, World>();
    for (const [t, w] of this.cps) if (t < firstDiff) cps.set(t, w);
    return new Timeline(next, opts, { cps, busy: this.busy.filter((t) => t < firstDiff) });
  }

  /**
   * Acting at tick t: the log after t is dropped (returned, for undo) and the action is
   * appended at t. The world at t then includes it: actions come first within their tick.
   */
  act(t: number, action: ActionInput): { timeline: Timeline; dropped: Action[] } {
    const tick = Math.max(0, Math.floor(t));
    const kept = this.scenario.actions.filter((x) => x.tick <= tick);
    const dropped = this.scenario.actions.filter((x) => x.tick > tick);
    const next: Scenario = { ...this.scenario, actions: [...kept, { ...action, tick } as Action] };
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
