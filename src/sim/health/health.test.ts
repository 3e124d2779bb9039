import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Action, Scenario } from '../scenario/schema';
import { parseScenario } from '../scenario/validate';
import {
  agent,
  defaultScenario,
  eventSourcingScenario,
  gossipScenario,
  partitionedScenario,
} from '../scenario/builtins';
import { initWorld, advance, worldAt, worldHash } from '../engine/engine';
import { Timeline } from '../timeline/timeline';
import { checkHistory } from '../history/check';
import type { OpRecord } from '../history/types';
import type { HealthConfig } from './config';
import { detectionBound, healthReport, suspicionOnsets } from './report';
import { phiOf } from './health';
import { LN10 } from './constants';
import { decodeLink, encodeEnvelope, makeEnvelope } from '../scenario/codec';
import { healthScenario } from '../scenario/builtins';
import { runs } from '../core/fuzz.testkit';

const TIMEOUT: HealthConfig = { period: 5, detector: 'timeout', suspectAfter: 15, downAfter: 40 };
const PHI: HealthConfig = { period: 5, detector: 'phi', suspect: 2, down: 5, window: 20 };

function withHealth(s: Scenario, health: HealthConfig, actions: Action[] = s.actions): Scenario {
  return { ...s, health, actions };
}

/** The history without ids (heartbeats take ids from the same counter). */
function shape(h: readonly OpRecord[]): unknown[] {
  return h.map(({ id: _id, ...rest }) => rest);
}

const architectures: { name: string; make: () => Scenario }[] = [
  { name: 'centralized', make: defaultScenario },
  { name: 'event sourcing', make: eventSourcingScenario },
  { name: 'partitioned', make: partitionedScenario },
  { name: 'gossip', make: gossipScenario },
];

