import type { HealthConfig } from './config';
import type { HealthState } from './health';
import { LN10 } from './constants';

/**
 * Measurements over a world's health state, for the UI, the bench and the tests: how long
 * each observer took to notice each crash, and how often a live node was suspected.
 */

export interface DetectionTime {
  target: string;
  observer: string;
  crashedAt: number;
  /** Ticks from the crash to the observer's suspicion / its mark "down"; null: not (yet). */
  toSuspect: number | null;
  toDown: number | null;
  /** The mean inter-arrival time the detector ran on over the crash's final silence (φ's scale). */
  mean: number;
}

export interface HealthReport {
  detections: DetectionTime[];
  /** Every false suspicion ever (the record list keeps only the latest). */
  falseSuspicions: number;
  falseByCause: { cut: number; late: number };
  heartbeatsSent: number;
  heartbeatsHeard: number;
}

export function healthReport(h: HealthState | undefined): HealthReport | null {
  if (!h) return null;
  const falseByCause = { cut: 0, late: 0 };
  for (const f of h.falseSuspicions) falseByCause[f.cause] += 1;
  return {
    detections: h.detections.map((d) => ({
      target: d.target,
      observer: d.observer,
      crashedAt: d.crashedAt,
      toSuspect: d.suspectedAt === null ? null : d.suspectedAt - d.crashedAt,
      toDown: d.downAt === null ? null : d.downAt - d.crashedAt,
      mean: d.mean,
    })),
    falseSuspicions: h.stats.falseSuspicions,
    falseByCause,
    heartbeatsSent: h.stats.heartbeatsSent,
    heartbeatsHeard: h.stats.heartbeatsHeard,
  };
}

/**
 * Ticks of silence after which the detector suspects (`level` suspect) or marks down a
 * target. For φ it depends on the mean inter-arrival time the observer has measured:
 * φ ≥ x ⇔ silence ≥ x · mean · ln 10.
 */
export function silenceFor(config: HealthConfig, level: 'suspect' | 'down', mean: number): number {
  if (config.detector === 'timeout') return level === 'suspect' ? config.suspectAfter : config.downAfter;
  const x = level === 'suspect' ? config.suspect : config.down;
  return Math.ceil(x * mean * LN10);
}

/**
 * The detection bound (docs/engine.md, Health): an observer that is up from the crash until
 * it notices, watching a target over a link whose latency is at most `maxLatency` (latency
 * plus jitter), suspects it within `period + silence + maxLatency` ticks of the crash (and
 * marks it down within the same with the "down" silence). For φ, `mean` is the mean
 * inter-arrival time the observer had measured when the crash's silence began (recorded with
 * each detection); on a link without loss, cuts or earlier short crashes it is at most
 * `period + jitter`.
 */
export function detectionBound(
  config: HealthConfig,
  level: 'suspect' | 'down',
  maxLatency: number,
  mean: number = config.period,
): number {
  return config.period + silenceFor(config, level, mean) + maxLatency;
}

/** One observer's first suspicion of a target (a healthy → suspected or down transition). */
export interface SuspicionOnset {
  observer: string;
  target: string;
  tick: number;
  /** The target was up: a false suspicion. Otherwise the observer noticed a crash. */
  false: boolean;
}

/**
 * Every suspicion onset the health records still hold, by tick (then observer, target): a
 * detection's first suspicion after its crash, and every false suspicion. An observer can
 * start suspecting a target at most once per tick, so observer, target and tick name an
 * onset. Not listed: a detection whose observer already suspected the target when it
 * crashed (`suspectedAt === crashedAt`), whose onset came earlier; the rare observer whose
 * silence crosses its threshold in the very tick of the crash falls under that rule too.
 * Bounded by the records (HEALTH_RECORDS of each kind, since health was last configured).
 */
export function suspicionOnsets(h: HealthState | undefined): SuspicionOnset[] {
  if (!h) return [];
  const out: SuspicionOnset[] = [];
  for (const d of h.detections)
    if (d.suspectedAt !== null && d.suspectedAt > d.crashedAt)
      out.push({ observer: d.observer, target: d.target, tick: d.suspectedAt, false: false });
  for (const f of h.falseSuspicions) out.push({ observer: f.observer, target: f.target, tick: f.at, false: true });
  return out.sort(
    (a, b) =>
      a.tick - b.tick ||
      (a.observer < b.observer ? -1 : a.observer > b.observer ? 1 : 0) ||
      (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
}
