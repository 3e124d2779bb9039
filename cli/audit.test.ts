import { describe, expect, it } from 'vitest';
import { auditCommand } from './audit';

const scenario = (key: string) =>
  JSON.stringify({
    format: 1,
    name: 'audit',
    seed: 1,
    duration: 60,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: [{ id: 'a1', workload: { kind: 'idle' }, timeout: 20, retryEvery: 0 }],
    actions: [
      { tick: 1, type: 'op', agent: 'a1', op: 'set', args: { key, value: 1 } },
      { tick: 10, type: 'op', agent: 'a1', op: 'set', args: { key, value: 2 } },
      { tick: 20, type: 'op', agent: 'a1', op: 'rollback', args: { key, version: 1 } },
    ],
  });

describe('sim audit', () => {
  it('prints every change of a key, the rollback included, hostile keys too', () => {
    const r = auditCommand(scenario('__proto__'), { key: '__proto__' });
    expect(r.source).toBe('server');
    expect(r.entries.map((e) => [e.agent, e.opName, e.old, e.new, e.version])).toEqual([
      ['a1', 'set', null, 1, 1],
      ['a1', 'set', 1, 2, 2],
      ['a1', 'rollback', 2, 1, 3],
    ]);
    expect(auditCommand(scenario('x'), { tick: 12 }).entries).toHaveLength(1);
  });

  it('says what is wrong with a bad file or tick', () => {
    expect(() => auditCommand('{', {})).toThrow(/not a valid scenario/);
    expect(() => auditCommand(scenario('x'), { tick: -1 })).toThrow(/--tick/);
  });
});
