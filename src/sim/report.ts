import type { Scenario } from './scenario/schema';
import type { World } from './engine/types';
import { worldHash } from './engine/engine';
import { ENGINE_VERSION } from './version';
import { dictKeys } from './core/dict';
import type { OpRecord } from './history/types';
import { healthReport, type HealthReport } from './health/report';

/** The one JSON report a headless run prints: same engine, same numbers as the app shows. */
export interface RunReport {
  engine: string;
  scenario: string;
  tick: number;
  hash: string;
  agents: {
    id: string;
    counts: { ok: number; fail: number; info: number; pending: number };
    ops: Pick<OpRecord, 'id' | 'op' | 'args' | 'invokedAt' | 'completedAt' | 'outcome' | 'result' | 'reason' | 'via'>[];
  }[];
  metrics: World['metrics'] & {
    operations: number;
    meanLatency: number | null;
    servers: { [id: string]: unknown };
  };
  actionErrors: World['actionErrors'];
  /** Detection times and false suspicions, when health checks are on. */
  health?: HealthReport;
}

export function runReport(s: Scenario, w: World, opts: { ops?: boolean } = {}): RunReport {
  const byAgent = new Map<string, OpRecord[]>();
  for (const r of w.history) {
    const list = byAgent.get(r.agent) ?? [];
    list.push(r);
    byAgent.set(r.agent, list);
  }
  const done = w.history.filter((r) => r.completedAt !== null && r.outcome === 'ok');
  const servers: { [id: string]: unknown } = {};
  for (const id of dictKeys(w.servers)) {
    const st = w.servers[id]!.state as { stats?: unknown; version?: unknown; queue?: unknown[] };
    servers[id] = { stats: st.stats ?? null, version: st.version ?? null, queueLength: st.queue?.length ?? null };
  }
  return {
    engine: ENGINE_VERSION,
    scenario: s.name,
    tick: w.now,
    hash: worldHash(w),
    agents: [...byAgent.keys()].sort().map((id) => {
      const ops = byAgent.get(id)!;
      const count = (o: OpRecord['outcome']): number => ops.filter((r) => r.outcome === o).length;
      return {
        id,
        counts: { ok: count('ok'), fail: count('fail'), info: count('info'), pending: count(null) },
        ops:
          opts.ops === false
            ? []
            : ops.map(({ id: opId, op, args, invokedAt, completedAt, outcome, result, reason, via }) => ({
                id: opId,
                op,
                args,
                invokedAt,
                completedAt,
                outcome,
                result,
                reason,
                ...(via ? { via } : {}),
              })),
      };
    }),
    metrics: {
      ...w.metrics,
      operations: w.history.length,
      meanLatency: done.length ? done.reduce((n, r) => n + (r.completedAt! - r.invokedAt), 0) / done.length : null,
      servers,
    },
    actionErrors: w.actionErrors,
    ...(w.health ? { health: healthReport(w.health)! } : {}),
  };
}
