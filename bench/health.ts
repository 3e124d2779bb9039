import { performance } from 'node:perf_hooks';
import { worldAt, defaultScenario, type Scenario } from '../src/sim/index';
import type { HealthConfig } from '../src/sim/health/config';
import { healthReport } from '../src/sim/health/report';
import type { Figure } from './engine';

/**
 * Health checks: detection time (crash → suspected, crash → down) for the timeout and φ
 * detectors over many seeds; false suspicions as a link's latency and the network's jitter
 * grow; and what heartbeats cost the engine in ticks per second.
 */

const SEEDS = 40;
const TIMEOUT: HealthConfig = { period: 5, detector: 'timeout', suspectAfter: 15, downAfter: 40 };
const PHI: HealthConfig = { period: 5, detector: 'phi', suspect: 3, down: 8, window: 20 };

/** The median as the figure, the spread beside it. */
function distribution(name: string, xs: number[]): Figure {
  if (xs.length === 0) return { name, value: 0, unit: 'ticks (none detected)' };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { name, value: q(0.5), unit: `ticks median (min ${s[0]}, p90 ${q(0.9)}, max ${s[s.length - 1]})` };
}

function crashRun(config: HealthConfig, seed: number, jitter: number): Scenario {
  const crashAt = 150 + (seed % 37);
  return {
    ...defaultScenario(),
    seed,
    duration: 400,
    network: { latency: 3, jitter, loss: 0, duplication: 0 },
    health: config,
    actions: [
      { tick: crashAt, type: 'crash', node: 'store' },
      { tick: crashAt + 120, type: 'recover', node: 'store' },
    ],
  };
}

function detection(config: HealthConfig, jitter: number): { suspect: number[]; down: number[] } {
  const suspect: number[] = [];
  const down: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = healthReport(worldAt(crashRun(config, seed, jitter), 400).health)!;
    for (const d of r.detections) {
      if (d.toSuspect !== null) suspect.push(d.toSuspect);
      if (d.toDown !== null) down.push(d.toDown);
    }
  }
  return { suspect, down };
}

function falseSuspicions(config: HealthConfig, latency: number, jitter: number, loss: number): number {
  let n = 0;
  for (let seed = 1; seed <= SEEDS / 4; seed++) {
    const s: Scenario = {
      ...defaultScenario(),
      seed,
      duration: 600,
      network: { latency: 3, jitter, loss, duplication: 0 },
      health: config,
      actions: [{ tick: 100, type: 'set-link', from: 'store', to: 'agent1', latency }],
    };
    n += healthReport(worldAt(s, 600).health)!.falseSuspicions;
  }
  return n;
}

/** Best of eight, alternating with and without health, so warm-up and noise hit both alike. */
function ticksPerSecond(): [number, number] {
  const run = (health: HealthConfig | undefined): number => {
    const s: Scenario = { ...defaultScenario(), duration: 20_000, ...(health ? { health } : {}) };
    const t0 = performance.now();
    worldAt(s, s.duration);
    return s.duration / ((performance.now() - t0) / 1000);
  };
  let off = 0;
  let on = 0;
  for (let i = 0; i < 8; i++) {
    off = Math.max(off, run(undefined));
    on = Math.max(on, run(TIMEOUT));
  }
  return [Math.round(off), Math.round(on)];
}

export function healthBench(): Figure[] {
  const out: Figure[] = [];
  for (const [name, config] of [
    ['timeout 15/40', TIMEOUT],
    ['φ 3/8', PHI],
  ] as const) {
    for (const jitter of [0, 4]) {
      const d = detection(config, jitter);
      out.push(distribution(`${name}, jitter ${jitter}: crash → suspected (${SEEDS} seeds × 3 agents)`, d.suspect));
      out.push(distribution(`${name}, jitter ${jitter}: crash → down`, d.down));
    }
  }
  for (const [name, config] of [
    ['timeout 15/40', TIMEOUT],
    ['φ 3/8', PHI],
  ] as const) {
    for (const [latency, jitter, loss] of [
      [3, 0, 0],
      [10, 0, 0],
      [20, 0, 0],
      [3, 8, 0],
      [3, 0, 0.2],
      [3, 0, 0.5],
    ] as const) {
      out.push({
        name: `${name}: false suspicions, store→agent1 latency ${latency}, jitter ${jitter}, loss ${loss} (${SEEDS / 4} runs)`,
        value: falseSuspicions(config, latency, jitter, loss),
        unit: '',
      });
    }
  }
  const [off, on] = ticksPerSecond();
  out.push({ name: 'engine, default scenario, health off', value: off, unit: 'ticks/s' });
  out.push({ name: 'engine, default scenario, health on (period 5)', value: on, unit: 'ticks/s' });
  out.push({ name: '  overhead', value: Math.round((1 - on / off) * 100), unit: '%' });
  return out;
}