describe('health checks', () => {
  it('are absent unless enabled: no state, no heartbeats', () => {
    const w = worldAt(defaultScenario(), 200);
    expect('health' in w).toBe(false);
    expect(Object.keys(w.rng).some((k) => k.startsWith('health:'))).toBe(false);
  });

  it('accepts a scenario with health and fallbacks, and rejects bad thresholds', () => {
    const s = withHealth(defaultScenario(), PHI);
    s.agents[0] = { ...s.agents[0]!, fallback: 'cache' };
    s.actions = [
      { tick: 10, type: 'set-health', health: TIMEOUT },
      { tick: 20, type: 'set-fallback', agent: 'agent2', fallback: 'fail-fast' },
      { tick: 30, type: 'set-health', health: null },
    ];
    expect(parseScenario(s).ok).toBe(true);
    const bad = withHealth(defaultScenario(), { ...TIMEOUT, downAfter: 3 });
    const r = parseScenario(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join(' ')).toMatch(/downAfter must be at least suspectAfter/);
    const ghost = {
      ...defaultScenario(),
      actions: [{ tick: 1, type: 'set-fallback' as const, agent: 'nobody', fallback: 'cache' as const }],
    };
    expect(parseScenario(ghost).ok).toBe(false);
  });

  it('are observation only: with no fallback, every architecture answers the same operations the same way', () => {
    for (const { name, make } of architectures) {
      const s = make();
      const crash: Action[] = [
        ...s.actions,
        {
          tick: 300,
          type: 'crash' as const,
          node:
            s.architecture.kind === 'gossip'
              ? 'r2'
              : s.architecture.kind === 'event-sourcing'
                ? 'proj1'
                : s.architecture.kind === 'partitioned'
                  ? 'shard1'
                  : 'store',
        },
      ].sort((a, b) => a.tick - b.tick);
      const off = worldAt({ ...s, actions: crash }, s.duration);
      const on = worldAt(withHealth(s, TIMEOUT, crash), s.duration);
      expect(shape(on.history), name).toEqual(shape(off.history));
      // Workloads' and links' streams are untouched: heartbeats draw from their own.
      for (const k of Object.keys(off.rng)) expect(on.rng[k], `${name} ${k}`).toEqual(off.rng[k]);
      expect(on.health!.stats.heartbeatsSent, name).toBeGreaterThan(0);
      expect(on.health!.stats.detections, name).toBeGreaterThan(0);
    }
  });

  it('heartbeats are real messages: counted in the metrics, lost on cut links', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [{ tick: 50, type: 'cut-link', from: 'store', to: 'agent1' }]);
    const w = worldAt(s, 200);
    const off = worldAt({ ...s, health: undefined as never }, 200);
    const h = w.health!;
    expect(w.metrics.messagesSent - off.metrics.messagesSent).toBe(h.stats.heartbeatsSent);
    expect(w.metrics.droppedCut).toBeGreaterThan(off.metrics.droppedCut);
    expect(h.views['agent1']!['store']!.status).toBe('down');
    expect(h.views['agent2']!['store']!.status).toBe('healthy');
    const r = healthReport(h)!;
    expect(r.falseSuspicions).toBe(1);
    expect(r.falseByCause.cut).toBe(1);
  });

  it('measures detection time for a crash and clears the suspicion after recovery', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 100, type: 'crash', node: 'store' },
      { tick: 200, type: 'recover', node: 'store' },
    ]);
    const w = worldAt(s, 260);
    const r = healthReport(w.health)!;
    expect(r.detections.map((d) => d.observer)).toEqual(['agent1', 'agent2', 'agent3']);
    for (const d of r.detections) {
      expect(d.toSuspect).not.toBeNull();
      expect(d.toSuspect!).toBeGreaterThanOrEqual(TIMEOUT.suspectAfter - 3 - 1);
      expect(d.toSuspect!).toBeLessThanOrEqual(detectionBound(TIMEOUT, 'suspect', 4));
      expect(d.toDown!).toBeLessThanOrEqual(detectionBound(TIMEOUT, 'down', 4));
    }
    expect(r.falseSuspicions).toBe(0);
    for (const a of ['agent1', 'agent2', 'agent3']) expect(w.health!.views[a]!['store']!.status).toBe('healthy');
  });

  it('a share link carries the health settings and fallbacks, and replays to the same world', () => {
    const s = healthScenario();
    s.actions = [
      ...s.actions,
      { tick: 500, type: 'set-health', health: PHI },
      { tick: 510, type: 'set-fallback', agent: 'agent4', fallback: 'cache' },
    ];
    const link = encodeEnvelope(makeEnvelope(s, 520));
    const d = decodeLink(link);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.envelope.scenario).toEqual(s);
    expect(worldHash(worldAt(d.envelope.scenario, 520))).toBe(d.envelope.hash);
  });

  it('φ is linear in the silence: φ(t) = t / (mean · ln 10)', () => {
    expect(phiOf(0, 5)).toBe(0);
    expect(phiOf(5 * LN10, 5)).toBeCloseTo(1, 12);
    expect(phiOf(40, 5)).toBeCloseTo(2 * phiOf(20, 5), 12);
  });

  it('counts false suspicions when latency rises above the timeout, and none without faults', () => {
    for (const config of [TIMEOUT, PHI]) {
      const quiet = worldAt(withHealth(defaultScenario(), config, []), 600);
      expect(healthReport(quiet.health)!.falseSuspicions, config.detector).toBe(0);
      const slow = worldAt(
        withHealth(defaultScenario(), config, [
          { tick: 100, type: 'set-link', from: 'store', to: 'agent2', latency: 60 },
        ]),
        600,
      );
      const r = healthReport(slow.health)!;
      expect(r.falseSuspicions, config.detector).toBeGreaterThan(0);
      expect(r.falseByCause.late, config.detector).toBe(r.falseSuspicions);
      expect(r.detections).toEqual([]);
    }
  });

  it('property: every crash is suspected (and marked down) within the bound by every observer up throughout; no false suspicion without faults', () => {
    const arb = fc.record({
      arch: fc.constantFrom(0, 1, 2, 3),
      seed: fc.nat({ max: 0xffff_ffff }),
      latency: fc.integer({ min: 1, max: 5 }),
      jitter: fc.integer({ min: 0, max: 3 }),
      period: fc.integer({ min: 1, max: 8 }),
      slack: fc.integer({ min: 1, max: 10 }),
      phi: fc.boolean(),
      phiSuspect: fc.double({ min: 0.5, max: 4, noNaN: true }),
      crashes: fc.array(fc.tuple(fc.nat({ max: 400 }), fc.nat({ max: 7 }), fc.integer({ min: 1, max: 150 })), {
        minLength: 1,
        maxLength: 5,
      }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const base = architectures[r.arch]!.make();
        const servers = initWorld(base).servers;
        const ids = [...Object.keys(servers), ...base.agents.map((a) => a.id)];
        const config: HealthConfig = r.phi
          ? { period: r.period, detector: 'phi', suspect: r.phiSuspect, down: r.phiSuspect * 2, window: 10 }
          : {
              period: r.period,
              detector: 'timeout',
              suspectAfter: r.period + r.latency + r.jitter + r.slack,
              downAfter: r.period + r.latency + r.jitter + r.slack * 3,
            };
        const actions: Action[] = [];
        for (const [t, who, len] of r.crashes) {
          const node = ids[who % ids.length]!;
          actions.push({ tick: t, type: 'crash', node }, { tick: t + len, type: 'recover', node });
        }
        actions.sort((a, b) => a.tick - b.tick);
        const s: Scenario = {
          ...base,
          seed: r.seed,
          duration: 600,
          network: { latency: r.latency, jitter: r.jitter, loss: 0, duplication: 0 },
          health: config,
          actions,
        };
        // Pull every projection often, so gossip's period rule holds for any latency.
        if (s.architecture.kind === 'gossip')
          s.architecture = { ...s.architecture, period: Math.max(s.architecture.period, r.latency + r.jitter) };
        const w = worldAt(s, 600);
        const errors = new Set(w.actionErrors.map((e) => e.index));
        // Crash intervals that applied, per node.
        const down: { node: string; from: number; to: number }[] = [];
        actions.forEach((a, i) => {
          if (errors.has(i)) return;
          if (a.type === 'crash') down.push({ node: a.node, from: a.tick, to: Infinity });
          if (a.type === 'recover') {
            const open = down.find((d) => d.node === a.node && d.to === Infinity);
            if (open) open.to = a.tick;
          }
        });
        const upThroughout = (node: string, from: number, to: number): boolean =>
          !down.some((d) => d.node === node && d.from <= to && d.to >= from);
        const maxLatency = r.latency + r.jitter;
        const report = healthReport(w.health)!;
        // Every applied crash of a watched node opens a record for each of its watchers.
        for (const c of down) {
          const ws = w.health!.watchers[c.node] ?? [];
          const recs = report.detections
            .filter((d) => d.target === c.node && d.crashedAt === c.from)
            .map((d) => d.observer);
          expect(recs, `${c.node} crashed at ${c.from}`).toEqual(ws);
        }
        for (const d of report.detections) {
          const crash = down.find((x) => x.node === d.target && x.from === d.crashedAt)!;
          expect(crash).toBeDefined();
          for (const level of ['suspect', 'down'] as const) {
            // φ scales with the mean the observer measured (a crash too short to be noticed
            // leaves a long inter-arrival in its window, on purpose: that is φ adapting).
            const bound = detectionBound(config, level, maxLatency, d.mean);
            const took = level === 'suspect' ? d.toSuspect : d.toDown;
            // Only an observer that was up from the crash to the bound, and a crash that lasted
            // past it (a target that came back may be heard again first), must have noticed.
            if (
              crash.to - crash.from > bound &&
              d.crashedAt + bound <= 600 &&
              upThroughout(d.observer, d.crashedAt - maxLatency - config.period, d.crashedAt + bound)
            ) {
              expect(took, `${d.observer} → ${d.target} ${level}`).not.toBeNull();
              expect(took!, `${d.observer} → ${d.target} ${level}`).toBeLessThanOrEqual(bound);
            }
          }
        }
        // Without faults a timeout longer than period + latency + jitter never fires on a live
        // node (not even before the first heartbeat arrives).
        if (config.detector === 'timeout') expect(report.falseSuspicions).toBe(0);
      }),
      { numRuns: runs(40) },
    );
  });

  it('a timeline seeks, forks and replays worlds with health exactly', () => {
    const s = withHealth(defaultScenario(), PHI, [
      { tick: 80, type: 'crash', node: 'store' },
      { tick: 150, type: 'recover', node: 'store' },
      { tick: 200, type: 'set-health', health: TIMEOUT },
    ]);
    const tl = new Timeline(s, { interval: 50 });
    const end = worldHash(tl.worldAt(400));
    expect(worldHash(tl.worldAt(120))).toBe(worldHash(worldAt(s, 120)));
    expect(end).toBe(worldHash(worldAt(s, 400)));
    const w = initWorld(s);
    advance(w, s, 170);
    advance(w, s, 400);
    expect(worldHash(w)).toBe(end);
  });

  it('turning health off removes its state and its timers; on again starts afresh', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 50, type: 'set-health', health: null },
      { tick: 52, type: 'set-health', health: PHI },
    ]);
    const w = worldAt(s, 51);
    expect(w.health).toBeUndefined();
    expect(w.timers.some((t) => (t.payload as { t?: string }).t === 'health')).toBe(false);
    const w2 = worldAt(s, 300);
    expect(w2.health!.config.detector).toBe('phi');
    expect(w2.health!.epoch).toBe(52);
    // One timer per participating node, never two.
    const perNode = new Map<string, number>();
    for (const t of w2.timers)
      if ((t.payload as { t?: string }).t === 'health') perNode.set(t.node, (perNode.get(t.node) ?? 0) + 1);
    expect([...perNode.values()].every((n) => n === 1)).toBe(true);
    expect(w2.health!.views['agent1']!['store']!.status).toBe('healthy');
  });

  it('follows the topology: a spawned agent watches its server, a removed one stops', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 30, type: 'spawn-agent', agent: agent('agent9', { kind: 'idle' }) },
      { tick: 60, type: 'remove-agent', agent: 'agent1' },
    ]);
    const w = worldAt(s, 100);
    expect(Object.keys(w.health!.views).sort()).toEqual(['agent2', 'agent3', 'agent9']);
    expect(w.health!.watchers['store']).toEqual(['agent2', 'agent3', 'agent9']);
  });
});

