import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../src/sim/core/json';
import { worldAt } from '../src/sim/index';
import type { EventType } from '../src/sim/architectures/event-sourcing/config';
import { initView, stateAsOf, viewAdvance, type StoredEvent } from '../src/sim/architectures/event-sourcing/events';
import type { LogState, ProjectionState } from '../src/sim/architectures/event-sourcing/log';
import { eventSourcingScenario } from '../src/sim/scenario/builtins';
import type { Figure } from './engine';

/** A deterministic pseudo-random sequence (no Math.random in a reproducible figure). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
}

/** n events over 1,000 keys, every type and schema version, in batches of 1..3. */
export function syntheticLog(n: number): StoredEvent[] {
  const next = lcg(2026);
  const events: StoredEvent[] = [];
  while (events.length < n) {
    const size = Math.min(n - events.length, 1 + (next() % 3));
    const first = events.length + 1;
    for (let j = 0; j < size; j++) {
      const key = `k${next() % 1000}`;
      const r = next() % 10;
      const x = next() % 100;
      const y = next() % 100;
      const [type, schema, data]: [EventType, number, { [k: string]: JsonValue }] =
        r < 5
          ? ['key_set', 1, { key, value: `v${first + j}` }]
          : r < 6
            ? ['key_deleted', 1, { key }]
            : r < 8
              ? ['counter_incremented', 1, { key, by: 1 + (next() % 5) }]
              : r < 9
                ? next() % 2 === 0
                  ? ['update_position', 1, { x, y }]
                  : ['update_position', 2, { key, x, y }]
                : ['change_status', 2, { key, status: next() % 2 === 0 ? 'idle' : 'moving' }];
      events.push({
        v: first + j,
        type,
        schema,
        data,
        agent: `agent${1 + (next() % 50)}`,
        op: events.length + 1,
        at: Math.floor((first + j) / 10),
        commit: first + size - 1,
      });
    }
  }
  return events;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function eventSourcingBench(): Figure[] {
  const N = 100_000;
  const EVERY = 1_000;
  const QUERIES = 25;
  const figures: Figure[] = [];
  const events = syntheticLog(N);

  const b0 = performance.now();
  const view = initView();
  viewAdvance(view, events, N, 'snapshot', EVERY);
  const buildMs = performance.now() - b0;
  figures.push({
    name: `event sourcing: apply ${N.toLocaleString('en')} events once, snapshot every ${EVERY.toLocaleString('en')}`,
    value: Math.round(buildMs),
    unit: 'ms',
  });
  figures.push({ name: 'event sourcing: snapshots kept', value: view.snapshots.length, unit: '' });

  const next = lcg(7);
  const versions = Array.from({ length: QUERIES }, () => 1 + (next() % N));
  const scratchMs: number[] = [];
  const snapMs: number[] = [];
  let scratchApplied = 0;
  let snapApplied = 0;
  for (const v of versions) {
    let t = performance.now();
    scratchApplied += stateAsOf(events, [], v, 'rebuild').applied;
    scratchMs.push(performance.now() - t);
    t = performance.now();
    snapApplied += stateAsOf(events, view.snapshots, v, 'snapshot').applied;
    snapMs.push(performance.now() - t);
  }
  figures.push({
    name: `state as of a random version, from scratch (median of ${QUERIES})`,
    value: Math.round(median(scratchMs) * 100) / 100,
    unit: 'ms',
  });
  figures.push({
    name: '  events applied per query, from scratch (mean)',
    value: Math.round(scratchApplied / QUERIES),
    unit: 'events',
  });
  figures.push({
    name: `state as of a random version, from the nearest snapshot (median of ${QUERIES})`,
    value: Math.round(median(snapMs) * 1000) / 1000,
    unit: 'ms',
  });
  figures.push({
    name: '  events applied per query, from the nearest snapshot (mean)',
    value: Math.round(snapApplied / QUERIES),
    unit: 'events',
    target: `< ${EVERY.toLocaleString('en')}`,
  });

  // The reference's StateView against snapshots, in the builtin scenario run to 5,000 ticks.
  for (const mode of ['rebuild', 'snapshot'] as const) {
    const s = eventSourcingScenario();
    const scenario = { ...s, duration: 5_000, architecture: { ...s.architecture, view: mode } };
    const t = performance.now();
    const w = worldAt(scenario, scenario.duration);
    const ms = performance.now() - t;
    const log = w.servers['log']!.state as LogState;
    const p = w.servers['proj1']!.state as ProjectionState;
    figures.push({
      name: `builtin run, 5,000 ticks, view "${mode}": events applied by proj1 for ${log.events.length} events`,
      value: p.view.eventsApplied,
      unit: 'events',
    });
    figures.push({ name: `  run time`, value: Math.round(ms), unit: 'ms' });
  }
  return figures;
}
