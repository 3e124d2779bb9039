import { advanceWithin, initWorld, REPLAY_BUDGET, workDone } from '../src/sim/index';
import type { Scenario, World } from '../src/sim/index';

/**
 * The CLI's numbers and its replays: every numeric flag is a whole number in range (or a
 * message, never NaN or a hang), every tick is within the scenario, and a replay stops at the
 * same budget as the app's (docs/engine.md, "The cost of a replay") unless `--no-limits`.
 */

export function wholeNumber(v: string | undefined, name: string, dflt: number, min: number, max = Infinity): number {
  if (v === undefined) return dflt;
  const n = Number(v.trim() === '' ? NaN : v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min} (not "${v}")`);
  if (n > max) throw new Error(`${name} must be at most ${max.toLocaleString('en')} (not "${v}")`);
  return n;
}

/** A tick flag: a whole number from 0 to the scenario's duration, which is the default. */
export function tickFlag(v: string | undefined, name: string, s: Scenario): number {
  if (v === undefined) return s.duration;
  const n = wholeNumber(v, name, s.duration, 0);
  if (n > s.duration) throw new Error(`${name} must be at most the scenario's duration (${s.duration}), not ${v}`);
  return n;
}

/** `--no-limits` is present (and taken out of `args`). */
export function takeNoLimits(args: string[]): boolean {
  const i = args.indexOf('--no-limits');
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

/** The world at `tick`, or a message naming the budget and how far the replay got. */
export function replayTo(s: Scenario, tick: number, opts: { noLimits?: boolean; budget?: number } = {}): World {
  const w = initWorld(s);
  const budget = opts.noLimits ? Infinity : (opts.budget ?? REPLAY_BUDGET);
  if (!advanceWithin(w, s, tick, budget)) {
    const n = (x: number): string => x.toLocaleString('en');
    throw new Error(
      `the replay stopped at its budget of ${n(budget)} events, at tick ${n(Math.max(0, w.now))} of ${n(tick)} (${n(workDone(w))} events processed); run it with --no-limits to go on`,
    );
  }
  return w;
}
