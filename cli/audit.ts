import { parseScenarioText, formatErrors } from '../src/sim/index';
import { auditTrail, type AuditTrail } from '../src/sim/audit/audit';
import { replayTo, tickFlag } from './limits';

/**
 * `sim audit`: a scenario's audit trail at a tick (every change of every key, or of one):
 * agent, operation id, tick, old and new value, version. Where it comes from per
 * architecture: docs/engine.md, "Rollback and audit".
 */
export function auditCommand(
  text: string,
  opts: { tick?: string | number; key?: string; noLimits?: boolean },
): AuditTrail & { tick: number } {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) throw new Error(`not a valid scenario:\n${formatErrors(parsed.errors)}`);
  const tick = tickFlag(opts.tick === undefined ? undefined : String(opts.tick), '--tick', parsed.scenario);
  const w = replayTo(parsed.scenario, tick, opts.noLimits === undefined ? {} : { noLimits: opts.noLimits });
  return { tick, ...auditTrail(w, opts.key) };
}
