import { describe, expect, it } from 'vitest';
import { exhaustiveCheck } from './exhaustive';
import { INF, append, cas, del, get, put, read, write } from './history.testkit';
import { kvModel } from './kv-model';
import { checkHistoryText } from './check';
import { checkLinearizability } from './linearizability';
import { UNKNOWN } from './model';
import { registerModel } from './register-model';
import { searchPartition } from './search';
import { validateLinearization } from './validate';

const reg = registerModel();

describe('linearizability search', () => {
  // Porcupine's TestRegisterModel (6.824 quiz examples), ported to this model.
  it('accepts a read that overlaps the write it sees', () => {
    const ops = [write(0, 'c0', 0, 100, '100'), read(1, 'c1', 25, 75, '100'), read(2, 'c2', 30, 60, null)];
    const r = checkLinearizability(reg, ops);
    expect(r.linearizable).toBe(true);
    expect(validateLinearization(reg, ops, r.linearization?.['x'] ?? [])).toEqual({ ok: true });
  });

  it('rejects a read of the old value after a read of the new one', () => {
    const ops = [write(0, 'c0', 0, 100, '200'), read(1, 'c1', 10, 30, '200'), read(2, 'c2', 40, 90, null)];
    const r = checkLinearizability(reg, ops);
    expect(r.linearizable).toBe(false);
    expect(r.witness?.opIds).toEqual([0, 1, 2]);
  });

  // Porcupine's TestZeroDuration.
  it('handles zero-duration operations', () => {
    const ok = [
      write(0, 'c0', 0, 100, '100'),
      read(1, 'c1', 25, 75, '100'),
      read(2, 'c2', 30, 30, null),
      read(3, 'c3', 30, 30, null),
    ];
    expect(checkLinearizability(reg, ok).linearizable).toBe(true);
    const bad = [
      write(0, 'c0', 0, 100, '200'),
      read(1, 'c1', 10, 10, '200'),
      read(2, 'c2', 10, 10, '200'),
      read(3, 'c3', 40, 90, null),
    ];
    expect(checkLinearizability(reg, bad).linearizable).toBe(false);
  });

  it('treats touching intervals (return at t, call at t) as concurrent', () => {
    // If the write's return at tick 5 came before the read's call at tick 5, this read of
    // the old value would be stale; with no order recorded inside a tick, it is allowed.
    const touching = [write(0, 'a', 0, 5, '1'), read(1, 'b', 5, 8, null)];
    expect(checkLinearizability(reg, touching).linearizable).toBe(true);
    const apart = [write(0, 'a', 0, 5, '1'), read(1, 'b', 6, 8, null)];
    expect(checkLinearizability(reg, apart).linearizable).toBe(false);
  });

  it('lets an operation with unknown outcome take effect late, or never', () => {
    const late = [write(0, 'a', 0, INF, '1'), read(1, 'b', 10, 11, null), read(2, 'b', 20, 21, '1')];
    expect(checkLinearizability(reg, late).linearizable).toBe(true);
    const never = [write(0, 'a', 0, INF, '1'), read(1, 'b', 10, 11, null), read(2, 'b', 20, 21, null)];
    expect(checkLinearizability(reg, never).linearizable).toBe(true);
    const flipFlop = [write(0, 'a', 0, INF, '1'), read(1, 'b', 10, 11, '1'), read(2, 'b', 20, 21, null)];
    expect(checkLinearizability(reg, flipFlop).linearizable).toBe(false);
  });

  it('accepts anything from a read with unknown result', () => {
    const ops = [write(0, 'a', 0, 1, '1'), read(1, 'b', 2, 3, UNKNOWN), read(2, 'b', 4, 5, '1')];
    expect(checkLinearizability(reg, ops).linearizable).toBe(true);
  });

  it('models delete and compare-and-set', () => {
    const ok = [
      write(0, 'a', 0, 1, '1'),
      cas(1, 'b', 2, 3, '1', '2', true),
      cas(2, 'c', 4, 5, '1', '3', false),
      del(3, 'a', 6, 7, true),
      read(4, 'b', 8, 9, null),
      del(5, 'c', 10, 11, false),
    ];
    expect(checkLinearizability(reg, ok).linearizable).toBe(true);
    const badCas = [write(0, 'a', 0, 1, '1'), cas(1, 'b', 2, 3, '1', '2', false)];
    expect(checkLinearizability(reg, badCas).linearizable).toBe(false);
    const badDelete = [del(0, 'a', 0, 1, true)];
    expect(checkLinearizability(reg, badDelete).linearizable).toBe(false);
  });

  it('partitions by key and reports each key', () => {
    const ops = [
      write(0, 'a', 0, 1, '1', 'x'),
      read(1, 'b', 2, 3, '1', 'x'),
      write(2, 'a', 0, 1, '5', 'y'),
      read(3, 'b', 2, 3, null, 'y'),
    ];
    const r = checkLinearizability(reg, ops, { allKeys: true });
    expect(r.linearizable).toBe(false);
    expect(r.perKey.map((k) => [k.key, k.linearizable])).toEqual([
      ['x', true],
      ['y', false],
    ]);
    expect(r.witness?.key).toBe('y');
  });

  it('answers unknown, never true, past the step budget', () => {
    const ops = Array.from({ length: 12 }, (_, i) => write(i, `c${i}`, 0, 100, String(i % 3)));
    ops.push(read(99, 'r', 101, 102, '7'));
    const r = checkLinearizability(reg, ops, { maxSteps: 5 });
    expect(r.linearizable).toBe('unknown');
    expect(r.steps).toBeLessThanOrEqual(5);
    expect(searchPartition(reg, ops, 5).verdict).toBe('unknown');
  });

  it('checks the kv model (Porcupine: get returns the whole string)', () => {
    const kv = kvModel();
    const ok = [
      append(0, 'a', 0, 10, 'x'),
      append(1, 'b', 0, 10, 'y'),
      get(2, 'c', 11, 12, 'yx'),
      put(3, 'a', 13, 14, 'z'),
      get(4, 'b', 15, 16, 'z'),
    ];
    expect(checkLinearizability(kv, ok).linearizable).toBe(true);
    const lost = [append(0, 'a', 0, 1, 'x'), append(1, 'b', 2, 3, 'y'), get(2, 'c', 4, 5, 'y')];
    expect(checkLinearizability(kv, lost).linearizable).toBe(false);
    expect(exhaustiveCheck(kv, lost).linearizable).toBe(false);
    const never = [get(0, 'c', 0, 1, '')];
    expect(checkLinearizability(kv, never).linearizable).toBe(true);
  });

  it('returns a linearization that validates, with pending ops last', () => {
    const ops = [
      write(0, 'a', 0, 2, '1'),
      write(1, 'b', 1, INF, '2'),
      read(2, 'c', 3, 4, '1'),
      cas(3, 'd', 5, INF, '1', '3', UNKNOWN),
    ];
    const r = checkLinearizability(reg, ops);
    expect(r.linearizable).toBe(true);
    const order = r.linearization?.['x'] ?? [];
    expect(order.slice(0, 2)).toEqual([0, 2]);
    expect(validateLinearization(reg, ops, order)).toEqual({ ok: true });
  });
});