describe('fallbacks', () => {
  const crashStore: Action[] = [
    { tick: 100, type: 'crash', node: 'store' },
    { tick: 300, type: 'recover', node: 'store' },
  ];

  it('fail-fast fails at once, unsent, while the store is suspected, with the reason', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, crashStore);
    s.agents = s.agents.map((a) => ({ ...a, fallback: 'fail-fast' as const }));
    const w = worldAt(s, 400);
    const fast = w.history.filter((r) => r.via);
    expect(fast.length).toBeGreaterThan(3);
    for (const r of fast) {
      expect(r.via!.fallback).toBe('fail-fast');
      expect(r.outcome).toBe('fail');
      expect(r.completedAt).toBe(r.invokedAt);
      expect(r.reason).toMatch(/store is (suspected|marked down) by agent\d's failure detector/);
      expect(r.invokedAt).toBeGreaterThanOrEqual(100 + TIMEOUT.suspectAfter - 4);
    }
    // Fewer operations time out than without the fallback.
    const off = worldAt({ ...s, agents: defaultScenario().agents }, 400);
    const infos = (h: readonly OpRecord[]): number => h.filter((r) => r.outcome === 'info').length;
    expect(infos(w.history)).toBeLessThan(infos(off.history));
  });

  it('retry-other sends to another replica in gossip; the centralized store has none', () => {
    const g = gossipScenario();
    const s = withHealth(g, TIMEOUT, [{ tick: 200, type: 'crash', node: 'r1' }]);
    s.agents = s.agents.map((a) => ({
      ...a,
      fallback: 'retry-other' as const,
      workload: { kind: 'random' as const, keys: ['x'], interval: 6, mix: { get: 1, set: 1, delete: 0, update: 0 } },
    }));
    const w = worldAt(s, 400);
    const moved = w.history.filter((r) => r.via);
    expect(moved.length).toBeGreaterThan(0);
    for (const r of moved) {
      expect(r.agent).toBe('agent1');
      expect(r.via).toMatchObject({ fallback: 'retry-other', suspected: 'r1' });
      expect(['r2', 'r3', 'r4']).toContain(r.via!.to);
    }
    expect(moved.some((r) => r.outcome === 'ok')).toBe(true);

    const c = withHealth(defaultScenario(), TIMEOUT, crashStore);
    c.agents = c.agents.map((a) => ({ ...a, fallback: 'retry-other' as const }));
    const cw = worldAt(c, 400);
    const none = cw.history.filter((r) => r.via);
    expect(none.length).toBeGreaterThan(0);
    for (const r of none) expect(r.reason).toMatch(/no other server can serve/);
  });

  it('retry-other reads from the log when an event-sourcing projection is suspected', () => {
    const e = eventSourcingScenario();
    const s = withHealth(e, TIMEOUT, [{ tick: 100, type: 'crash', node: 'proj1' }]);
    s.architecture = {
      ...s.architecture,
      kind: 'event-sourcing',
      defaultProjection: 'proj1',
    } as Scenario['architecture'];
    s.agents = s.agents.map((a) => ({ ...a, fallback: 'retry-other' as const }));
    const w = worldAt(s, 400);
    const moved = w.history.filter((r) => r.via);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((r) => r.via!.to !== 'proj1' && r.via!.to !== undefined)).toBe(true);
    expect(moved.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(0);
  });

  it('cache serves reads it has seen, marked stale with their age; the checker flags the stale ones and does not crash', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 100, type: 'crash', node: 'store' },
      { tick: 400, type: 'recover', node: 'store' },
    ]);
    s.agents = [
      {
        ...agent('reader', { kind: 'random', keys: ['x'], interval: 5, mix: { get: 1, set: 0, delete: 0, update: 0 } }),
        fallback: 'cache',
      },
      agent('writer', { kind: 'random', keys: ['x'], interval: 5, mix: { get: 0, set: 1, delete: 0, update: 0 } }),
    ];
    // The writer's store is cut off from the reader only: the reader suspects it, the writer goes on.
    s.actions = [
      { tick: 100, type: 'cut-link', from: 'store', to: 'reader' },
      { tick: 100, type: 'cut-link', from: 'reader', to: 'store' },
      { tick: 300, type: 'heal-all' },
    ];
    const w = worldAt(s, 400);
    const cached = w.history.filter((r) => r.via?.fallback === 'cache' && r.outcome === 'ok');
    expect(cached.length).toBeGreaterThan(3);
    for (const r of cached) {
      expect(r.via!.staleFor!).toBeGreaterThan(0);
      expect(r.result).toMatchObject({ cached: true, staleFor: r.via!.staleFor });
    }
    const report = checkHistory({ ops: w.history });
    expect(report.linearizable).toBe(false);
    expect(report.anomalyCounts['stale-read']).toBeGreaterThan(0);
  });

  it('set-fallback changes it mid-run and none leaves the agent as before', () => {
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 10, type: 'set-fallback', agent: 'agent1', fallback: 'cache' },
      { tick: 20, type: 'set-fallback', agent: 'agent1', fallback: 'none' },
    ]);
    expect(worldAt(s, 15).agents['agent1']!.cache).toEqual(expect.any(Object));
    const a = worldAt(s, 25).agents['agent1']!;
    expect('fallback' in a || 'cache' in a).toBe(false);
  });
});

