import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../../core/hash';
import type { Doc, VV } from './crdt';
import {
  collect,
  emptyDoc,
  gIncrement,
  lwwWrite,
  mergeDocs,
  mvWrite,
  pnAdd,
  setAdd,
  setRemove,
  vvCompare,
  vvLeq,
  vvMerge,
  vvMin,
} from './crdt';
import { refSync, refValuesEqual, refWrite, type RefStore } from './reference';
import { runs } from '../../core/fuzz.testkit';

/**
 * The merge laws, on states reached by real executions of three replicas: local operations,
 * merges in any order, garbage collection when stable. Each run builds one execution and
 * keeps every intermediate state, so the laws are checked on a state against itself, its
 * ancestors, its descendants and concurrent states. The generators force the hard cases:
 * ticks advance rarely (so different replicas take equal clock readings and the replica id
 * breaks the tie), two keys and two elements only (so the same key or element is written,
 * deleted, added and removed concurrently).
 */

const RUNS = 1000;
const R = ['r1', 'r2', 'r3'] as const;
type Kind = 'lww' | 'mv' | 'g' | 'pn' | 'orset';

type Step =
  | { t: 'op'; r: number; key: number; v: number; del: boolean; adv: boolean }
  | { t: 'merge'; from: number; to: number }
  | { t: 'gc'; r: number }
  | { t: 'round' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('op' as const),
      r: fc.nat(2),
      key: fc.nat(1),
      v: fc.nat(3),
      del: fc.boolean(),
      adv: fc.boolean(),
    }),
  },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('merge' as const), from: fc.nat(2), to: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('gc' as const), r: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'round' as const }) },
);

function localOp(kind: Kind, d: Doc, origin: string, now: number, s: Extract<Step, { t: 'op' }>): Doc {
  const key = `k${s.key}`;
  switch (kind) {
    case 'lww':
      return lwwWrite(d, origin, now, key, s.del ? null : `v${s.v}`);
    case 'mv':
      return mvWrite(d, origin, key, s.del ? null : `v${s.v}`);
    case 'g':
      return gIncrement(d, origin, key, s.v + 1);
    case 'pn':
      return pnAdd(d, origin, key, s.del ? -(s.v + 1) : s.v + 1);
    case 'orset':
      return s.del ? setRemove(d, origin, key, `e${s.v % 2}`) : setAdd(d, origin, key, `e${s.v % 2}`);
  }
}

/** Runs an execution; returns every state any replica was in. */
function execute(kind: Kind, steps: Step[]): Doc[] {
  let now = 0;
  const cur: Doc[] = R.map(() => emptyDoc());
  // heard[i][j]: the version vector of the last state of j that i merged (as gossip.ts keeps).
  const heard: (VV | null)[][] = R.map(() => R.map(() => null));
  const pool: Doc[] = [...cur];
  for (const s of steps) {
    if (s.t === 'op') {
      if (s.adv) now += 1;
      cur[s.r] = localOp(kind, cur[s.r]!, R[s.r]!, now, s);
      pool.push(cur[s.r]!);
    } else if (s.t === 'merge') {
      cur[s.to] = mergeDocs(cur[s.to]!, cur[s.from]!);
      heard[s.to]![s.from] = cur[s.from]!.vv;
      pool.push(cur[s.to]!);
    } else if (s.t === 'round') {
      // Everyone pulls from everyone once, in order: stability becomes likely.
      for (let to = 0; to < R.length; to++) {
        for (let from = 0; from < R.length; from++) {
          if (from === to) continue;
          cur[to] = mergeDocs(cur[to]!, cur[from]!);
          heard[to]![from] = cur[from]!.vv;
        }
        pool.push(cur[to]!);
      }
    } else {
      // gossip.ts's rule: every other replica has reported a vector this one covers; collect
      // what the minimum of those reports knows. It happens after the tick of what it collects.
      now += 1;
      const me = cur[s.r]!;
      const reports = heard[s.r]!.filter((_, j) => j !== s.r);
      if (reports.every((h) => h !== null && vvLeq(h, me.vv))) {
        cur[s.r] = collect(me, vvMin([me.vv, ...(reports as VV[])])).doc;
        pool.push(cur[s.r]!);
      }
    }
  }
  return pool;
}

