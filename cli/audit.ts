import { parseScenarioText, formatErrors, worldAt } from '../src/sim/index';
import { auditTrail, type AuditTrail } from '../src/sim/audit/audit';

/**
 * `sim audit`: a scenario's audit trail at a tick (every change of every key, or of one):
 * agent, operation id, tick, old and new value, version. Where it comes from per
 * architecture: docs/engine.md, "Rollback and audit".
 */
export function auditCommand(text: string, opts: { tick?: number; key?: string }): AuditTrail & { tick: number } {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) throw new Error(`not a valid scenario:\n${formatErrors(parsed.errors)}`);
  const tick = opts.tick ?? parsed.scenario.duration;
  if (!Number.isInteger(tick) || tick < 0) throw new Error('--tick must be a whole number ≥ 0');
  const w = worldAt(parsed.scenario, tick);
  return { tick, ...auditTrail(w, opts.key) };
}