describe('health regressions', () => {
  /** The default scenario's store crashing and recovering, watched by φ (down at twice suspect). */
  const storeDown = (
    jitter: number,
    period: number,
    suspect: number,
    spans: [number, number][],
    duration?: number,
  ): Scenario => ({
    ...defaultScenario(),
    seed: 0,
    ...(duration === undefined ? {} : { duration }),
    network: { latency: 1, jitter, loss: 0, duplication: 0 },
    health: { period, detector: 'phi', suspect, down: suspect * 2, window: 10 },
    actions: spans.flatMap(([from, to]): Action[] => [
      { tick: from, type: 'crash', node: 'store' },
      { tick: to, type: 'recover', node: 'store' },
    ]),
  });

  it('CI, fast-check: an observer that suspected before the crash and then heard an in-flight heartbeat marks down within the bound of its new mean', () => {
    const s = storeDown(3, 1, 0.7600153433306908, [[2, 12]], 600);
    const d = healthReport(worldAt(s, 20).health)!.detections.find((x) => x.observer === 'agent1')!;
    // It suspected at tick 1, before any heartbeat, so the crash found it suspecting.
    expect(d.toSuspect).toBe(0);
    // Heartbeats sent by tick 2 arrived at 2 and 4; the second made a sample of 2 ticks.
    expect(d.mean).toBe(2);
    expect(d.toDown!).toBeLessThanOrEqual(detectionBound(s.health!, 'down', 4, d.mean));
  });

  it('CI, fast-check: a detection records its mean from the crash on, so a crash shorter than its bound is not required to be noticed', () => {
    const s = storeDown(
      0,
      3,
      0.7238241365054198,
      [
        [1, 7],
        [9, 20],
      ],
      600,
    );
    const d = healthReport(worldAt(s, 30).health)!.detections.filter((x) => x.observer === 'agent2');
    // The first crash went unnoticed and left an 8-tick gap: the second runs on a mean of 8,
    // whose bound (3 + 14 + 1) is longer than the 11 ticks it lasted.
    expect(d.map((x) => [x.crashedAt, x.toSuspect, x.mean])).toEqual([
      [1, null, 3],
      [9, null, 8],
    ]);
    expect(detectionBound(s.health!, 'suspect', 1, d[1]!.mean)).toBeGreaterThan(11);
  });

  it("seed 987348099: a crash too short to notice lengthens φ's mean, and the bound follows the measured mean", () => {
    const s = storeDown(0, 2, 2.25, [
      [65, 72],
      [74, 89],
    ]);
    const d = healthReport(worldAt(s, 120).health)!.detections.filter((x) => x.observer === 'agent1');
    expect(d[0]!.toSuspect).toBeNull();
    expect(d[1]!.mean).toBeGreaterThan(2);
    expect(d[1]!.toSuspect!).toBeLessThanOrEqual(detectionBound(s.health!, 'suspect', 1, d[1]!.mean));
  });
});

