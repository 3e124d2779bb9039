import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apply, centralized, initStore, snapshotText, STORE, valueAt } from './store';
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

describe('the queue: arrivals, duplicates and service', () => {
  type Step = { t: 'arrive'; agent: number; id: number } | { t: 'done' } | { t: 'crash' } | { t: 'copy' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ t: fc.constant('arrive' as const), agent: fc.nat({ max: 3 }), id: fc.nat({ max: 12 }) }),
    },
    { weight: 3, arbitrary: fc.constant({ t: 'done' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'crash' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'copy' as const }) },
  );
  const config = { kind: 'centralized' as const, serviceTime: 1 };
  const ctx = (now: number) => ({ now, self: STORE, draw: (from: number) => from });

  it('ignores exactly what a scan of the whole queue would, across copies and crashes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        let s = initStore();
        // The model: the queue as plain (agent, id) pairs, checked by scanning it.
        let model: [string, number][] = [];
        let inService: [string, number] | null = null;
        let ignored = 0;
        let now = 0;
        for (const st of steps) {
          now += 1;
          if (st.t === 'copy') {
            // A checkpoint or a worker's world: a new queue array with no index yet.
            s = structuredClone(s);
            continue;
          }
          if (st.t === 'crash') {
            s = centralized.onCrash(s, config) as typeof s;
            model = [];
            inService = null;
            continue;
          }
          if (st.t === 'done') {
            const job = s.inService;
            if (!job) continue;
            centralized.onTimer(s, { t: 'done', id: job.req.id, from: job.from }, config, ctx(now));
            inService = model.shift() ?? null;
            continue;
          }
          const from = `agent${st.agent}`;
          const lastId = s.sessions[from]?.lastId;
          const inModel =
            (inService !== null && inService[0] === from && inService[1] === st.id) ||
            model.some(([a, i]) => a === from && i === st.id);
          const ignoredBefore = s.stats.duplicatesIgnored;
          centralized.onMessage(s, from, { t: 'req', id: st.id, op: 'get', args: { key: 'x' } }, config, ctx(now));
          const expectIgnored = lastId !== undefined && st.id < lastId ? true : lastId === st.id ? false : inModel;
          expect(s.stats.duplicatesIgnored - ignoredBefore).toBe(expectIgnored ? 1 : 0);
          if (expectIgnored) ignored += 1;
          else if (lastId !== st.id) {
            if (inService === null) inService = [from, st.id];
            else model.push([from, st.id]);
          }
          expect(s.queue.map((q) => [q.from, q.req.id])).toEqual(model);
          expect(s.inService ? [s.inService.from, s.inService.req.id] : null).toEqual(inService);
        }
        expect(s.stats.duplicatesIgnored).toBe(ignored);
      }),
      { seed: 1919, numRuns: 300 },
    );
  });

  it('checkpoints share queued requests: they are frozen', () => {
    const s = initStore();
    for (let id = 1; id <= 3; id++)
      centralized.onMessage(s, `agent${id}`, { t: 'req', id, op: 'get', args: { key: 'x' } }, config, ctx(1));
    expect(s.queue).toHaveLength(2);
    for (const q of s.queue) expect(Object.isFrozen(q) && Object.isFrozen(q.req.args)).toBe(true);
  });
});
