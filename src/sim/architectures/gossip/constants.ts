/**
 * The gossip architecture's names and limits, without the schema validator: the engine and
 * the panels import these, and config.ts (zod) loads only with the validator.
 */

/** Replicas the engine runs; the headless sweep (an abstract round model) goes to 10,000. */
export const MAX_REPLICAS = 32;

export const GOSSIP_MODES = ['reference', 'lww', 'mv-register'] as const;
export type GossipMode = (typeof GOSSIP_MODES)[number];
export const EXCHANGES = ['push', 'pull', 'push-pull'] as const;
export type Exchange = (typeof EXCHANGES)[number];
export const ROUND_KINDS = ['synchronous', 'sequential'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
