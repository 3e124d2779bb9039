import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario, parseScenarioText, MAX_SCENARIO_CHARS } from './validate';
import { defaultScenario, faultsScenario, builtinScenarios } from './builtins';
import { worldAt } from '../engine/engine';
import { runs } from '../core/fuzz.testkit';

describe('parsing scenarios', () => {
  it('accepts every built-in scenario', () => {
    for (const { make } of builtinScenarios) expect(parseScenario(make()).ok).toBe(true);
  });

  it('never throws, whatever the input, and always says why it refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const r = parseScenarioText(text);
          if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it('survives mutations of a valid scenario: each is accepted and runs, or refused with a message', () => {
    const base = faultsScenario();
    const paths = fc.constantFrom(
      'seed',
      'duration',
      'network.latency',
      'network.loss',
      'agents.0.id',
      'agents.0.timeout',
      'actions.0.tick',
      'actions.1.type',
      'architecture.kind',
      'format',
    );
    fc.assert(
      fc.property(paths, fc.jsonValue(), (path, value) => {
        const s = structuredClone(base) as unknown as Record<string, unknown>;
        const parts = path.split('.');
        let o = s as Record<string, unknown>;
        for (const p of parts.slice(0, -1)) o = o[p] as Record<string, unknown>;
        o[parts.at(-1)!] = value;
        const r = parseScenario(s);
        if (r.ok) worldAt(r.scenario, Math.min(r.scenario.duration, 300));
        else expect(r.errors[0]!.message.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it('refuses what is broken, with the path of the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...defaultScenario(), extra: 1 }, /Unrecognized key/i],
      [{ ...defaultScenario(), seed: -1 }, /seed/],
      [{ ...defaultScenario(), network: { latency: 0, jitter: 0, loss: 0, duplication: 0 } }, /network\.latency/],
      [
        {
          ...defaultScenario(),
          actions: [
            { tick: 5, type: 'heal-all' },
            { tick: 3, type: 'heal-all' },
          ],
        },
        /tick order/,
      ],
      [
        { ...defaultScenario(), actions: [{ tick: 5, type: 'crash', node: 'nobody' }] },
        /no node in this scenario is called "nobody"/,
      ],
      [
        { ...defaultScenario(), agents: [...defaultScenario().agents, defaultScenario().agents[0]] },
        /two agents are called "agent1"/,
      ],
      [{ ...defaultScenario(), agents: [{ ...defaultScenario().agents[0]!, id: 'store' }] }, /name of a server/],
      [{ ...defaultScenario(), actions: [{ tick: 700, type: 'heal-all' }] }, /after the scenario's end/],
      [{ ...defaultScenario(), agents: [{ ...defaultScenario().agents[0]!, id: '<script>' }] }, /letter followed by/],
    ];
    for (const [input, msg] of cases) {
      const r = parseScenario(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')).toMatch(msg);
    }
  });

  it('refuses oversized input before parsing it', () => {
    const r = parseScenarioText(' '.repeat(MAX_SCENARIO_CHARS + 1));
    expect(r).toMatchObject({ ok: false, errors: [{ stage: 'size' }] });
  });

  it('keeps hostile keys as data and never touches Object.prototype', () => {
    const text = JSON.stringify({
      ...defaultScenario(),
      agents: [{ id: 'agent1', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 }],
    }).replace(
      '"actions":[]',
      '"actions":[{"tick":1,"type":"op","agent":"agent1","op":"update","args":{"updates":{"__proto__":{"polluted":true},"constructor":"c"}}}]',
    );
    const r = parseScenarioText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const w = worldAt(r.scenario, 50);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const data = (w.servers['store']!.state as { data: object }).data;
    expect(Object.keys(data).sort()).toEqual(['__proto__', 'constructor']);
    expect(w.history[0]!.outcome).toBe('ok');
  });
});

describe('configurations over time', () => {
  const gossip = builtinScenarios.find((b) => b.id === 'gossip')!.make;

  it('knows the servers a later configure adds, so actions may name them', () => {
    const s = gossip();
    if (s.architecture.kind !== 'gossip') throw new Error('the gossip builtin is not gossip');
    const more = { ...s.architecture, replicas: [...s.architecture.replicas, 'r5'] };
    const ok = parseScenario({
      ...s,
      actions: [
        { tick: 10, type: 'configure', config: more },
        { tick: 20, type: 'crash', node: 'r5' },
      ],
    });
    expect(ok.ok).toBe(true);
    const bad = parseScenario({ ...s, actions: [{ tick: 20, type: 'crash', node: 'r5' }] });
    expect(bad.ok).toBe(false);
  });

  it('asks the architecture about what its schema cannot see (a gossip period under the link latency)', () => {
    const s = gossip();
    if (s.architecture.kind !== 'gossip') throw new Error('the gossip builtin is not gossip');
    const r = parseScenario({
      ...s,
      architecture: { ...s.architecture, period: 1 },
      network: { ...s.network, latency: 3 },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message).join(' ')).toMatch(
        /period \(1 ticks\) must be at least the link latency \(3 ticks\)/,
      );
    const later = parseScenario({
      ...s,
      actions: [{ tick: 5, type: 'configure', config: { ...s.architecture, period: 1 } }],
    });
    expect(later.ok).toBe(false);
  });
});
