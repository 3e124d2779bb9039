import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioArb } from '../scenario/arbitrary.testkit';
import { builtinScenarios, faultsScenario, defaultScenario } from '../scenario/builtins';
import { worldAt, worldHash } from '../engine/engine';
import { checkHistory, checkHistoryText } from '../history/check';
import { parseStateLabJson, stringifyStateLabHistory } from '../history/formats';
import type { Scenario } from '../scenario/schema';
import { recordTrace, recordTraceFrom, type Trace } from './trace';
import { causalPast, compareEvents, concurrentWith, happensBefore, relations } from './clock';
import { SHIVIZ_REGEX, toShiViz } from './shiviz';
import { runs } from '../core/fuzz.testkit';

/** Reachability in the event graph (lane order + send → receive), for the first `n` events. */
function reach(trace: Trace, n: number): boolean[][] {
  const succ: number[][] = Array.from({ length: n }, () => []);
  const lastOnLane = new Map<number, number>();
  for (const e of trace.events.slice(0, n)) {
    const prev = lastOnLane.get(e.lane);
    if (prev !== undefined) succ[prev]!.push(e.id);
    lastOnLane.set(e.lane, e.id);
  }
  for (const m of trace.messages) if (m.receive !== null && m.receive < n && m.send < n) succ[m.send]!.push(m.receive);
  return Array.from({ length: n }, (_, a) => {
    const seen = new Array<boolean>(n).fill(false);
    const stack = [...succ[a]!];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen[x]) continue;
      seen[x] = true;
      stack.push(...succ[x]!);
    }
    return seen;
  });
}

