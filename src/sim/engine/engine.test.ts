import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { advance, initWorld, worldAt, worldHash, nextEventTick } from './engine';
import { scenarioArb } from '../scenario/arbitrary.testkit';
import { defaultScenario, faultsScenario } from '../scenario/builtins';
import { parseScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import type { World } from './types';
import { cloneJson } from '../core/hash';
import { runs } from '../core/fuzz.testkit';

describe('determinism', () => {
  it('200 random scenarios with loss, duplication, partitions and crashes give equal hashes when run twice', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        expect(parseScenario(s).ok).toBe(true);
        const a = worldAt(s, s.duration);
        const b = worldAt(cloneJson(s), s.duration);
        expect(worldHash(a)).toBe(worldHash(b));
      }),
      { numRuns: runs(200) },
    );
  });

  it('advancing in pieces gives the same world as advancing at once', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.array(fc.nat({ max: 300 }), { maxLength: 6 }), (s, cuts) => {
        const whole = worldAt(s, s.duration);
        const w = initWorld(s);
        for (const c of [...cuts].sort((x, y) => x - y)) if (c <= s.duration && c >= w.now) advance(w, s, c);
        advance(w, s, s.duration);
        expect(worldHash(w)).toBe(worldHash(whole));
      }),
      { numRuns: runs(50) },
    );
  });
});

describe('the observer', () => {
  it('sees every message and action, and observing changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const seen = { sent: 0, dup: 0, delivered: 0, lost: 0, cut: 0, crashed: 0, hand: 0, actions: 0, errors: 0 };
        const w = initWorld(s);
        advance(w, s, s.duration, undefined, {
          send: (m) => {
            seen.sent += 1;
            if (m.duplicate) seen.dup += 1;
          },
          deliver: () => {
            seen.delivered += 1;
          },
          drop: (_m, why) => {
            if (why === 'lost') seen.lost += 1;
            else if (why === 'cut') seen.cut += 1;
            else if (why === 'crashed') seen.crashed += 1;
            else seen.hand += 1;
          },
          action: (_a, _i, err) => {
            seen.actions += 1;
            if (err !== null) seen.errors += 1;
          },
        });
        expect(worldHash(w)).toBe(worldHash(worldAt(s, s.duration)));
        // Metrics count a duplicate copy under `duplicated`, not under `messagesSent`.
        expect(seen.sent - seen.dup).toBe(w.metrics.messagesSent);
        expect(seen.dup).toBe(w.metrics.duplicated);
        expect(seen.delivered).toBe(w.metrics.messagesDelivered);
        expect([seen.lost, seen.cut, seen.crashed, seen.hand]).toEqual([
          w.metrics.droppedLost,
          w.metrics.droppedCut,
          w.metrics.droppedCrashed,
          w.metrics.droppedByHand,
        ]);
        expect(seen.actions).toBe(w.actionsApplied);
        expect(seen.errors).toBe(w.actionErrors.length);
      }),
      { numRuns: runs(40) },
    );
  });
});

describe('the world hash covers everything', () => {
  const base = (): World => worldAt(faultsScenario(), 300);
  const h0 = worldHash(base());
  const perturb: [string, (w: World) => void][] = [
    [
      'generator state',
      (w) => {
        const k = Object.keys(w.rng)[0]!;
        w.rng[k] = [...w.rng[k]!];
        w.rng[k]![0]! ^= 1;
      },
    ],
    [
      'clock',
      (w) => {
        w.now += 1;
      },
    ],
    [
      "a node's state",
      (w) => {
        (w.servers['store']!.state as { version: number }).version += 1;
      },
    ],
    [
      "an agent's state",
      (w) => {
        w.agents['agent1']!.seq += 1;
      },
    ],
    [
      'messages in flight',
      (w) => {
        w.net.inFlight.push({
          id: 999_999,
          from: 'agent1',
          to: 'store',
          sentAt: 1,
          deliverAt: 400,
          payload: null,
          duplicate: false,
        });
      },
    ],
    [
      'timers',
      (w) => {
        w.timers[0]!.at += 1;
      },
    ],
    [
      'the history',
      (w) => {
        w.history[0] = { ...w.history[0]!, invokedAt: w.history[0]!.invokedAt + 1 };
      },
    ],
    [
      'a completed record is frozen, shared by copies, and cannot be changed in place',
      (w) => {
        expect(() => {
          (w.history[0] as { invokedAt: number }).invokedAt = 0;
        }).toThrow();
        w.history.pop();
      },
    ],
    [
      'the network',
      (w) => {
        w.net.cut['agent1>store'] = true;
      },
    ],
  ];
  for (const [what, f] of perturb) {
    it(`changes when the ${what} changes`, () => {
      const w = base();
      expect(worldHash(w)).toBe(h0);
      f(w);
      expect(worldHash(w)).not.toBe(h0);
    });
  }
});