describe("suspicion onsets (the timeline bar's marks)", () => {
  it('are one per healthy → suspected transition, true ones after the crash and false ones apart', () => {
    const s = healthScenario();
    const w = worldAt(s, s.duration);
    const h = w.health!;
    const onsets = suspicionOnsets(h);
    expect(onsets.length).toBe(h.stats.suspicions);
    expect(onsets.filter((o) => o.false).length).toBe(h.stats.falseSuspicions);
    const crash = s.actions.find((a) => a.type === 'crash')!;
    const truths = onsets.filter((o) => !o.false);
    expect(truths.length).toBeGreaterThan(0);
    for (const o of truths) {
      expect(o.target).toBe('r1');
      expect(o.tick).toBeGreaterThan(crash.tick);
      expect(o.tick - crash.tick).toBeLessThanOrEqual(detectionBound(s.health!, 'suspect', 10));
    }
    expect(onsets.filter((o) => o.false).length).toBeGreaterThan(0);
    expect(onsets.map((o) => o.tick)).toEqual([...onsets.map((o) => o.tick)].sort((a, b) => a - b));
  });

  it('skip a detection whose observer already suspected the target, and are empty without health', () => {
    expect(suspicionOnsets(undefined)).toEqual([]);
    const s = withHealth(defaultScenario(), TIMEOUT, [
      { tick: 50, type: 'cut-link', from: 'store', to: 'agent1' },
      { tick: 150, type: 'crash', node: 'store' },
    ]);
    const h = worldAt(s, 250).health!;
    const of1 = suspicionOnsets(h).filter((o) => o.observer === 'agent1');
    // agent1 suspected the store falsely over the cut link; the crash then adds no onset for it.
    expect(of1).toEqual([{ observer: 'agent1', target: 'store', tick: h.falseSuspicions[0]!.at, false: true }]);
    expect(h.detections.some((d) => d.observer === 'agent1' && d.suspectedAt === d.crashedAt)).toBe(true);
    expect(
      suspicionOnsets(h)
        .filter((o) => !o.false)
        .map((o) => o.observer),
    ).toEqual(['agent2', 'agent3']);
  });
});