/** Throws with a message; cheaper than expect() in the quadratic loops below. */
function law(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** The laws of happens-before, checked on one trace (pairs and triples over its first events). */
function checkLaws(trace: Trace, n = 100): void {
  const ev = trace.events.slice(0, n);
  const r = reach(trace, ev.length);
  for (const a of ev) {
    law(!happensBefore(a, a), `irreflexive: ${a.id}`);
    for (const b of ev) {
      const ab = happensBefore(a, b);
      law(ab === r[a.id]![b.id], `vector clocks disagree with the event graph on ${a.id} → ${b.id}`);
      law(!(ab && happensBefore(b, a)), `antisymmetric: ${a.id}, ${b.id}`);
      law(
        (compareEvents(a, b) === 'concurrent') === (compareEvents(b, a) === 'concurrent'),
        `concurrency symmetric: ${a.id}, ${b.id}`,
      );
    }
  }
  for (const a of ev.slice(0, 40)) {
    for (const b of ev) {
      if (!happensBefore(a, b)) continue;
      for (const c of ev) if (happensBefore(b, c)) law(happensBefore(a, c), `transitive: ${a.id} → ${b.id} → ${c.id}`);
    }
  }
  // Local order: each lane's events are ordered, numbered 1, 2, … in its own entry.
  const seq = new Map<number, number>();
  const prev = new Map<number, (typeof ev)[number]>();
  for (const e of trace.events) {
    const s = (seq.get(e.lane) ?? 0) + 1;
    seq.set(e.lane, s);
    law(e.seq === s && e.clock[e.lane] === s, `lane numbering at ${e.id}`);
    const p = prev.get(e.lane);
    if (p) law(happensBefore(p, e) && e.tick >= p.tick, `local order ${p.id} then ${e.id}`);
    prev.set(e.lane, e);
  }
  // A message's send happens before its receive, on the lanes it names.
  for (const m of trace.messages) {
    const s = trace.events[m.send]!;
    law(s.kind === 'send' && s.lane === m.from, `message ${m.id}: send event`);
    if (m.receive !== null) {
      const rcv = trace.events[m.receive]!;
      law(
        rcv.kind === 'receive' && rcv.lane === m.to && happensBefore(s, rcv) && m.drop === null,
        `message ${m.id}: send → receive`,
      );
    }
  }
}

describe('trace: vector clocks', () => {
  it('happens-before is a strict partial order that agrees with the event graph (random scenarios)', () => {
    fc.assert(
      fc.property(scenarioArb({ maxAgents: 3, maxDuration: 120 }), (s) => {
        checkLaws(recordTrace(s, s.duration));
      }),
      { numRuns: runs(30) },
    );
  });

  it('holds for a trace started from a mid-run world too (carried-over sends and invokes)', () => {
    fc.assert(
      fc.property(scenarioArb({ maxAgents: 3, maxDuration: 160 }), fc.nat({ max: 100 }), (s, at) => {
        const start = Math.min(at, s.duration);
        const t = recordTraceFrom(worldAt(s, start), s, s.duration);
        checkLaws(t);
        expect(t.from).toBe(start + 1);
        // Every completion in the window has its invoke in the trace.
        const invoked = new Set(t.events.filter((e) => e.kind === 'invoke').map((e) => e.op));
        for (const e of t.events) if (e.kind === 'complete') expect(invoked.has(e.op)).toBe(true);
      }),
      { numRuns: runs(15) },
    );
  });

  it('holds on every built-in scenario, whatever the architecture', () => {
    for (const b of builtinScenarios) {
      const s = b.make();
      const t = recordTrace(s, Math.min(s.duration, 300));
      expect(t.events.length, b.id).toBeGreaterThan(0);
      checkLaws(t, 60);
    }
  });

  it('the laws can fail: a receive that forgets its message is caught', () => {
    const t = recordTrace(faultsScenario(), 100);
    const m = t.messages.find((x) => x.receive !== null && x.receive < 50)!;
    const rcv = t.events[m.receive!]!;
    rcv.clock = rcv.clock.map((v, i) => (i === rcv.lane ? v : 0));
    expect(() => checkLaws(t)).toThrow();
  });

  it('causal past, future and concurrent partition the other events', () => {
    const s = faultsScenario();
    const t = recordTrace(s, 200);
    const id = 60;
    const { past, future, concurrent } = relations(t, id);
    expect(past.size + future.size + concurrent.size).toBe(t.events.length - 1);
    expect(causalPast(t, id)).toEqual([...past]);
    expect(concurrentWith(t, id)).toEqual([...concurrent]);
    expect(past.size).toBeGreaterThan(0);
    expect(concurrent.size).toBeGreaterThan(0);
    expect(() => causalPast(t, 1e9)).toThrow(/no event/);
  });

  it('observing does not change the world', () => {
    const s = faultsScenario();
    const w = worldAt(s, 0);
    recordTraceFrom(w, s, 400);
    expect(worldHash(w)).toBe(worldHash(worldAt(s, 400)));
  });
});

describe('trace: content', () => {
  it('lanes are servers first, then agents; faults sit on the lanes they affect, network-wide ones in bands', () => {
    const s = faultsScenario();
    const t = recordTrace(s, s.duration);
    const kinds = t.lanes.map((l) => l.kind);
    expect(kinds.indexOf('agent')).toBeGreaterThan(kinds.lastIndexOf('server'));
    const store = t.lanes.findIndex((l) => l.id === 'store');
    expect(t.events.some((e) => e.kind === 'fault' && e.fault === 'crash' && e.lane === store)).toBe(true);
    expect(t.bands.map((b) => b.fault)).toContain('partition');
    expect(t.bands.map((b) => b.fault)).toContain('heal-all');
    // Messages dropped by a cut or a crash end where they died, and have no receive.
    const dropped = t.messages.filter((m) => m.drop !== null);
    expect(dropped.length).toBeGreaterThan(0);
    for (const m of dropped) expect(m.receive).toBeNull();
    // Every operation completed in the run is in the trace with its outcome.
    const w = worldAt(s, s.duration);
    const completes = t.events.filter((e) => e.kind === 'complete');
    expect(completes.length).toBe(w.history.filter((r) => r.outcome !== null).length);
    for (const e of completes) expect(e.outcome).toBe(w.history.find((r) => r.id === e.op)!.outcome);
  });

  it('an action that cannot apply keeps its error on its mark', () => {
    const s: Scenario = { ...defaultScenario(), actions: [{ tick: 5, type: 'recover', node: 'store' }] };
    const t = recordTrace(s, 20);
    const e = t.events.find((x) => x.kind === 'fault')!;
    expect(e.error).toMatch(/not crashed/);
  });

  it('is bounded: a crowd stops at maxEvents, at the end of a tick, flagged', () => {
    const s = defaultScenario();
    const t = recordTrace(s, s.duration, { maxEvents: 50 });
    expect(t.truncated).toBe(true);
    expect(t.to).toBeLessThan(s.duration);
    expect(t.events.length).toBeGreaterThanOrEqual(50);
    expect(t.events.every((e) => e.tick <= t.to)).toBe(true);
    const whole = recordTrace(s, s.duration);
    expect(whole.truncated).toBe(false);
    // The truncated trace is a prefix of the whole one.
    expect(whole.events.slice(0, t.events.length).map((e) => e.label)).toEqual(t.events.map((e) => e.label));
  });

  it('is plain JSON', () => {
    const t = recordTrace(faultsScenario(), 300);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});

describe('ShiViz export', () => {
  it('parses with the default regex, and each host counts its own events 1, 2, 3, …', () => {
    fc.assert(
      fc.property(scenarioArb({ maxAgents: 3, maxDuration: 120 }), (s) => {
        const t = recordTrace(s, s.duration);
        const text = toShiViz(t);
        const [regexLine, delimiter, ...rest] = text.split('\n');
        expect(regexLine).toBe(SHIVIZ_REGEX);
        expect(delimiter).toBe('');
        // ShiViz's (?<name>…) groups are JavaScript's.
        const re = new RegExp(SHIVIZ_REGEX, 'g');
        const body = rest.join('\n');
        const own = new Map<string, number>();
        let count = 0;
        for (const m of body.matchAll(re)) {
          count++;
          const host = m.groups!['host']!;
          const clock = JSON.parse(m.groups!['clock']!) as Record<string, number>;
          const next = (own.get(host) ?? 0) + 1;
          expect(clock[host]).toBe(next);
          own.set(host, next);
          for (const v of Object.values(clock)) expect(Number.isInteger(v) && v > 0).toBe(true);
        }
        expect(count).toBe(t.events.length);
      }),
      { numRuns: runs(20) },
    );
  });

  it('keeps hostile-looking text on one line', () => {
    const t = recordTrace(faultsScenario(), 300);
    t.events[0]!.label = 'a\nb\r\nc';
    const lines = toShiViz(t, { header: false }).split('\n');
    expect(lines[0]).toMatch(/a b c/);
    expect(lines[1]).toMatch(/^\S+ \{/);
  });
});

describe('history JSON export', () => {
  it('round-trips through the checker: the file says what the run says', () => {
    for (const make of [faultsScenario, defaultScenario]) {
      const s = make();
      const w = worldAt(s, s.duration);
      const text = stringifyStateLabHistory({ ops: w.history }, { scenario: s.name, tick: w.now });
      const parsed = parseStateLabJson(text);
      expect(parsed.ops).toEqual(w.history);
      expect(checkHistoryText(text)).toEqual(checkHistory({ ops: w.history }));
    }
  });

  it('keeps pending operations (checked as unknown) and hostile keys', () => {
    const s: Scenario = {
      ...defaultScenario(),
      actions: [{ tick: 3, type: 'op', agent: 'agent1', op: 'set', args: { key: '__proto__', value: 'x' } }],
    };
    const w = worldAt(s, 4);
    const text = stringifyStateLabHistory({ ops: w.history });
    const parsed = parseStateLabJson(text);
    expect(parsed.ops).toEqual(w.history);
    expect(parsed.ops.some((r) => r.outcome === null)).toBe(true);
    expect(checkHistoryText(text).ops).toBe(checkHistory({ ops: w.history }).ops);
  });
});

describe('lane order', () => {
  it('orders ids naturally, servers then agents: agent2 before agent10', () => {
    const base = defaultScenario();
    const agent = base.agents[0]!;
    const s: Scenario = {
      ...base,
      agents: ['agent10', 'agent2', 'agent1', 'a', 'agent1x'].map((id) => ({ ...agent, id })),
    };
    expect(recordTrace(s, 5).lanes.map((l) => l.id)).toEqual(['store', 'a', 'agent1', 'agent1x', 'agent2', 'agent10']);
  });
});
