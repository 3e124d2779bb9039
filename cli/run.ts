import { parseScenarioText, formatErrors, runReport } from '../src/sim/index';
import { replayTo, tickFlag } from './limits';

/** `sim run`: the report of a scenario at its end (or `--tick`), as the JSON text printed. */
export function runCommand(
  text: string,
  opts: { tick?: string | undefined; ops?: boolean; noLimits?: boolean; budget?: number; file?: string } = {},
): string {
  const parsed = parseScenarioText(text);
  if (!parsed.ok)
    throw new Error(`${opts.file || 'the file'} is not a valid scenario:\n${formatErrors(parsed.errors)}`);
  const s = parsed.scenario;
  const tick = tickFlag(opts.tick, '--tick', s);
  const w = replayTo(s, tick, {
    ...(opts.noLimits === undefined ? {} : { noLimits: opts.noLimits }),
    ...(opts.budget === undefined ? {} : { budget: opts.budget }),
  });
  return JSON.stringify(runReport(s, w, { ops: opts.ops ?? true }), null, 2) + '\n';
}
