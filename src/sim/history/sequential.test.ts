import { describe, expect, it } from 'vitest';
import { rec, simulateStore } from './history.testkit';
import { checkSequential } from './sequential';

describe('sequential consistency', () => {
  it('allows a stale read by another agent (not linearizable, but sequentially consistent)', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent2', 'get', { key: 'x' }, 5, 6, { value: null }),
      ],
    };
    const r = checkSequential(h);
    expect(r.consistent).toBe(true);
    expect(r.order).toEqual([2, 1]);
  });

  it('refuses an agent that does not see its own write', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: null }),
      ],
    };
    expect(checkSequential(h).consistent).toBe(false);
  });

  it("refuses store buffering: each agent misses the other's earlier write", () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent2', 'set', { key: 'y', value: 1 }, 0, 1, {}),
        rec(3, 'agent1', 'get', { key: 'y' }, 2, 3, { value: null }),
        rec(4, 'agent2', 'get', { key: 'x' }, 2, 3, { value: null }),
      ],
    };
    expect(checkSequential(h).consistent).toBe(false);
  });

  it('lets an operation of unknown outcome happen late or never, and checks get_all and update', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, null, null, 'info'),
        rec(2, 'agent1', 'update', { updates: { x: 2, y: 2 } }, 5, 6, { version: 1 }),
        rec(3, 'agent2', 'get_all', {}, 7, 8, { state: { x: 1, y: 2 }, version: 2 }),
      ],
    };
    expect(checkSequential(h).consistent).toBe(true);
    const torn = {
      ops: [
        h.ops[1] ?? rec(0, 'a', 'get', {}, 0, 0, null),
        rec(3, 'agent2', 'get_all', {}, 7, 8, { state: { y: 2 }, version: 2 }),
      ],
    };
    expect(checkSequential(torn).consistent).toBe(false);
  });

  it('holds for a correct store, and says unknown past its budget', () => {
    for (let seed = 1; seed <= 10; seed++)
      expect(checkSequential(simulateStore({ seed, bug: 'none' })).consistent).toBe(true);
    expect(checkSequential(simulateStore({ seed: 1, bug: 'none' }), { maxSteps: 2 }).consistent).toBe('unknown');
    expect(checkSequential(simulateStore({ seed: 1, bug: 'none' }), { maxOps: 3 })).toEqual({
      consistent: 'unknown',
      steps: 0,
    });
  });
});