const eq = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

function triple(kind: Kind) {
  return fc
    .record({ steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }), i: fc.nat(), j: fc.nat(), k: fc.nat() })
    .map(({ steps, i, j, k }) => {
      const pool = execute(kind, steps);
      return [pool[i % pool.length]!, pool[j % pool.length]!, pool[k % pool.length]!] as const;
    });
}

const kinds: Kind[] = ['lww', 'mv', 'g', 'pn', 'orset'];

describe('merge laws (states from executions: self, ancestors, concurrent; equal clock readings)', () => {
  for (const kind of kinds) {
    describe(kind, () => {
      it('commutative', () => {
        fc.assert(
          fc.property(triple(kind), ([a, b]) => eq(mergeDocs(a, b), mergeDocs(b, a))),
          { numRuns: runs(RUNS) },
        );
      });
      it('associative', () => {
        fc.assert(
          fc.property(triple(kind), ([a, b, c]) => eq(mergeDocs(mergeDocs(a, b), c), mergeDocs(a, mergeDocs(b, c)))),
          { numRuns: runs(RUNS) },
        );
      });
      it('idempotent (a state merged with itself)', () => {
        fc.assert(
          fc.property(triple(kind), ([a]) => eq(mergeDocs(a, a), a)),
          { numRuns: runs(RUNS) },
        );
      });
      it('state only grows: a merge and a local operation are inflations', () => {
        fc.assert(
          fc.property(triple(kind), stepArb, ([a, b], s) => {
            const m = mergeDocs(a, b);
            const grew = eq(mergeDocs(a, m), m) && eq(mergeDocs(b, m), m) && vvLeq(a.vv, m.vv);
            if (s.t !== 'op') return grew;
            const after = localOp(kind, a, 'r1', a.clock[0] + 1, s);
            return grew && eq(mergeDocs(a, after), after);
          }),
          { numRuns: runs(RUNS) },
        );
      });
    });
  }

  describe('version vector', () => {
    const vvArb = fc
      .dictionary(fc.constantFrom('r1', 'r2', 'r3', '__proto__', 'constructor'), fc.integer({ min: 1, max: 4 }))
      .map((d) => {
        const out: VV = {};
        for (const k of Object.keys(d))
          Object.defineProperty(out, k, { value: d[k], enumerable: true, writable: true, configurable: true });
        return out;
      });
    it('commutative', () =>
      fc.assert(
        fc.property(vvArb, vvArb, (a, b) => eq(vvMerge(a, b), vvMerge(b, a))),
        { numRuns: runs(RUNS) },
      ));
    it('associative', () =>
      fc.assert(
        fc.property(vvArb, vvArb, vvArb, (a, b, c) => eq(vvMerge(vvMerge(a, b), c), vvMerge(a, vvMerge(b, c)))),
        { numRuns: runs(RUNS) },
      ));
    it('idempotent', () =>
      fc.assert(
        fc.property(vvArb, (a) => eq(vvMerge(a, a), vvMerge(a, {}))),
        { numRuns: runs(RUNS) },
      ));
    it('state only grows, and compare agrees with the merge', () => {
      fc.assert(
        fc.property(vvArb, vvArb, (a, b) => {
          const m = vvMerge(a, b);
          const o = vvCompare(a, b);
          const byMerge = eq(m, vvMerge(a, {}))
            ? eq(m, vvMerge(b, {}))
              ? 'equal'
              : 'a-dominates'
            : eq(m, vvMerge(b, {}))
              ? 'b-dominates'
              : 'concurrent';
          return vvLeq(a, m) && vvLeq(b, m) && o === byMerge;
        }),
        { numRuns: runs(RUNS) },
      );
    });
  });
});

