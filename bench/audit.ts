import { performance } from 'node:perf_hooks';
import { worldAt } from '../src/sim/index';
import { defaultScenario, eventSourcingScenario } from '../src/sim/scenario/builtins';
import { auditTrail, keyTrail } from '../src/sim/audit/audit';
import type { Scenario } from '../src/sim/scenario/schema';
import type { Figure } from './engine';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeMs(f: () => unknown, runs = 7): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/**
 * The audit trail's cost on a long run. Inspect rebuilds the selected key's trail on every
 * cursor move, so one key's trail must fit well inside a frame; the whole trail is built
 * only on a click (a store-wide rollback) or by the CLI.
 */
export function auditBench(): Figure[] {
  const figures: Figure[] = [];
  const runs: [string, Scenario][] = [
    ['centralized, 50,000 ticks', { ...defaultScenario(), duration: 50_000 }],
    ['event sourcing, 20,000 ticks', { ...eventSourcingScenario(), duration: 20_000 }],
  ];
  for (const [label, s] of runs) {
    const w = worldAt(s, s.duration);
    const whole = auditTrail(w);
    const key = whole.entries[0]?.key ?? 'x';
    figures.push({
      name: `audit: ${label}: operations / changes`,
      value: w.history.length,
      unit: `/ ${whole.entries.length.toLocaleString('en')}`,
    });
    figures.push({
      name: `audit: ${label}: one key's newest 40 (Inspect, per frame)`,
      value: Number(timeMs(() => keyTrail(w, key, 40), 21).toFixed(2)),
      unit: 'ms',
      target: '≤ 2 ms',
    });
    figures.push({
      name: `audit: ${label}: one key's whole trail`,
      value: Number(timeMs(() => auditTrail(w, key)).toFixed(2)),
      unit: 'ms',
    });
    figures.push({
      name: `audit: ${label}: the whole trail (a store-wide rollback)`,
      value: Number(timeMs(() => auditTrail(w), 3).toFixed(1)),
      unit: 'ms',
      target: '≤ 200 ms',
    });
  }
  return figures;
}
