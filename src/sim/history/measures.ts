/**
 * Two measures that were once one word ("lost") and disagreed between the lab and Compare:
 * each has its own name and definition, said in the same words wherever it is shown.
 */

/** Counted by the checker's `lost-update` anomaly (anomalies.ts). */
export const LOST_UPDATE_DEFINITION =
  "read-modify-writes whose effect a concurrent one overwrote (both read the same value, neither saw the other's)";

/** Counted where replicas merge (gossip: architectures/gossip/discarded.ts); nowhere else is a write dropped for another. */
export const DISCARDED_DEFINITION =
  'acknowledged writes a merge dropped in favour of a concurrent write (not ones a later write replaced)';
