import { performance } from 'node:perf_hooks';
import { advance, initWorld, worldAt, type Scenario } from '../src/sim/index';
import type { HandlerCtx, Send } from '../src/sim/architectures/types';
import type { GossipConfig } from '../src/sim/architectures/gossip/config';
import { applyOp, gossip, type GossipState } from '../src/sim/architectures/gossip/gossip';
import { spread, sweepRow } from '../src/sim/architectures/gossip/sweep';
import { theoryRounds } from '../cli/sweep';
import { streamState } from '../src/sim/core/rng';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { Figure } from './engine';

/**
 * One gossip round of the architecture's own handlers at 1,000 and 10,000 replicas (outside
 * the engine, which caps a scenario at 32 replicas: a diagram of more is unreadable), the
 * engine running a 32-replica cluster, and the sweep's table beside the theory.
 */
function oneRound(n: number): Figure[] {
  const ids = Array.from({ length: n }, (_, i) => `r${i + 1}`);
  const config: GossipConfig = {
    kind: 'gossip',
    replicas: ids,
    mode: 'lww',
    exchange: 'push-pull',
    fanout: 1,
    period: 2,
    round: 'synchronous',
  };
  let x = 0;
  const ctx = (id: string, now: number): HandlerCtx => ({
    now,
    self: id,
    draw: (a, b) => a + ((x = (x * 1103515245 + 12345) >>> 0) % (b - a + 1)),
  });
  const states = new Map<string, GossipState>(ids.map((id) => [id, gossip.initServer(id, config)]));
  // 16 keys, written at 16 replicas: the state a round carries is small, the cluster large.
  for (let i = 0; i < 16; i++)
    applyOp(states.get(ids[(i * 7919) % n]!)!, config, 'set', { key: `k${i}`, value: `v${i}` }, 0);
  const t0 = performance.now();
  const wire: { from: string; m: Send }[] = [];
  for (const id of ids)
    for (const m of gossip.onTimer(states.get(id)!, { t: 'round', gen: 0 }, config, ctx(id, 2)).send)
      wire.push({ from: id, m });
  const requests = wire.length;
  for (let i = 0; i < wire.length; i++) {
    const { from, m } = wire[i]!;
    for (const r of gossip.onMessage(states.get(m.to)!, from, m.payload, config, ctx(m.to, 3)).send)
      wire.push({ from: m.to, m: r });
  }
  const ms = performance.now() - t0;
  let bytes = 0;
  for (const s of states.values()) bytes += s.totals.bytes;
  const informed = [...states.values()].filter((s) => Object.keys(s.doc.lww).length > 0).length;
  return [
    {
      name: `one push-pull round, ${n.toLocaleString('en')} replicas (handlers, 16 keys)`,
      value: Math.round(ms * 10) / 10,
      unit: 'ms',
    },
    { name: `  messages in that round (requests + replies)`, value: requests + (wire.length - requests), unit: 'msgs' },
    { name: `  bytes in that round (JSON)`, value: bytes, unit: 'B' },
    { name: `  replicas holding some write after it (16 had one)`, value: informed, unit: '' },
  ];
}

function modelRound(n: number): Figure {
  const g = xoroshiro128plusFromState(streamState(1, `bench-model:${n}`));
  const t0 = performance.now();
  spread({ n, mode: 'push-pull', fanout: 1, maxRounds: 1 }, g);
  return {
    name: `one push-pull round, ${n.toLocaleString('en')} replicas (abstract model)`,
    value: Math.round((performance.now() - t0) * 100) / 100,
    unit: 'ms',
  };
}

