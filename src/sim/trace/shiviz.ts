import type { Trace, TraceEvent } from './trace';

/**
 * ShiViz's log format (https://bestchai.bitbucket.io/shiviz/): each event is two lines, its
 * description, then `<host> <vector clock as JSON>`. A file to upload starts with the parser
 * regular expression on its first line and the multiple-executions delimiter (empty here) on
 * its second; pasted into the Input page, the log goes in the big box and the regex in its
 * field. The default regex is the one below.
 */
export const SHIVIZ_REGEX = String.raw`(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`;

/** Host names ShiViz can read with the regex: no whitespace (node ids have none already). */
function host(id: string): string {
  return id.replace(/\s/g, '_');
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function describe(e: TraceEvent, dropsBySend: Map<number, string[]>): string {
  const drops = dropsBySend.get(e.id);
  return oneLine(
    `t=${e.tick} ${e.kind}: ${e.label}${e.error ? ` (not applied: ${e.error})` : ''}${drops ? ` [${drops.join('; ')}]` : ''}`,
  );
}

/** The ShiViz log of a trace: header (regex, empty delimiter line), then two lines per event. */
export function toShiViz(trace: Trace, opts: { header?: boolean } = {}): string {
  const dropsBySend = new Map<number, string[]>();
  for (const m of trace.messages) {
    const notes: string[] = [];
    if (m.duplicate) notes.push(`m${m.id} is a duplicate copy`);
    if (m.drop) notes.push(`m${m.id} dropped at t=${m.drop.tick} (${m.drop.why})`);
    if (notes.length) dropsBySend.set(m.send, [...(dropsBySend.get(m.send) ?? []), ...notes]);
  }
  const lines: string[] = [];
  if (opts.header ?? true) lines.push(SHIVIZ_REGEX, '');
  for (const e of trace.events) {
    const entries: string[] = [];
    e.clock.forEach((v, i) => {
      if (v > 0) entries.push(`${JSON.stringify(host(trace.lanes[i]!.id))}:${v}`);
    });
    lines.push(describe(e, dropsBySend), `${host(trace.lanes[e.lane]!.id)} {${entries.join(', ')}}`);
  }
  return lines.join('\n') + '\n';
}
