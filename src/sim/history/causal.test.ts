import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCausal } from './causal';
import { checkHistory } from './check';
import { rec, simulateStore } from './history.testkit';
import type { History, OpRecord } from './types';
import { runs } from '../core/fuzz.testkit';

const set = (id: number, agent: string, key: string, value: string, call: number, ret: number): OpRecord =>
  rec(id, agent, 'set', { key, value }, call, ret, { version: id });
const get = (id: number, agent: string, key: string, value: string | null, call: number, ret: number): OpRecord =>
  rec(id, agent, 'get', { key }, call, ret, { value });
const h = (...ops: OpRecord[]): History => ({ ops });

describe('causal consistency by bad patterns', () => {
  it('histories of a sequential store are causal (any seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2, max: 4 }), (seed, clients) => {
        const r = checkCausal(simulateStore({ seed, bug: 'none', clients, opsPerClient: 6 }));
        expect(r.violations).toEqual([]);
        expect(r.causal).toBe(true);
      }),
      { numRuns: runs(60) },
    );
  });

  it('passes a causal history that is not linearizable (a stale read of an unrelated write)', () => {
    const hist = h(
      set(0, 'agent1', 'x', 'a', 0, 1),
      get(1, 'agent2', 'x', null, 5, 6),
      get(2, 'agent2', 'x', 'a', 7, 8),
    );
    expect(checkHistory(hist).linearizable).toBe(false);
    const r = checkCausal(hist);
    expect(r.causal).toBe(true);
    expect(r.hbChecked).toBe(true);
  });

  it('catches a read out of thin air', () => {
    const r = checkCausal(h(set(0, 'agent1', 'x', 'a', 0, 1), get(1, 'agent2', 'x', 'zzz', 2, 3)));
    expect(r.causal).toBe(false);
    expect(r.counts.ThinAirRead).toBe(1);
    expect(r.violations[0]!.opIds).toEqual([1]);
  });

  it('catches WriteCOInitRead: an agent does not see its own write', () => {
    const r = checkCausal(h(set(0, 'agent1', 'x', 'a', 0, 1), get(1, 'agent1', 'x', null, 2, 3)));
    expect(r.counts.WriteCOInitRead).toBe(1);
    expect(r.violations[0]!.opIds).toEqual([0, 1]);
    expect(r.violations[0]!.explanation).toMatch(/op 1 \(agent1.*absent.*op 0/);
  });

  it('catches WriteCORead: a value read after its overwrite was seen', () => {
    const r = checkCausal(
      h(
        set(0, 'agent1', 'x', 'a', 0, 1),
        get(1, 'agent2', 'x', 'a', 2, 3),
        set(2, 'agent2', 'x', 'b', 4, 5),
        get(3, 'agent3', 'x', 'b', 6, 7),
        get(4, 'agent3', 'x', 'a', 8, 9),
      ),
    );
    expect(r.counts.WriteCORead).toBe(1);
    expect(r.violations.find((v) => v.pattern === 'WriteCORead')!.opIds).toEqual([0, 2, 4]);
  });

  it('catches CyclicCO: two reads each see the other session’s later write', () => {
    const r = checkCausal(
      h(
        get(0, 'agent1', 'x', 'b', 0, 1),
        get(1, 'agent2', 'y', 'a', 0, 1),
        set(2, 'agent1', 'y', 'a', 2, 3),
        set(3, 'agent2', 'x', 'b', 2, 3),
      ),
    );
    expect(r.counts.CyclicCO).toBe(1);
    expect(r.violations[0]!.opIds).toEqual([0, 1, 2, 3]);
  });

  it('catches WriteHBInitRead, which no co pattern shows', () => {
    const hist = h(
      set(0, 'agent1', 'x', '1', 0, 1),
      set(1, 'agent2', 'y', '2', 0, 1),
      set(2, 'agent1', 'y', '1', 2, 3),
      get(3, 'agent2', 'x', null, 2, 3),
      get(4, 'agent3', 'y', '1', 4, 5),
      get(5, 'agent3', 'y', '2', 6, 7),
      set(6, 'agent3', 'z', '1', 8, 9),
      get(7, 'agent2', 'z', '1', 10, 11),
    );
    const r = checkCausal(hist);
    expect(r.counts.WriteCOInitRead + r.counts.WriteCORead + r.counts.CyclicCO).toBe(0);
    expect(r.counts.WriteHBInitRead).toBeGreaterThan(0);
    expect(r.causal).toBe(false);
    // Past the budget the same history is not called causal: the hb patterns were not checked.
    expect(checkCausal(hist, { maxHbEvents: 3 }).causal).toBe('unknown');
  });

  it('an unknown-outcome write counts only once read, and orders nothing after it', () => {
    // agent1's write of b timed out; agent1 then reads a: fine, b may land later.
    const late = h(
      set(0, 'agent1', 'x', 'a', 0, 1),
      rec(1, 'agent1', 'set', { key: 'x', value: 'b' }, 2, 10, null, 'info'),
      get(2, 'agent1', 'x', 'a', 11, 12),
    );
    expect(checkCausal(late).causal).toBe(true);
  });

  it('a read of "absent" where deletes exist is bad only if every delete was overwritten', () => {
    const del = (id: number, agent: string, key: string, call: number, ret: number): OpRecord =>
      rec(id, agent, 'delete', { key }, call, ret, { existed: true });
    const fine = h(set(0, 'agent1', 'x', 'a', 0, 1), del(1, 'agent2', 'x', 0, 1), get(2, 'agent1', 'x', null, 2, 3));
    expect(checkCausal(fine).causal).toBe(true);
    const bad = h(del(0, 'agent1', 'x', 0, 1), set(1, 'agent1', 'x', 'a', 2, 3), get(2, 'agent1', 'x', null, 4, 5));
    expect(checkCausal(bad).counts.WriteCORead).toBe(1);
  });
});
