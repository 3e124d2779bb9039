import type { JsonValue } from '../core/json';
import { isRecord } from '../architectures/types';
import type { Architecture } from '../architectures/types';
import { placementOf } from '../architectures/partitioned/partitioned';
import { replicasOf } from '../architectures/partitioned/placement';
import type { ArchitectureConfig } from '../scenario/schema';
import type { OpRecord } from '../history/types';

/**
 * The writes a node lost: acknowledged (`ok`) writes it held whose effect is not in the state
 * it came back with. The node's data is as of the end of tick `point` (its last flush, the
 * restore's target; -1: nothing, the disk is gone) and the loss happened at tick `at`.
 *
 * A write took effect at a tick strictly between its invocation and its reply (a message
 * takes at least a tick each way), and it is lost when that tick is after `point` and before
 * `at` (a loss or a restore is an action: it comes first in its tick). So, by the history
 * alone: if every tick it could have taken effect at is in that window, it is **lost**
 * (`certain`); if some are, it **may** be (`certain: false`); if none are, it is not listed.
 * With a write-ahead log `point` is `at`: the window is empty and nothing is listed.
 */
export interface LostWrite {
  op: number;
  agent: string;
  /** The operation's name (set, update, delete, append, increment, ...). */
  name: string;
  key: string;
  /** The value written (null for a delete). */
  value: JsonValue | null;
  invokedAt: number;
  completedAt: number;
  certain: boolean;
}

/** The keys and values one write writes, as the operation's arguments say. */
export function writtenKeys(op: string, args: JsonValue): [string, JsonValue | null][] {
  if (!isRecord(args)) return [[`(${op})`, null]];
  const a = args as { [k: string]: JsonValue };
  if (isRecord(a['updates']))
    return Object.keys(a['updates']).map((k) => [k, (a['updates'] as { [k: string]: JsonValue })[k] ?? null]);
  if (typeof a['key'] === 'string') {
    const v = a['value'] ?? a['element'] ?? a['by'] ?? null;
    return [[a['key'], op === 'delete' ? null : v]];
  }
  return [[`(${op})`, isRecord(a['data']) ? (a['data'] as JsonValue) : null]];
}

/**
 * Whether `node` holds what this write writes to `key`: a partitioned shard holds the keys
 * placed on it; elsewhere a node holds the writes routed to it (the store, the event log,
 * the replica an agent is attached to; a projection or a coordinator holds none of its own).
 */
export function holds(arch: Architecture, config: ArchitectureConfig, node: string, r: OpRecord, key: string): boolean {
  if (config.kind === 'partitioned') return replicasOf(key, placementOf(config)).includes(node);
  const args = isRecord(r.args) ? (r.args as { [k: string]: JsonValue }) : {};
  return arch.route(config, r.agent, r.op, args) === node;
}

export function lostWrites(
  history: readonly OpRecord[],
  arch: Architecture,
  config: ArchitectureConfig,
  node: string,
  point: number,
  at: number,
): LostWrite[] {
  const writes = new Set(arch.operations.filter((o) => o.kind === 'write').map((o) => o.name));
  const out: LostWrite[] = [];
  for (const r of history) {
    if (r.invokedAt >= at) break; // the history is in invocation order
    if (r.outcome !== 'ok' || r.completedAt === null || !writes.has(r.op)) continue;
    const first = r.invokedAt + 1;
    const last = r.completedAt - 1;
    // The window it could have taken effect in, cut to (point, at); empty means not lost.
    if (Math.min(last, at - 1) <= point || first >= at) continue;
    const certain = first > point && last < at;
    for (const [key, value] of writtenKeys(r.op, r.args)) {
      if (!holds(arch, config, node, r, key)) continue;
      out.push({
        op: r.id,
        agent: r.agent,
        name: r.op,
        key,
        value,
        invokedAt: r.invokedAt,
        completedAt: r.completedAt,
        certain,
      });
    }
  }
  return out;
}
