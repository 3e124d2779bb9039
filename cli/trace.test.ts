import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistoryText } from '../src/sim/history/check';
import { SHIVIZ_REGEX } from '../src/sim/trace/shiviz';
import { traceCommand } from './trace';

const faults = readFileSync(new URL('../examples/faults.scenario.json', import.meta.url), 'utf8');

describe('sim trace', () => {
  it('summarises the trace and writes the ShiViz log, the history and the trace', () => {
    const files = new Map<string, string>();
    const out = JSON.parse(
      traceCommand(['--to', '300', '--shiviz', 'a.log', '--history', 'h.json', '--json', 't.json'], faults, {
        write: (p, t) => files.set(p, t),
      }),
    ) as Record<string, unknown>;
    expect(out['to']).toBe(300);
    expect(out['events']).toBeGreaterThan(0);
    expect(files.get('a.log')!.split('\n')[0]).toBe(SHIVIZ_REGEX);
    const report = checkHistoryText(files.get('h.json')!);
    expect(report.ops).toBeGreaterThan(0);
    expect((JSON.parse(files.get('t.json')!) as { events: unknown[] }).events.length).toBe(out['events']);
  });

  it('says what is wrong with bad arguments and files', () => {
    const write = (): void => undefined;
    expect(() => traceCommand(['--to', '-1'], faults, { write })).toThrow(/--to must be/);
    expect(() => traceCommand(['--shiviz'], faults, { write })).toThrow(/needs a value/);
    expect(() => traceCommand([], '{"__proto__": 1}', { write })).toThrow(/not a valid scenario/);
    expect(() => traceCommand(['--max-events', '0'], faults, { write })).toThrow(/--max-events/);
  });

  it('bounds the trace and says so', () => {
    const out = JSON.parse(traceCommand(['--max-events', '20'], faults, { write: () => undefined })) as Record<
      string,
      unknown
    >;
    expect(out['truncated']).toBe(true);
  });
});
