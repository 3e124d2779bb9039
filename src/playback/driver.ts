/**
 * The driver maps wall time to simulation time: while playing, the fractional tick is
 * `anchorTick + (wall - anchorWall) * speed / 1000`. Whole ticks are what the engine
 * computes; the fraction is only for drawing messages part-way along their links.
 *
 * The clock re-anchors whenever the speed changes or the store could not keep up (it ran
 * out of its per-frame budget), so the picture never jumps ahead of the world.
 */

export interface Clock {
  anchorWall: number;
  anchorTick: number;
  /** Ticks per second. */
  speed: number;
}

export function clockAt(wall: number, tick: number, speed: number): Clock {
  return { anchorWall: wall, anchorTick: tick, speed };
}

/** The fractional tick the clock shows at wall time `wall` (ms). */
export function tickAt(c: Clock, wall: number): number {
  return c.anchorTick + (Math.max(0, wall - c.anchorWall) * c.speed) / 1000;
}

/** Host hooks, injected so the driver runs in tests without a page. */
export interface FrameHost {
  now(): number;
  requestFrame(cb: (wall: number) => void): number;
  cancelFrame(handle: number): void;
}

export function browserFrameHost(): FrameHost {
  return {
    now: () => performance.now(),
    requestFrame: (cb) => requestAnimationFrame(cb),
    cancelFrame: (h) => cancelAnimationFrame(h),
  };
}

/**
 * Calls `onFrame(fractionalTick)` once per animation frame while running. `onFrame`
 * returns the whole tick the world actually reached; if that is behind the clock (the
 * store ran out of budget), the clock re-anchors there instead of racing ahead.
 */
export class Driver {
  private clock: Clock | null = null;
  private handle: number | null = null;
  /** Frames longer than this (a background tab) do not turn into a burst of ticks. */
  private static readonly MAX_GAP_MS = 250;
  private lastWall = 0;

  constructor(
    private readonly host: FrameHost,
    private readonly onFrame: (tick: number) => number,
  ) {}

  get running(): boolean {
    return this.clock !== null;
  }

  start(fromTick: number, speed: number): void {
    this.stop();
    const now = this.host.now();
    this.clock = clockAt(now, fromTick, speed);
    this.lastWall = now;
    this.handle = this.host.requestFrame(this.frame);
  }

  stop(): void {
    if (this.handle !== null) this.host.cancelFrame(this.handle);
    this.handle = null;
    this.clock = null;
  }

  /** Changes speed without a jump: the current position becomes the new anchor. */
  setSpeed(speed: number): void {
    if (!this.clock) return;
    const now = this.host.now();
    this.clock = clockAt(now, tickAt(this.clock, now), speed);
  }

  private readonly frame = (wall: number): void => {
    const c = this.clock;
    if (!c) return;
    if (wall - this.lastWall > Driver.MAX_GAP_MS) {
      // Resume where the picture was, not where the wall clock says.
      this.clock = clockAt(wall, tickAt(c, this.lastWall), c.speed);
    }
    this.lastWall = wall;
    const want = tickAt(this.clock!, wall);
    const reached = this.onFrame(want);
    // The world is behind the clock: hold the clock at the world (never show the future).
    if (this.clock && reached < Math.floor(want)) this.clock = clockAt(wall, reached, this.clock.speed);
    if (this.clock) this.handle = this.host.requestFrame(this.frame);
  };
}
