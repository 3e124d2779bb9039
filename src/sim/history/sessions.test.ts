import { describe, expect, it } from 'vitest';
import { rec, simulateStore } from './history.testkit';
import { checkSessions } from './sessions';

describe('session guarantees, from store versions', () => {
  it("read-your-writes: a read older than the agent's own write", () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, { version: 5 }),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: 0, version: 3 }),
      ],
    };
    const r = checkSessions(h);
    expect(r.counts['read-your-writes']).toBe(1);
    expect(r.holds['read-your-writes']).toBe(false);
    expect(r.violations[0]?.opIds).toEqual([1, 2]);
    expect(r.violations[0]?.explanation).toContain('its own write was not visible');
  });

  it('monotonic reads: a later read at an older version of the same key', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'get', { key: 'x' }, 0, 1, { value: 2, version: 6 }),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: 1, version: 4 }),
      ],
    };
    expect(checkSessions(h).counts['monotonic-reads']).toBe(1);
    // Gets of different keys carry per-key versions: no comparison.
    const other = {
      ops: [
        rec(1, 'agent1', 'get', { key: 'x' }, 0, 1, { value: 2, version: 6 }),
        rec(2, 'agent1', 'get', { key: 'y' }, 2, 3, { value: 1, version: 4 }),
      ],
    };
    expect(checkSessions(other).counts['monotonic-reads']).toBe(0);
  });

  it('monotonic writes: the later write got the lower version', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, { version: 7 }),
        rec(2, 'agent1', 'set', { key: 'y', value: 2 }, 2, 3, { version: 5 }),
      ],
    };
    expect(checkSessions(h).counts['monotonic-writes']).toBe(1);
  });

  it('writes-follow-reads: a write ordered before what the agent had read', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'get', { key: 'x' }, 0, 1, { value: 5, version: 9 }),
        rec(2, 'agent1', 'set', { key: 'y', value: 1 }, 2, 3, { version: 8 }),
      ],
    };
    expect(checkSessions(h).counts['writes-follow-reads']).toBe(1);
  });

  it('ignores the version 0 an absent key reports, and deletes of absent keys', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, { version: 1 }),
        rec(2, 'agent2', 'delete', { key: 'x' }, 2, 3, { version: 2, existed: true }),
        rec(3, 'agent1', 'get', { key: 'x' }, 4, 5, { value: null, version: 0 }),
        rec(4, 'agent1', 'delete', { key: 'y' }, 6, 7, { version: 2, existed: false }),
        rec(5, 'agent1', 'set', { key: 'z', value: 1 }, 8, 9, { version: 3 }),
      ],
    };
    expect(checkSessions(h).violations).toEqual([]);
  });

  it('are all kept by a correct store', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = checkSessions(simulateStore({ seed, bug: 'none', opsPerClient: 8 }));
      expect(r.violations).toEqual([]);
      expect(r.sessions).toBe(3);
    }
  });
});

describe('session guarantees, from real-time order when there are no versions', () => {
  it('read-your-writes', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: null }),
      ],
    };
    expect(checkSessions(h).counts['read-your-writes']).toBe(1);
    const fine = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: 1 }),
      ],
    };
    expect(checkSessions(fine).violations).toEqual([]);
  });

  it('monotonic reads', () => {
    const h = {
      ops: [
        rec(1, 'agent2', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent2', 'set', { key: 'x', value: 2 }, 2, 3, {}),
        rec(3, 'agent1', 'get', { key: 'x' }, 4, 5, { value: 2 }),
        rec(4, 'agent1', 'get', { key: 'x' }, 6, 7, { value: 1 }),
      ],
    };
    expect(checkSessions(h).counts['monotonic-reads']).toBe(1);
  });

  it('monotonic writes', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, {}),
        rec(2, 'agent1', 'set', { key: 'x', value: 2 }, 2, 3, {}),
        rec(3, 'agent2', 'get', { key: 'x' }, 4, 5, { value: 1 }),
      ],
    };
    const r = checkSessions(h);
    expect(r.counts['monotonic-writes']).toBe(1);
    expect(r.violations.find((v) => v.guarantee === 'monotonic-writes')?.opIds).toEqual([1, 2, 3]);
  });

  it('writes-follow-reads', () => {
    const h = {
      ops: [
        rec(1, 'agent2', 'set', { key: 'x', value: 5 }, 0, 1, {}),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: 5 }),
        rec(3, 'agent1', 'set', { key: 'x', value: 6 }, 4, 5, {}),
        rec(4, 'agent3', 'get', { key: 'x' }, 6, 7, { value: 5 }),
      ],
    };
    expect(checkSessions(h).counts['writes-follow-reads']).toBe(1);
    const fine = { ops: [...h.ops.slice(0, 3), rec(4, 'agent3', 'get', { key: 'x' }, 6, 7, { value: 6 })] };
    expect(checkSessions(fine).violations).toEqual([]);
  });

  it('where results name replicas, a third party read is evidence only at the replica that accepted the write', () => {
    // Gossip: agent1 read 5 at r1 and wrote 6 there; agent3 reads at r2, which has not heard
    // of 6 yet. That is staleness (and causally fine), not a write ordered before its read.
    const wfr = (at: string) => ({
      ops: [
        rec(1, 'agent2', 'set', { key: 'x', value: 5 }, 0, 1, { dot: ['r1', 1] }),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: 5, replica: 'r1' }),
        rec(3, 'agent1', 'set', { key: 'x', value: 6 }, 4, 5, { dot: ['r1', 2] }),
        rec(4, 'agent3', 'get', { key: 'x' }, 6, 7, { value: 5, replica: at }),
      ],
    });
    expect(checkSessions(wfr('r2')).violations).toEqual([]);
    // r1 accepted 6 and still answers 5: there, 5 is ordered after the write that read it.
    expect(checkSessions(wfr('r1')).counts['writes-follow-reads']).toBe(1);
    const mw = (at: string) => ({
      ops: [
        rec(1, 'agent1', 'update', { updates: { x: 1 } }, 0, 1, { dots: [['r1', 1]] }),
        rec(2, 'agent1', 'update', { updates: { x: 2 } }, 2, 3, { dots: [['r2', 1]] }),
        rec(3, 'agent2', 'get', { key: 'x' }, 4, 5, { value: 1, replica: at }),
      ],
    });
    expect(checkSessions(mw('r1')).violations).toEqual([]);
    expect(checkSessions(mw('r2')).counts['monotonic-writes']).toBe(1);
  });

  it('promise nothing for failed or unknown operations', () => {
    const h = {
      ops: [
        rec(1, 'agent1', 'set', { key: 'x', value: 1 }, 0, 1, null, 'info'),
        rec(2, 'agent1', 'get', { key: 'x' }, 2, 3, { value: null }),
      ],
    };
    expect(checkSessions(h).violations).toEqual([]);
  });
});
