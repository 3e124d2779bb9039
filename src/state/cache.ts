import type { Scenario, World } from '../sim/index';
import { advance, initWorld, nextEventTick } from '../sim/index';

/**
 * The store's cache of one scenario's worlds, built only from engine calls (initWorld,
 * advance, nextEventTick), so every world it yields is the engine's world at that tick,
 * byte for byte (cache.test.ts checks it against Timeline.worldAt).
 *
 * Why not Timeline.worldAt for every frame: it hands out a fresh deep copy each call, and a
 * 50-agent world after 1,000 ticks is ~600 KB of JSON whose copy costs 15-40 ms, which is a
 * frame budget gone. So the cache keeps one working world (`live`) that playback advances in
 * place, and copies it into marks (checkpoints) only in idle time; seeking back starts from
 * the nearest mark. A far seek can be computed in a worker and adopted here.
 */

/**
 * Marks are kept as JSON text. Worlds are plain JSON data (the engine's contract: its hash
 * is over canonical JSON and throws on anything else), so the round trip is exact; text is
 * compact in memory, cheap to take (a stringify, no object graph), and can arrive from the
 * worker without being parsed until someone seeks there.
 */
export function freeze(w: World): string {
  return JSON.stringify(w);
}

export function thaw(text: string): World {
  return JSON.parse(text) as World;
}

/** Ticks between marks. */
export const MARK_EVERY = 100;
/** At most this many marks; older ones are thinned out beyond it. */
const MAX_MARKS = 64;

export class WorldCache {
  readonly scenario: Scenario;
  private live: World;
  private marks = new Map<number, string>();
  private markTicks: number[] = [];
  /** Busy ticks (the stops of Step and Step back), complete over [0, busyTo]. */
  private busy: number[] = [];
  private busyTo = -1;

  constructor(scenario: Scenario, from?: WorldCache, validBefore?: number) {
    this.scenario = scenario;
    if (from && validBefore !== undefined) {
      // Marks strictly before the first changed tick are the same worlds in both scenarios.
      for (const t of from.markTicks) if (t < validBefore) this.putMark(t, from.marks.get(t)!);
      this.busy = from.busy.filter((t) => t < validBefore);
      this.busyTo = Math.min(from.busyTo, validBefore - 1);
    }
    if (!this.marks.has(-1)) this.putMark(-1, freeze(initWorld(scenario)));
    this.live = thaw(this.marks.get(this.markBefore(Infinity))!);
  }

  get end(): number {
    return this.scenario.duration;
  }

  get tick(): number {
    return this.live.now;
  }

  /** The world at the cursor. Borrowed: read it now, keep nothing from it, never mutate. */
  get world(): World {
    return this.live;
  }

  private putMark(t: number, w: string): void {
    if (!this.marks.has(t)) {
      let i = this.markTicks.length;
      while (i > 0 && this.markTicks[i - 1]! > t) i--;
      this.markTicks.splice(i, 0, t);
    }
    this.marks.set(t, w);
  }

  /** The latest mark at or before t. */
  private markBefore(t: number): number {
    let best = -1;
    for (const m of this.markTicks) if (m <= t) best = m;
    return best;
  }

  /** Ticks of computation a move to t costs from the best starting point. */
  distanceTo(t: number): number {
    const fromLive = t >= this.live.now ? t - this.live.now : Infinity;
    return Math.min(fromLive, t - this.markBefore(t));
  }

  private advanceLive(to: number): void {
    const from = this.live.now;
    const record = from <= this.busyTo;
    advance(this.live, this.scenario, to, record ? (t) => { if (t > this.busyTo) this.busy.push(t); } : undefined);
    if (record) this.busyTo = Math.max(this.busyTo, to);
  }

  /**
   * Moves the live world forward towards `to` (clamped to the end), one busy tick at a
   * time, stopping early once `budgetMs` of `now()` has passed. Returns the tick reached.
   */
  forward(to: number, budgetMs = Infinity, now: () => number = () => 0): number {
    const target = Math.min(this.end, Math.floor(to));
    const start = now();
    while (this.live.now < target) {
      const next = nextEventTick(this.live, this.scenario);
      const stop = next === null || next > target ? target : next;
      this.advanceLive(stop);
      if (this.live.now < target && now() - start > budgetMs) break;
    }
    return this.live.now;
  }

  /** Puts the live world at tick t (any direction), from the live world or the nearest mark. */
  seek(to: number): void {
    const t = Math.max(0, Math.min(this.end, Math.floor(to)));
    if (t === this.live.now) return;
    if (t > this.live.now && t - this.live.now <= t - this.markBefore(t)) {
      this.forward(t);
      return;
    }
    this.live = thaw(this.marks.get(this.markBefore(t))!);
    this.advanceLive(t);
  }

  /** Rebuilds the world at the live tick (after the log changed at or before it). */
  rebuild(): void {
    const t = Math.max(0, this.live.now);
    this.live = thaw(this.marks.get(this.markBefore(t))!);
    this.advanceLive(t);
  }

  /**
   * Takes a world computed elsewhere (the worker) as the live world, with its busy ticks
   * and a few marks just before it, so stepping back from there stays local.
   */
  adopt(w: World, busy: number[], marks: [number, string][] = []): void {
    for (const [t, text] of marks) if (t <= w.now) this.putMark(t, text);
    this.live = w;
    // The worker computed from the start, so its list is complete up to w.now.
    this.busy = busy.filter((t) => t <= w.now);
    this.busyTo = w.now;
  }

  /** The next tick after the cursor at which anything happens, or the end; null at the end. */
  nextStop(): number | null {
    if (this.live.now >= this.end) return null;
    const n = nextEventTick(this.live, this.scenario);
    return n === null || n > this.end ? this.end : n;
  }

  /** The last busy tick before t (0 if none). */
  prevStop(t: number): number {
    if (t - 1 > this.busyTo) return Math.max(0, t - 1);
    let lo = 0;
    let hi = this.busy.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.busy[mid]! <= t - 1) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.busy[lo - 1]! : 0;
  }

  /** Whether a mark is due at the live tick (call markNow in idle time). */
  markDue(): boolean {
    return this.live.now - this.markBefore(this.live.now) >= MARK_EVERY;
  }

  /** Copies the live world into a mark. The copy is the expensive part; run it when idle. */
  markNow(): void {
    if (!this.markDue()) return;
    this.putMark(this.live.now, freeze(this.live));
    if (this.markTicks.length > MAX_MARKS) this.thin();
  }

  /** Drops every other mark in the older half, keeping the initial world. */
  private thin(): void {
    const half = Math.floor(this.markTicks.length / 2);
    const drop = this.markTicks.slice(1, half).filter((_, i) => i % 2 === 0);
    for (const t of drop) this.marks.delete(t);
    this.markTicks = this.markTicks.filter((t) => this.marks.has(t));
  }

  get markCount(): number {
    return this.markTicks.length;
  }
}
