/**
 * Health checks' constants, free of zod so the first page can import them (the scenario
 * schema imports `config.ts`, which loads zod).
 */

export const DETECTORS = ['timeout', 'phi'] as const;
export type DetectorKind = (typeof DETECTORS)[number];

/** What an agent does when its failure detector suspects the server it would send to. */
export const FALLBACKS = ['none', 'fail-fast', 'retry-other', 'cache'] as const;
export type Fallback = (typeof FALLBACKS)[number];

export const HEALTH_STATUSES = ['healthy', 'suspected', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * ln 10, as a literal: the engine may not call transcendental Math functions, and φ under
 * exponentially distributed inter-arrival times (Cassandra's variant of the accrual
 * detector) is linear in the silence: φ(t) = t / (mean · ln 10).
 */
export const LN10 = 2.302585092994046;

/** Records of detections and false suspicions kept in the world (counters keep the totals). */
export const HEALTH_RECORDS = 400;
/** The agent's local cache (fallback `cache`) keeps at most this many keys. */
export const CACHE_KEYS = 64;

export const DEFAULT_TIMEOUT_HEALTH = { period: 5, detector: 'timeout', suspectAfter: 15, downAfter: 40 } as const;
export const DEFAULT_PHI_HEALTH = { period: 5, detector: 'phi', suspect: 3, down: 8, window: 20 } as const;
