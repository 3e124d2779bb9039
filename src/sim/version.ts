/**
 * The engine version. Bump it whenever the same scenario can produce a different world (a
 * changed rule, a new random draw): links record it, so a replay that differs is explained.
 */
export const ENGINE_VERSION = '1.1.0';
