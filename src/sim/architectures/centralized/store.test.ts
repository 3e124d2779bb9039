import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apply, initStore, snapshotText, valueAt } from './store';
import type { CentralState } from './store';
import type { JsonValue } from '../../core/json';
import { runs } from '../../core/fuzz.testkit';

/** Operations on the store applied directly, against a model: a list of whole-state copies. */
type Cmd =
  | { op: 'set'; key: string; value: number }
  | { op: 'delete'; key: string }
  | { op: 'update'; updates: [string, number][] }
  | { op: 'restoreTo'; version: number };

const key = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', 'hasOwnProperty');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ op: fc.constant('delete' as const), key }),
  fc.record({
    op: fc.constant('update' as const),
    updates: fc.uniqueArray(fc.tuple(key, fc.integer()), { minLength: 1, maxLength: 3, selector: (x) => x[0] }),
  }),
  fc.record({ op: fc.constant('restoreTo' as const), version: fc.nat({ max: 30 }) }),
);

function obj(entries: [string, JsonValue][]): { [k: string]: JsonValue } {
  const o: { [k: string]: JsonValue } = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

describe('the centralized store against a model', () => {
  it('get_versioned returns every key as of every version; snapshot/restore round-trips', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 30 }), (cmds) => {
        const s: CentralState = initStore();
        const model: Map<string, number>[] = [new Map()]; // model[v] = the whole state at version v
        const snapshots: string[] = [snapshotText(s)];
        let now = 0;
        for (const c of cmds) {
          now += 1;
          const cur = new Map(model[model.length - 1]!);
          let r;
          if (c.op === 'set') {
            cur.set(c.key, c.value);
            r = apply(s, 'set', { key: c.key, value: c.value }, now);
          } else if (c.op === 'delete') {
            const existed = cur.delete(c.key);
            r = apply(s, 'delete', { key: c.key }, now);
            expect(r).toMatchObject({ outcome: 'ok', result: { existed } });
            if (!existed) continue; // the reference changes nothing, version included
          } else if (c.op === 'update') {
            for (const [k, v] of c.updates) cur.set(k, v);
            r = apply(s, 'update', { updates: obj(c.updates) }, now);
          } else {
            const v = Math.min(c.version, model.length - 1);
            const target = model[v]!;
            cur.clear();
            for (const [k, x] of target) cur.set(k, x);
            r = apply(s, 'restore', { snapshot: snapshots[v]! }, now);
          }
          expect(r.outcome).toBe('ok');
          model.push(cur);
          snapshots.push(snapshotText(s));
          expect(s.version).toBe(model.length - 1);
        }
        for (let v = 0; v < model.length; v++) {
          for (const k of ['a', 'b', 'c', '__proto__', 'constructor', 'hasOwnProperty']) {
            const expected = model[v]!.get(k) ?? null;
            expect(valueAt(s, k, v)).toEqual(expected);
            const r = apply(s, 'get_versioned', { key: k, version: v }, now);
            expect(r).toEqual({ outcome: 'ok', result: { value: expected } });
          }
        }
        const all = apply(s, 'get_all', {}, now);
        const last = model[model.length - 1]!;
        expect(all.outcome).toBe('ok');
        const state = (all as unknown as { result: { state: { [k: string]: JsonValue } } }).result.state;
        expect(Object.keys(state).sort()).toEqual([...last.keys()].sort());
        for (const [k, v] of last) expect(Object.getOwnPropertyDescriptor(state, k)?.value).toBe(v);
        expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
      }),
      { numRuns: runs(300) },
    );
  });

  it('rejects versions that do not exist yet and hostile snapshots, with reasons', () => {
    const s = initStore();
    apply(s, 'set', { key: 'a', value: 1 }, 1);
    expect(apply(s, 'get_versioned', { key: 'a', version: 5 }, 2)).toEqual({
      outcome: 'fail',
      reason: 'version 5 does not exist yet (the store is at 1)',
    });
    for (const bad of ['not json', '[]', '{"state": 3}', '{"state": {"a": null}}', '{"state": {"": 1}}']) {
      const r = apply(s, 'restore', { snapshot: bad }, 3);
      expect(r.outcome).toBe('fail');
    }
    expect(s.version).toBe(1);
    expect(apply(s, 'restore', { snapshot: '{"state":{"__proto__":{"polluted":true}}}' }, 4).outcome).toBe('ok');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(s.data, '__proto__')?.value).toMatchObject({ value: { polluted: true } });
  });

  it('the reference usage: positions and an atomic update of two keys as one version', () => {
    const s = initStore();
    apply(s, 'set', { key: 'agent1.position', value: { x: 10, y: 20 } }, 1);
    expect(apply(s, 'get', { key: 'agent1.position' }, 2)).toEqual({
      outcome: 'ok',
      result: { value: { x: 10, y: 20 }, version: 1 },
    });
    apply(s, 'update', { updates: { 'agent1.position': { x: 15, y: 25 }, 'agent1.status': 'moving' } }, 3);
    expect(apply(s, 'get_version', {}, 4)).toEqual({ outcome: 'ok', result: { version: 2 } });
    expect(valueAt(s, 'agent1.status', 1)).toBeNull();
    expect(valueAt(s, 'agent1.status', 2)).toBe('moving');
  });
});
