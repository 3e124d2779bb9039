import { describe, expect, it } from 'vitest';
import { exhaustiveCheck } from './exhaustive';
import { explainWitness, formatInterval } from './explain';
import { INF, append, cas, get, put, read, write } from './history.testkit';
import { kvModel } from './kv-model';
import { checkLinearizability } from './linearizability';
import { UNKNOWN } from './model';
import { registerModel } from './register-model';
import { Closure, shrinkWitness } from './witness';

const reg = registerModel();
const budget = { maxSteps: 1_000_000, stepsPerCheck: 100_000 };

describe('closed sub-histories', () => {
  const ops = [write(0, 'a', 0, 10, '3'), read(1, 'b', 5, 6, '3'), write(2, 'c', 20, 21, '4')];
  const closure = new Closure(reg, ops);

  it('refuse a read without the write it may have seen', () => {
    // {read 3} alone is not linearizable, but only because its write was dropped.
    expect(exhaustiveCheck(reg, [ops[1] ?? read(1, 'b', 5, 6, '3')]).linearizable).toBe(false);
    expect(closure.isClosed(new Set([1]))).toBe(false);
    expect([...closure.closeDown(new Set([1, 2]))]).toEqual([2]);
    expect(closure.isClosed(new Set([0, 1]))).toBe(true);
  });

  it('require the evidence when a value was certainly overwritten', () => {
    const stale = [
      write(0, 'a', 0, 1, '3'),
      write(1, 'b', 2, 3, '5'),
      write(2, 'c', 2, 3, '6'),
      read(3, 'd', 4, 5, '3'),
    ];
    const c = new Closure(reg, stale);
    // The read needs the write of 3 and one write that surely came after it (the first
    // invoked last among those done before the read).
    expect(c.required(3, 5)).toEqual([0, 1]);
    expect(c.source(3, 5)).toEqual({ kind: 'overwritten', old: 0, by: 1 });
  });
});

describe('shrinkWitness', () => {
  it('finds the three operations behind a stale read among many', () => {
    const ops = [
      write(0, 'agent1', 10, 12, '3'),
      read(1, 'agent4', 13, 14, '3'),
      write(2, 'agent3', 20, 22, '5'),
      read(3, 'agent4', 23, 24, '5'),
      write(4, 'agent5', 25, 26, '6'),
      read(5, 'agent4', 27, 28, '6'),
      read(6, 'agent2', 40, 44, '3'),
      write(7, 'agent5', 45, 46, '7'),
      read(8, 'agent4', 47, 48, '7'),
    ];
    const r = checkLinearizability(reg, ops);
    expect(r.linearizable).toBe(false);
    const w = shrinkWitness(reg, ops, budget);
    expect(w.minimal).toBe(true);
    expect(w.ops.map((o) => o.id)).toEqual([0, 4, 6]);
    expect(exhaustiveCheck(reg, w.ops).linearizable).toBe(false);
    // 1-minimal: dropping any one op (and what then lacks its writes) leaves it linearizable.
    for (const o of w.ops) {
      const rest = new Closure(reg, ops).closeDown(new Set(w.ops.filter((x) => x !== o).map((x) => ops.indexOf(x))));
      expect(
        exhaustiveCheck(
          reg,
          [...rest].map((i) => ops[i] ?? o),
        ).linearizable,
      ).toBe(true);
    }
  });

  it('follows a compare-and-set of unknown outcome to what it needed', () => {
    // The read of 3 can only come from the pending cas 2 → 3, which needs a 2 that was
    // overwritten by the write of 1 before the cas began.
    const ops = [
      write(0, 'a', 0, 1, '2'),
      write(1, 'b', 2, 3, '1'),
      cas(2, 'c', 4, INF, '2', '3', UNKNOWN),
      read(3, 'd', 6, 7, '3'),
      write(4, 'e', 20, 21, '2'),
    ];
    const w = shrinkWitness(reg, ops, budget);
    expect(w.ops.map((o) => o.id)).toEqual([0, 1, 2, 3]);
    expect(exhaustiveCheck(reg, w.ops).linearizable).toBe(false);
    const text = explainWitness(reg, w.ops, { timeUnit: 'tick' });
    expect(text).toContain('d read 3 (ticks 6–7)');
    expect(text).toContain('c did a compare-and-set 2 → 3 with unknown outcome (invoked at tick 4, never completed)');
    expect(text).toContain('starting from 2');
  });

  it('keeps a kv witness to the append that went missing', () => {
    const kv = kvModel();
    const ops = [
      put(0, 'a', 0, 1, 'p'),
      append(1, 'b', 2, 3, 'x'),
      get(2, 'c', 4, 5, 'px'),
      append(3, 'd', 6, 7, 'y'),
      get(4, 'c', 8, 9, 'px'),
      append(5, 'b', 10, 11, 'z'),
    ];
    const w = shrinkWitness(kv, ops, budget);
    expect(w.ops.map((o) => o.id)).toEqual([1, 3, 4]);
    expect(exhaustiveCheck(kv, w.ops).linearizable).toBe(false);
    expect(get(9, 'c', 0, 1, UNKNOWN).output).toBe(UNKNOWN);
  });
});

describe('explanations', () => {
  it('say which write was overwritten by which, before the read began', () => {
    const ops = [write(1, 'agent1', 10, 12, '3'), write(2, 'agent3', 20, 22, '5'), read(3, 'agent2', 40, 44, '3')];
    const r = checkLinearizability(reg, ops);
    expect(r.witness?.explanation).toBe(
      'On key "x": agent2 read 3 (ticks 40–44), but the last operation that could have left 3 — agent1 wrote 3 (ticks 10–12) — ' +
        "had already been overwritten: agent3 wrote 5 (ticks 20–22) began after it ended and completed before agent2's operation began.",
    );
  });

  it('fall back to listing the operations when no single result is impossible', () => {
    // Two reads disagree on the order of two concurrent writes.
    const ops = [
      write(0, 'a', 0, 10, '1'),
      write(1, 'b', 0, 10, '2'),
      read(2, 'c', 11, 12, '1'),
      read(3, 'd', 13, 14, '2'),
      read(4, 'c', 15, 16, '1'),
    ];
    const r = checkLinearizability(reg, ops);
    expect(r.linearizable).toBe(false);
    expect(r.witness?.explanation).toMatch(/cannot be put in any order that respects real time/);
  });

  it('format intervals', () => {
    expect(formatInterval(3, 3, 'tick')).toBe('tick 3');
    expect(formatInterval(3, 7, 'line')).toBe('lines 3–7');
    expect(formatInterval(3, INF, 'tick')).toBe('invoked at tick 3, never completed');
  });
});