describe('the hard cases by hand', () => {
  it('LWW: equal clock readings from two replicas: the greater replica id wins, on both', () => {
    const a = lwwWrite(emptyDoc(), 'r1', 5, 'k', 'from r1');
    const b = lwwWrite(emptyDoc(), 'r2', 5, 'k', 'from r2');
    expect(a.lww['k']!.ts.slice(0, 2)).toEqual(b.lww['k']!.ts.slice(0, 2));
    expect(mergeDocs(a, b).lww['k']!.v).toBe('from r2');
    expect(mergeDocs(b, a).lww['k']!.v).toBe('from r2');
  });

  it('OR-Set: an add concurrent with a remove of the same element wins', () => {
    const base = setAdd(emptyDoc(), 'r1', 's', 'x');
    const removed = setRemove(base, 'r1', 's', 'x');
    const readded = setAdd(base, 'r2', 's', 'x');
    expect(Object.keys(mergeDocs(removed, readded).sets['s']!)).toEqual(['x']);
    // A remove that saw the add removes it.
    expect(mergeDocs(removed, base).sets['s']).toBeUndefined();
  });

  it('multi-value register: concurrent writes become siblings; a write over them resolves', () => {
    const a = mvWrite(emptyDoc(), 'r1', 'k', 'a');
    const b = mvWrite(emptyDoc(), 'r2', 'k', 'b');
    const m = mergeDocs(a, b);
    expect(m.mv['k']!.map((s) => s.v)).toEqual(['a', 'b']);
    const resolved = mvWrite(m, 'r1', 'k', 'c');
    expect(mergeDocs(resolved, b).mv['k']!.map((s) => s.v)).toEqual(['c']);
  });

  it('a collected tombstone does not let an old copy of the value back', () => {
    const w = lwwWrite(emptyDoc(), 'r1', 1, 'k', 'old');
    const del = lwwWrite(mergeDocs(emptyDoc(), w), 'r2', 2, 'k', null);
    const both = mergeDocs(w, del);
    const gced = collect(both, vvMin([both.vv, del.vv])).doc;
    expect(gced.lww['k']).toBeUndefined();
    expect(mergeDocs(gced, w).lww['k']).toBeUndefined();
    expect(mergeDocs(w, gced).lww['k']).toBeUndefined();
  });
});

describe("the reference's GossipNode (not a CRDT: these show its flaws)", () => {
  it('ties never converge: equal counters, different values, synced forever', () => {
    let a: RefStore = refWrite({}, 'node_0', 'key1', 'A');
    let b: RefStore = refWrite({}, 'node_1', 'key1', 'B');
    const seen: string[] = [];
    for (let round = 0; round < 50; round++) {
      const r = refSync(a, b);
      a = r.a;
      b = r.b;
      for (const f of r.flaws) seen.push(f.kind);
    }
    expect(refValuesEqual(a, b)).toBe(false);
    expect(seen).toContain('tie');
  });

  it('a concurrent write with a lower counter is silently dropped', () => {
    const a = refWrite(refWrite({}, 'node_0', 'k', 'A1'), 'node_0', 'k', 'A2');
    const b = refWrite({}, 'node_1', 'k', 'B1');
    const r = refSync(a, b);
    expect(r.a['k']!.v).toBe('A2');
    expect(r.b['k']!.v).toBe('A2');
    expect(r.flaws.some((f) => f.kind === 'dropped' && f.values[1] === 'B1')).toBe(true);
  });

  it('its merge is not commutative', () => {
    const a = refWrite({}, 'x', 'k', 1);
    const b = refWrite({}, 'y', 'k', 2);
    expect(refSync(a, b).a['k']!.v).not.toBe(refSync(b, a).a['k']!.v);
  });
});
