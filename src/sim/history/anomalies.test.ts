import { describe, expect, it } from 'vitest';
import { fracturedReads, kvAnomalies, registerAnomalies } from './anomalies';
import { INF, append, cas, get, put, read, rec, simulateStore, write } from './history.testkit';
import { readStateLab } from './formats';

const opts = { timeUnit: 'tick' as const };

describe('stale read', () => {
  it('names a read of an overwritten value, with the ops that prove it', () => {
    const ops = [write(1, 'agent1', 10, 12, '3'), write(2, 'agent3', 20, 22, '5'), read(3, 'agent2', 40, 44, '3')];
    const r = registerAnomalies(ops, opts);
    expect(r.counts['stale-read']).toBe(1);
    const a = r.anomalies[0];
    expect(a?.opIds).toEqual([1, 2, 3]);
    expect(a?.explanation).toBe(
      "agent2 read x = 3 at ticks 40–44, but the only write of 3 (agent1, ticks 10–12) was overwritten by agent3's write of 5 (ticks 20–22), which completed before the read began.",
    );
  });

  it('names a read of the initial state after an acknowledged write', () => {
    const r = registerAnomalies([write(1, 'a', 0, 1, '1'), read(2, 'b', 2, 3, null)], opts);
    expect(r.counts['stale-read']).toBe(1);
    expect(r.anomalies[0]?.opIds).toEqual([1, 2]);
  });

  it('stays quiet when the writes overlap, or a write of the value may still land', () => {
    // W' began before the write of 3 completed: they may have happened in either order.
    expect(
      registerAnomalies([write(1, 'a', 10, 12, '3'), write(2, 'b', 11, 22, '5'), read(3, 'c', 40, 44, '3')], opts)
        .anomalies,
    ).toEqual([]);
    // Another write of 3 has unknown outcome: it may have landed after the 5.
    expect(
      registerAnomalies(
        [
          write(1, 'a', 10, 12, '3'),
          write(2, 'b', 20, 22, '5'),
          write(4, 'd', 15, INF, '3'),
          read(3, 'c', 40, 44, '3'),
        ],
        opts,
      ).anomalies,
    ).toEqual([]);
    // The read overlaps the newer write.
    expect(
      registerAnomalies([write(1, 'a', 10, 12, '3'), write(2, 'b', 20, 42, '5'), read(3, 'c', 40, 44, '3')], opts)
        .anomalies,
    ).toEqual([]);
  });

  it('on kv: a get missing an acknowledged append', () => {
    const r = kvAnomalies([append(1, 'a', 0, 1, 'x'), append(2, 'b', 2, 3, 'y'), get(3, 'c', 4, 5, 'x')], opts);
    expect(r.counts['stale-read']).toBe(1);
    expect(r.anomalies.find((a) => a.type === 'stale-read')?.opIds).toEqual([2, 3]);
    // A put that may come in between could have erased it.
    expect(
      kvAnomalies(
        [append(1, 'a', 0, 1, 'x'), append(2, 'b', 2, 3, 'y'), put(4, 'd', 2, 6, ''), get(3, 'c', 4, 5, 'x')],
        opts,
      ).counts['stale-read'],
    ).toBe(0);
  });
});