function engineCluster(): Figure[] {
  const replicas = Array.from({ length: 32 }, (_, i) => `r${i + 1}`);
  const s: Scenario = {
    format: 1,
    name: 'gossip 32',
    seed: 7,
    duration: 2000,
    architecture: {
      kind: 'gossip',
      replicas,
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
    },
    network: { latency: 2, jitter: 1, loss: 0.01, duplication: 0 },
    agents: Array.from({ length: 32 }, (_, i) => ({
      id: `agent${i + 1}`,
      workload: {
        kind: 'random' as const,
        keys: ['a', 'b', 'c', 'd'],
        interval: 20,
        mix: { get: 5, set: 4, delete: 1, update: 1 },
      },
      timeout: 20,
      retryEvery: 0,
    })),
    actions: [],
  };
  const t0 = performance.now();
  const w = worldAt(s, s.duration);
  const ms = performance.now() - t0;
  return [
    {
      name: 'engine: 32 replicas, 32 agents, push-pull every 4 ticks',
      value: Math.round(s.duration / (ms / 1000)),
      unit: 'ticks/s',
    },
    {
      name: '  gossip rounds per second (all replicas)',
      value: Math.round(s.duration / 4 / (ms / 1000)),
      unit: 'rounds/s',
    },
    { name: '  messages sent in 2,000 ticks', value: w.metrics.messagesSent, unit: 'msgs' },
  ];
}

/**
 * One synchronous push-pull round of 1,000 last-writer-wins replicas through the engine (its
 * network, timers and handlers; the scenario schema caps a diagram at 32 replicas, the engine
 * does not): one agent writes at r1 at tick 0, then rounds every 4 ticks; the figure is the
 * median round over the first 20 rounds of 3 runs after a warm-up run.
 */
export function lwwEngineRound(n = 1000): { ms: number; informed: number } {
  const replicas = Array.from({ length: n }, (_, i) => `r${i + 1}`);
  const s: Scenario = {
    format: 1,
    name: 'lww 1000',
    seed: 1,
    duration: 200,
    architecture: {
      kind: 'gossip',
      replicas,
      mode: 'lww',
      exchange: 'push-pull',
      fanout: 1,
      period: 4,
      round: 'synchronous',
    },
    network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
    agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 10, retryEvery: 0 }],
    actions: [{ tick: 0, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'v' } }],
  };
  const rounds: number[] = [];
  let informed = 0;
  for (let rep = 0; rep < 4; rep++) {
    const w = initWorld(s);
    advance(w, s, 3);
    for (let r = 1; r <= 20; r++) {
      const t0 = performance.now();
      advance(w, s, 4 * r + 3);
      if (rep > 0) rounds.push(performance.now() - t0);
    }
    informed = Object.values(w.servers).filter((x) => Object.keys((x.state as GossipState).doc.lww).length > 0).length;
  }
  rounds.sort((a, b) => a - b);
  return { ms: rounds[rounds.length >> 1]!, informed };
}

export function gossipBench(): Figure[] {
  const lww = lwwEngineRound();
  const figures: Figure[] = [
    {
      name: 'engine: one synchronous push-pull round, 1,000 LWW replicas, one writer (median)',
      value: Math.round(lww.ms * 100) / 100,
      unit: 'ms',
      target: '≤ 2 ms',
    },
    { name: `  replicas holding the write after 20 rounds`, value: lww.informed, unit: '' },
    ...oneRound(1000),
    ...oneRound(10_000),
    modelRound(1000),
    modelRound(10_000),
    ...engineCluster(),
  ];
  for (const mode of ['push', 'pull', 'push-pull'] as const) {
    for (const n of [10, 100, 1000, 10_000]) {
      const r = sweepRow(1, mode, n, 1, n === 10_000 ? 50 : 200);
      figures.push({
        name: `sweep ${mode.padEnd(9)} n=${String(n).padStart(5)} f=1: mean rounds (p95 ${r.p95}; ${r.trials} trials)`,
        value: Math.round(r.mean * 100) / 100,
        unit: 'rounds',
        target: `theory ${theoryRounds(mode, n, 1).toFixed(2)}`,
      });
    }
  }
  return figures;
}
