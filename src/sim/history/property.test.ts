import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exhaustiveCheck } from './exhaustive';
import { INF } from './history.testkit';
import { kvModel, type KvInput, type KvOutput } from './kv-model';
import { checkLinearizability } from './linearizability';
import { UNKNOWN, type HistOp, type Model, type Unknown } from './model';
import { registerModel, type RegInput, type RegOutput } from './register-model';
import { validateLinearization } from './validate';
import { runs } from '../core/fuzz.testkit';

/**
 * Random small histories: 2-3 clients, each running its operations one after another, some
 * with unknown outcome (info: never returns) and some that never complete. The search and
 * the brute-force definition must agree, and the evidence must hold up.
 */
interface Step<I, O> {
  readonly gap: number;
  readonly duration: number;
  readonly input: I;
  readonly output: O | Unknown;
  readonly pending: boolean;
}

function histories<I, O>(step: fc.Arbitrary<Step<I, O>>): fc.Arbitrary<HistOp<I, O>[]> {
  return fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }).map((clients) => {
    const ops: HistOp<I, O>[] = [];
    clients.forEach((steps, c) => {
      let t = 0;
      for (const s of steps) {
        const call = t + s.gap;
        const ret = s.pending ? INF : call + s.duration;
        ops.push({
          id: 0,
          agent: `c${c}`,
          key: 'x',
          call,
          ret,
          input: s.input,
          output: s.pending ? UNKNOWN : s.output,
        });
        if (s.pending) break; // a client whose op never returns issues nothing more
        t = ret;
      }
    });
    return ops
      .slice(0, 7)
      .sort((a, b) => a.call - b.call)
      .map((o, id) => ({ ...o, id }));
  });
}

const value = fc.constantFrom<string | null>('1', '2', null);
type RS = Step<RegInput, RegOutput>;
type KS = Step<KvInput, KvOutput>;
const regStep: fc.Arbitrary<RS> = fc.oneof<fc.Arbitrary<RS>[]>(
  fc
    .record({ gap: fc.nat(3), duration: fc.nat(4), pending: fc.boolean(), v: value, unknownRead: fc.boolean() })
    .map((r): RS => ({
      gap: r.gap,
      duration: r.duration,
      pending: false,
      input: { f: 'read' as const },
      // A timed-out read: completed, result unknown (etcd's `:fail :read :timed-out`).
      output: r.unknownRead && r.pending ? UNKNOWN : { f: 'read' as const, value: r.v },
    })),
  fc
    .record({ gap: fc.nat(3), duration: fc.nat(4), pending: fc.boolean(), v: fc.constantFrom('1', '2') })
    .map((r): RS => ({
      gap: r.gap,
      duration: r.duration,
      pending: r.pending,
      input: { f: 'write' as const, value: r.v },
      output: { f: 'write' as const },
    })),
  fc
    .record({
      gap: fc.nat(3),
      duration: fc.nat(4),
      pending: fc.boolean(),
      from: value,
      to: fc.constantFrom('1', '2'),
      swapped: fc.boolean(),
    })
    .map((r): RS => ({
      gap: r.gap,
      duration: r.duration,
      pending: r.pending,
      input: { f: 'cas' as const, from: r.from, to: r.to },
      output: { f: 'cas' as const, swapped: r.swapped },
    })),
  fc
    .record({
      gap: fc.nat(3),
      duration: fc.nat(4),
      pending: fc.boolean(),
      existed: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map((r): RS => ({
      gap: r.gap,
      duration: r.duration,
      pending: r.pending,
      input: { f: 'delete' as const },
      output: r.existed === undefined ? { f: 'delete' as const } : { f: 'delete' as const, existed: r.existed },
    })),
);

const kvStep: fc.Arbitrary<KS> = fc.oneof<fc.Arbitrary<KS>[]>(
  fc
    .record({ gap: fc.nat(3), duration: fc.nat(4), v: fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'aa', 'c') })
    .map((r): KS => ({
      gap: r.gap,
      duration: r.duration,
      pending: false,
      input: { f: 'get' as const },
      output: { f: 'get' as const, value: r.v },
    })),
  fc
    .record({ gap: fc.nat(3), duration: fc.nat(4), pending: fc.boolean(), v: fc.constantFrom('a', 'b') })
    .map((r): KS => ({
      gap: r.gap,
      duration: r.duration,
      pending: r.pending,
      input: { f: 'append' as const, value: r.v },
      output: { f: 'append' as const },
    })),
  fc
    .record({ gap: fc.nat(3), duration: fc.nat(4), pending: fc.boolean(), v: fc.constantFrom('c', '') })
    .map((r): KS => ({
      gap: r.gap,
      duration: r.duration,
      pending: r.pending,
      input: { f: 'put' as const, value: r.v },
      output: { f: 'put' as const },
    })),
);

function agrees<S, I, O>(model: Model<S, I, O>, ops: HistOp<I, O>[]): void {
  const truth = exhaustiveCheck(model, ops).linearizable;
  const r = checkLinearizability(model, ops);
  expect(r.linearizable).toBe(truth);
  if (r.linearizable === true) {
    expect(validateLinearization(model, ops, r.linearization?.['x'] ?? [])).toEqual({ ok: true });
  } else {
    const ids = new Set(r.witness?.opIds ?? []);
    const w = ops.filter((o) => ids.has(o.id));
    expect(w.length).toBe(ids.size);
    expect(exhaustiveCheck(model, w).linearizable).toBe(false);
  }
}

describe('search = brute force on small random histories', () => {
  it('register with read, write, delete, cas', () => {
    fc.assert(
      fc.property(histories(regStep), (ops) => agrees(registerModel(), ops)),
      { numRuns: runs(1500) },
    );
  });

  it('kv with get, put, append', () => {
    fc.assert(
      fc.property(histories(kvStep), (ops) => agrees(kvModel(), ops)),
      { numRuns: runs(1500) },
    );
  });
});