describe('lost write', () => {
  it('names an acknowledged write nobody ever read while a later read saw older data', () => {
    const ops = [write(1, 'a', 0, 1, '1'), write(2, 'b', 2, 3, '2'), read(3, 'c', 4, 5, '1'), read(4, 'c', 6, 7, '1')];
    const r = registerAnomalies(ops, opts);
    expect(r.counts['lost-write']).toBe(1);
    const a = r.anomalies.find((x) => x.type === 'lost-write');
    expect(a?.opIds).toEqual([1, 2, 3]);
    expect(a?.explanation).toContain('no read ever returned 2');
  });

  it('is not claimed when the value was read, or written twice', () => {
    expect(
      registerAnomalies(
        [write(1, 'a', 0, 1, '1'), write(2, 'b', 2, 3, '2'), read(5, 'd', 3, 4, '2'), read(3, 'c', 5, 6, '1')],
        opts,
      ).counts['lost-write'],
    ).toBe(0);
    expect(
      registerAnomalies(
        [write(1, 'a', 0, 1, '1'), write(2, 'b', 2, 3, '2'), write(6, 'e', 2, 3, '2'), read(3, 'c', 5, 6, '1')],
        opts,
      ).counts['lost-write'],
    ).toBe(0);
  });

  it('on kv: an append no get ever shows', () => {
    const r = kvAnomalies([append(1, 'a', 0, 1, 'x'), append(2, 'b', 2, 3, 'y'), get(3, 'c', 4, 5, 'x')], opts);
    expect(r.counts['lost-write']).toBe(1);
    expect(
      kvAnomalies(
        [append(1, 'a', 0, 1, 'x'), append(2, 'b', 2, 3, 'y'), get(3, 'c', 4, 5, 'x'), get(4, 'c', 6, 7, 'xy')],
        opts,
      ).counts['lost-write'],
    ).toBe(0);
  });
});

describe('lost update', () => {
  it('names two compare-and-sets that both swapped from the same value', () => {
    const ops = [write(1, 'a', 0, 1, '0'), cas(2, 'b', 2, 5, '0', '1', true), cas(3, 'c', 3, 6, '0', '2', true)];
    const r = registerAnomalies(ops, opts);
    expect(r.counts['lost-update']).toBe(1);
    expect(r.anomalies.find((a) => a.type === 'lost-update')?.opIds).toEqual([2, 3]);
  });

  it('is not claimed when the value could have been written back in between', () => {
    const ops = [
      write(1, 'a', 0, 1, '0'),
      cas(2, 'b', 2, 5, '0', '1', true),
      write(4, 'd', 4, 8, '0'),
      cas(3, 'c', 7, 9, '0', '2', true),
    ];
    expect(registerAnomalies(ops, opts).counts['lost-update']).toBe(0);
  });
});

describe('fractured read', () => {
  const base = [
    rec(1, 'agent1', 'set', { key: 'a', value: 0 }, 0, 1, { version: 1 }),
    rec(2, 'agent1', 'set', { key: 'b', value: 0 }, 2, 3, { version: 2 }),
    rec(3, 'agent2', 'update', { updates: { a: 1, b: 1 } }, 10, 12, { version: 3 }),
  ];
  it('names a get_all that saw an update on one key but not the other', () => {
    const h = { ops: [...base, rec(4, 'agent3', 'get_all', {}, 14, 15, { state: { a: 1, b: 0 }, version: 3 })] };
    const r = fracturedReads(h, opts);
    expect(r.counts['fractured-read']).toBe(1);
    expect(r.anomalies[0]?.opIds).toEqual([2, 3, 4]);
    expect(r.anomalies[0]?.explanation).toContain("saw agent2's update (ticks 10–12) on a (= 1) but not on b");
  });

  it('stays quiet when the read sees all or none of it, or a later write explains the difference', () => {
    expect(
      fracturedReads(
        { ops: [...base, rec(4, 'c', 'get_all', {}, 14, 15, { state: { a: 1, b: 1 }, version: 3 })] },
        opts,
      ).anomalies,
    ).toEqual([]);
    expect(
      fracturedReads({ ops: [...base, rec(4, 'c', 'get_all', {}, 5, 6, { state: { a: 0, b: 0 }, version: 2 })] }, opts)
        .anomalies,
    ).toEqual([]);
    const later = rec(5, 'd', 'set', { key: 'b', value: 7 }, 13, 14, { version: 4 });
    expect(
      fracturedReads(
        { ops: [...base, later, rec(4, 'c', 'get_all', {}, 15, 16, { state: { a: 1, b: 7 }, version: 4 })] },
        opts,
      ).anomalies,
    ).toEqual([]);
  });
});

describe('no anomalies on a correct store', () => {
  it('finds nothing in linearizable simulated histories', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const h = simulateStore({ seed, bug: 'none', opsPerClient: 8 });
      expect(registerAnomalies(readStateLab(h).ops, opts).anomalies).toEqual([]);
      expect(fracturedReads(h, opts).anomalies).toEqual([]);
    }
  });
});
