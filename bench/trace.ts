import { performance } from 'node:perf_hooks';
import { agent, defaultScenario } from '../src/sim/scenario/builtins';
import type { Scenario } from '../src/sim/scenario/schema';
import { worldAt } from '../src/sim/engine/engine';
import { recordTrace, recordTraceFrom, DEFAULT_MAX_EVENTS } from '../src/sim/trace/trace';
import { relations } from '../src/sim/trace/clock';
import { toShiViz } from '../src/sim/trace/shiviz';
import type { Figure } from './engine';

/** The app's crowd (src/state/scenarios.ts, which bench/ may not import: it runs src/sim only). */
function crowdScenario(): Scenario {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  return {
    ...defaultScenario(),
    name: 'Crowd: 50 agents on one store',
    duration: 1000,
    agents: Array.from({ length: 50 }, (_, i) =>
      agent(`agent${i + 1}`, { kind: 'random', keys, interval: 24, mix: { get: 5, set: 4, delete: 1, update: 1 } }, 30),
    ),
  };
}

function best<T>(n: number, f: () => T): { ms: number; out: T } {
  let ms = Infinity;
  let out!: T;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    out = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms: Math.round(ms * 10) / 10, out };
}

/**
 * Space-time traces: recording a whole run (default scenario, and the 50-agent crowd, which
 * hits the event bound), recording the app's window (60 ticks at the end of the crowd run,
 * from a checkpoint as the worker does), its size as the worker posts it, one selection's
 * causal sets, and the ShiViz text.
 */
export function traceBench(): Figure[] {
  const d = defaultScenario();
  const crowd = crowdScenario();
  const whole = best(3, () => recordTrace(d, d.duration));
  const crowdWhole = best(2, () => recordTrace(crowd, crowd.duration));
  const from = worldAt(crowd, crowd.duration - 61);
  const win = best(3, () => recordTraceFrom(structuredClone(from), crowd, crowd.duration, { maxEvents: 8000 }));
  const clone = best(3, () => structuredClone(win.out));
  const last = win.out.events[win.out.events.length - 1]!.id;
  const rel = best(5, () => relations(win.out, last));
  const shiviz = best(2, () => toShiViz(crowdWhole.out));
  return [
    { name: `default scenario, whole run (${d.duration} ticks): record`, value: whole.ms, unit: 'ms' },
    {
      name: 'default scenario, whole run: events / messages',
      value: whole.out.events.length,
      unit: `/ ${whole.out.messages.length.toLocaleString('en')}`,
    },
    { name: `crowd (50 agents), whole run (${crowd.duration} ticks): record`, value: crowdWhole.ms, unit: 'ms' },
    {
      name: `crowd, whole run: events (bound ${DEFAULT_MAX_EVENTS.toLocaleString('en')}${crowdWhole.out.truncated ? `, stopped at tick ${crowdWhole.out.to}` : ''})`,
      value: crowdWhole.out.events.length,
      unit: '',
    },
    { name: 'crowd, app window (last 60 ticks from a checkpoint): record, in the worker', value: win.ms, unit: 'ms' },
    { name: 'crowd, app window: events', value: win.out.events.length, unit: '' },
    {
      name: 'crowd, app window: JSON size (what the worker posts)',
      value: Math.round(JSON.stringify(win.out).length / 1024),
      unit: 'KB',
    },
    {
      name: 'crowd, app window: structured clone (the page pays this)',
      value: clone.ms,
      unit: 'ms',
      target: '< 50 ms',
    },
    { name: 'crowd, app window: causal past / concurrent of one event', value: rel.ms, unit: 'ms', target: '< 50 ms' },
    { name: 'crowd, whole run: ShiViz text', value: shiviz.ms, unit: 'ms' },
  ];
}
