import { performance } from 'node:perf_hooks';
import { Timeline, worldAt, type Scenario } from '../src/sim/index';
import { agent } from '../src/sim/scenario/builtins';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

/** 50 agents on random workloads over 10 keys: the engine's load test. */
export function fiftyAgents(duration = 10_000): Scenario {
  const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
  return {
    format: 1,
    name: '50 agents',
    seed: 1234,
    duration,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 3, jitter: 2, loss: 0.01, duplication: 0.01 },
    agents: Array.from({ length: 50 }, (_, i) =>
      agent(
        `agent${i + 1}`,
        { kind: 'random', keys, interval: 20, mix: { get: 5, set: 4, delete: 1, update: 1 } },
        200,
      ),
    ),
    actions: [
      { tick: 2000, type: 'crash', node: 'store' },
      { tick: 2100, type: 'recover', node: 'store' },
      {
        tick: 5000,
        type: 'partition',
        groups: [
          ['store', 'agent1', 'agent2'],
          ['agent3', 'agent4'],
        ],
      },
      { tick: 5500, type: 'heal-all' },
    ],
  };
}

/** A deterministic sequence of "random" ticks for the seek benchmark (no Math.random needed). */
function ticks(n: number, max: number): number[] {
  let x = 12345;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % (max + 1);
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function engineBench(): Figure[] {
  const s = fiftyAgents();
  const figures: Figure[] = [];

  // One run to warm the JIT, then the median of five: the machine is shared and noisy.
  let w = worldAt(s, s.duration);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    w = worldAt(s, s.duration);
    runs.push(performance.now() - t0);
  }
  const ms = median(runs);
  figures.push({
    name: 'engine: ticks per second, 50 agents, random workloads (median of 5, warm)',
    value: Math.round(s.duration / (ms / 1000)),
    unit: 'ticks/s',
  });
  figures.push({
    name: 'engine: operations simulated per second (the crowd, headless)',
    value: Math.round(w.history.length / (ms / 1000)),
    unit: 'ops/s',
    target: '≥ 200,000',
  });
  figures.push({ name: 'engine: busy ticks in the 10,000-tick run', value: w.metrics.busyTicks, unit: 'ticks' });

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const tl = new Timeline(s);
  const c0 = performance.now();
  tl.worldAt(s.duration);
  const fill = performance.now() - c0;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  figures.push({
    name: 'timeline: first pass over 10,000 ticks, making checkpoints',
    value: Math.round(fill),
    unit: 'ms',
  });

  const cold = new Timeline(s);
  const coldT = performance.now();
  cold.worldAt(7_777);
  figures.push({
    name: 'seek: cold, to tick 7,777 of a new timeline',
    value: Math.round(performance.now() - coldT),
    unit: 'ms',
  });

  const times = ticks(100, s.duration).map((t) => {
    const a = performance.now();
    tl.worldAt(t);
    return performance.now() - a;
  });
  figures.push({
    name: 'seek: to a random tick of a 10,000-tick scenario (median of 100)',
    value: +median(times).toFixed(1),
    unit: 'ms',
    target: '< 50 ms',
  });
  figures.push({
    name: 'seek: slowest of those 100',
    value: +Math.max(...times).toFixed(1),
    unit: 'ms',
    target: '< 50 ms',
  });
  figures.push({ name: 'checkpoints: count', value: tl.checkpointCount, unit: '' });
  figures.push({
    name: 'checkpoints: size if nothing were shared (JSON, an upper bound)',
    value: +(tl.checkpointBytes() / 1e6).toFixed(1),
    unit: 'MB',
  });
  figures.push({
    name: 'checkpoints: heap growth (run with --expose-gc for precision)',
    value: +((heapAfter - heapBefore) / 1e6).toFixed(1),
    unit: 'MB',
  });
  return figures;
}