describe('validateLinearization', () => {
  const ops = [write(0, 'a', 0, 1, '1'), read(1, 'b', 2, 3, '1'), write(2, 'c', 4, INF, '2')];
  it('accepts a valid order, pending ops optional', () => {
    expect(validateLinearization(reg, ops, [0, 1])).toEqual({ ok: true });
    expect(validateLinearization(reg, ops, [0, 1, 2])).toEqual({ ok: true });
  });
  it('rejects real-time inversions, missing or repeated ops, and illegal results', () => {
    expect(validateLinearization(reg, ops, [1, 0]).ok).toBe(false);
    expect(validateLinearization(reg, ops, [0]).ok).toBe(false);
    expect(validateLinearization(reg, ops, [0, 1, 1]).ok).toBe(false);
    expect(validateLinearization(reg, [write(0, 'a', 0, 5, '1'), read(1, 'b', 0, 5, '2')], [0, 1]).ok).toBe(false);
  });
});

describe('exhaustiveCheck', () => {
  it('agrees on the basic cases and gives an order', () => {
    const ok = [write(0, 'c0', 0, 100, '100'), read(1, 'c1', 25, 75, '100'), read(2, 'c2', 30, 60, null)];
    const r = exhaustiveCheck(reg, ok);
    expect(r.linearizable).toBe(true);
    expect(validateLinearization(reg, ok, r.order ?? [])).toEqual({ ok: true });
    expect(
      exhaustiveCheck(reg, [write(0, 'c0', 0, 100, '200'), read(1, 'c1', 10, 30, '200'), read(2, 'c2', 40, 90, null)])
        .linearizable,
    ).toBe(false);
  });
  it('may leave out operations that never completed', () => {
    expect(exhaustiveCheck(reg, [write(0, 'a', 0, INF, '1'), read(1, 'b', 10, 11, null)]).linearizable).toBe(true);
  });
  it('gives up past its budget', () => {
    const ops = Array.from({ length: 9 }, (_, i) => write(i, `c${i}`, 0, 100, String(i)));
    ops.push(read(9, 'r', 101, 102, '77'));
    expect(exhaustiveCheck(reg, ops, { maxSteps: 100 }).linearizable).toBe('unknown');
  });
});

/**
 * Regression: a read that never completed used to make any history "not linearizable". The
 * search forced it like a completed read, and the configuration it led to (same completed
 * ops, same state) was subsumed by the one it came from, which the search took for a dead end.
 */
describe('reads that never complete', () => {
  const etcd = (lines: string[]): string => lines.map((l) => `INFO  jepsen.util - ${l}`).join('\n') + '\n';

  it('two reads and no writes, one never completing, are linearizable (the smallest case found)', () => {
    const report = checkHistoryText(etcd(['0\t:invoke\t:read\tnil', '1\t:invoke\t:read\tnil', '0\t:ok\t:read\tnil']));
    expect(report.linearizable).toBe(true);
    expect(report.witness).toBeUndefined();
  });

  it('a timed-out read concurrent with a never-completed read is linearizable', () => {
    const report = checkHistoryText(
      etcd(['0\t:invoke\t:read\tnil', '1\t:invoke\t:read\tnil', '0\t:fail\t:read\t:timed-out']),
    );
    expect(report.linearizable).toBe(true);
  });

  it('a never-completed kv get is no constraint either, but the rest is still judged', () => {
    const ok = [get(0, 'c0', 0, 2, ''), get(1, 'c1', 1, INF, UNKNOWN)];
    expect(checkLinearizability(kvModel(), ok).linearizable).toBe(true);
    const bad = [put(0, 'c0', 0, 1, 'a'), get(1, 'c1', 2, INF, UNKNOWN), get(2, 'c0', 3, 4, '')];
    expect(checkLinearizability(kvModel(), bad).linearizable).toBe(false);
  });

  it('a pending read beside a pending write that may explain a later read', () => {
    const ops = [write(0, 'c0', 0, INF, '1'), read(1, 'c1', 1, INF, UNKNOWN), read(2, 'c2', 2, 3, '1')];
    expect(checkLinearizability(reg, ops).linearizable).toBe(true);
    expect(exhaustiveCheck(reg, ops).linearizable).toBe(true);
  });
});
