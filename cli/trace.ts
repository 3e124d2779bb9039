/**
 * `sim trace`: records a scenario's run as a trace (lanes, events with vector clocks,
 * messages, fault bands) and prints a summary; `--shiviz FILE` writes the ShiViz log,
 * `--history FILE` the history JSON that `sim check` reads, `--json FILE` the trace itself.
 */
import { writeFileSync } from 'node:fs';
import { tickFlag, wholeNumber } from './limits';
import {
  formatErrors,
  parseScenarioText,
  recordTrace,
  stringifyStateLabHistory,
  toShiViz,
  worldAt,
  DEFAULT_MAX_EVENTS,
} from '../src/sim/index';

export interface TraceIo {
  write(path: string, text: string): void;
}

const fsIo: TraceIo = { write: (p, t) => writeFileSync(p, t) };

/** Returns the summary printed on stdout (one JSON object). */
export function traceCommand(args: string[], scenarioText: string, io: TraceIo = fsIo): string {
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const parsed = parseScenarioText(scenarioText);
  if (!parsed.ok) throw new Error(`not a valid scenario:\n${formatErrors(parsed.errors)}`);
  const s = parsed.scenario;
  const to = tickFlag(opt('--to'), '--to', s);
  const maxEvents = wholeNumber(opt('--max-events'), '--max-events', DEFAULT_MAX_EVENTS, 1);
  const trace = recordTrace(s, to, { maxEvents });
  const out: Record<string, unknown> = {
    scenario: s.name,
    from: trace.from,
    to: trace.to,
    truncated: trace.truncated,
    lanes: trace.lanes.map((l) => l.id),
    events: trace.events.length,
    messages: trace.messages.length,
    dropped: trace.messages.filter((m) => m.drop !== null).length,
    faults: trace.events.filter((e) => e.kind === 'fault').length + trace.bands.length,
  };
  const shiviz = opt('--shiviz');
  if (shiviz !== undefined) {
    io.write(shiviz, toShiViz(trace));
    out['shiviz'] = shiviz;
  }
  const json = opt('--json');
  if (json !== undefined) {
    io.write(json, JSON.stringify(trace) + '\n');
    out['json'] = json;
  }
  const history = opt('--history');
  if (history !== undefined) {
    // The history to the same tick as the trace (a truncated trace stops early).
    const w = worldAt(s, trace.to);
    io.write(history, stringifyStateLabHistory({ ops: w.history }, { scenario: s.name, tick: trace.to }));
    out['history'] = history;
  }
  return JSON.stringify(out, null, 2) + '\n';
}