describe('time and order', () => {
  it('nothing happens at a tick without an event: the world only changes at busy ticks', () => {
    const s = defaultScenario();
    const w = initWorld(s);
    advance(w, s, 0);
    for (let i = 0; i < 50; i++) {
      const next = nextEventTick(w, s)!;
      expect(next).toBeGreaterThan(w.now);
      const before = { ...cloneJson(w), now: next - 1 };
      const idle = cloneJson(w);
      advance(idle, s, next - 1);
      expect(worldHash(idle)).toBe(worldHash(before));
      advance(w, s, next);
    }
  });

  it('actions apply before deliveries of the same tick: a cut at the delivery tick drops the message', () => {
    const s: Scenario = {
      ...defaultScenario(),
      agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 30, retryEvery: 0 }],
      network: { latency: 5, jitter: 0, loss: 0, duplication: 0 },
    };
    const withCut: Scenario = {
      ...s,
      actions: [
        { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 1 } },
        { tick: 6, type: 'cut-link', from: 'agent1', to: 'store' },
      ],
    };
    const w = worldAt(withCut, 60);
    expect(w.history[0]!.outcome).toBe('info');
    expect(w.history[0]!.reason).toMatch(/link agent1 → store is cut/);
    const cutLater: Scenario = { ...withCut, actions: [withCut.actions[0]!, { ...withCut.actions[1]!, tick: 7 }] };
    expect(worldAt(cutLater, 60).history[0]!.outcome).toBe('ok');
  });

  it('a request to a crashed store times out, and says why', () => {
    const s: Scenario = { ...defaultScenario(), actions: [{ tick: 50, type: 'crash', node: 'store' }] };
    const w = worldAt(s, 200);
    const late = w.history.filter((r) => r.invokedAt > 50 && r.outcome !== null);
    expect(late.length).toBeGreaterThan(3);
    for (const r of late) {
      expect(r.outcome).toBe('info');
      expect(r.reason).toMatch(/store/);
    }
  });

  it('a crashed store keeps its storage and serves it after recovery', () => {
    const s: Scenario = {
      ...defaultScenario(),
      agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 30, retryEvery: 0 }],
      actions: [
        { tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'kept' } },
        { tick: 40, type: 'crash', node: 'store' },
        { tick: 60, type: 'recover', node: 'store' },
        { tick: 61, type: 'op', agent: 'agent1', op: 'get', args: { key: 'k' } },
      ],
    };
    const w = worldAt(s, 120);
    expect(w.history.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    expect(w.history[1]!.result).toEqual({ value: 'kept', version: 1 });
  });

  it('an action that cannot apply is kept and explained, not thrown', () => {
    const s: Scenario = {
      ...defaultScenario(),
      actions: [
        { tick: 5, type: 'recover', node: 'store' },
        { tick: 6, type: 'drop-message', message: 123456 },
      ],
    };
    const w = worldAt(s, 10);
    expect(w.actionErrors.map((e) => e.reason)).toEqual(['store is not crashed', 'message 123456 is not in flight']);
  });

  it('a duplicated or retried request is applied once', () => {
    const s: Scenario = {
      ...defaultScenario(),
      network: { latency: 3, jitter: 2, loss: 0, duplication: 1 },
      agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 40, retryEvery: 2 }],
      actions: [{ tick: 1, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 'once' } }],
    };
    const w = worldAt(s, 100);
    const st = w.servers['store']!.state as {
      version: number;
      stats: { duplicatesIgnored: number; repliesResent: number };
    };
    expect(w.metrics.duplicated).toBeGreaterThan(0);
    expect(st.stats.duplicatesIgnored + st.stats.repliesResent).toBeGreaterThan(0);
    expect(st.version).toBe(1);
    expect(w.history[0]!.outcome).toBe('ok');
  });
});

describe('hostile workloads', () => {
  it('a key list with repeats (a hot key) runs multi-key updates instead of hanging', () => {
    const s: Scenario = {
      ...defaultScenario(),
      duration: 300,
      agents: [
        {
          id: 'agent1',
          workload: {
            kind: 'random',
            keys: ['hot', 'hot', 'hot'],
            interval: 3,
            mix: { get: 0, set: 0, delete: 0, update: 1 },
          },
          timeout: 20,
          retryEvery: 0,
        },
      ],
    };
    expect(parseScenario(s).ok).toBe(true);
    const w = worldAt(s, s.duration);
    const updates = w.history.filter((r) => r.op === 'update' && r.outcome === 'ok');
    expect(updates.length).toBeGreaterThan(10);
    expect(updates.every((r) => JSON.stringify(r.args).includes('"hot"'))).toBe(true);
  });
});
