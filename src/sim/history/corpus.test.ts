import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus.testkit';
import { checkParsed } from './check';
import { exhaustiveCheck } from './exhaustive';
import { parseHistory } from './formats';
import { kvModel } from './kv-model';
import type { HistOp, Model } from './model';
import { registerModel } from './register-model';
import { validateLinearization } from './validate';

// A missing corpus fails this file, loudly: loadCorpus throws naming the path it tried.
const entries = loadCorpus();
const witnessSizes: number[] = [];

describe('linearizability corpus (Porcupine test data)', () => {
  it('has the histories listed in verdicts.tsv', () => {
    expect(entries.length).toBe(108);
  });

  for (const entry of entries) {
    it(`${entry.file} is ${entry.linearizable ? '' : 'not '}linearizable, with evidence`, () => {
      const parsed = parseHistory(entry.text);
      const report = checkParsed(parsed, { sequentialMaxSteps: 0 });
      expect(report.linearizable).toBe(entry.linearizable);
      // The evidence, checked by code that shares nothing with the search.
      const check = <S, I, O>(model: Model<S, I, O>, ops: readonly HistOp<I, O>[]): void => {
        if (entry.linearizable) {
          const lin = report.linearization ?? {};
          const keys = [...new Set(ops.map((o) => o.key))];
          expect(Object.keys(lin).sort()).toEqual(keys.sort());
          for (const key of keys) {
            const v = validateLinearization(
              model,
              ops.filter((o) => o.key === key),
              lin[key] ?? [],
            );
            expect(v, `${entry.file} key ${key}`).toEqual({ ok: true });
          }
          expect(report.anomalies).toEqual([]);
        } else {
          const w = report.witness;
          expect(w).toBeDefined();
          if (w === undefined) return;
          const ids = new Set(w.opIds);
          const wops = ops.filter((o) => o.key === w.key && ids.has(o.id));
          expect(wops.length).toBe(w.opIds.length);
          witnessSizes.push(wops.length);
          expect(w.minimal).toBe(true);
          expect(exhaustiveCheck(model, wops).linearizable, `${entry.file}: ${w.explanation}`).toBe(false);
          expect(w.explanation.length).toBeGreaterThan(20);
        }
      };
      if (parsed.model === 'kv') check(kvModel(), parsed.ops);
      else check(registerModel(), parsed.ops);
    });
  }

  it('keeps witnesses small', () => {
    // Shrinking is 1-minimal, not minimum: most witnesses have 3-8 operations; a few
    // etcd histories need more (cas chains with operations of unknown outcome).
    const small = witnessSizes.filter((n) => n <= 8).length;
    expect(witnessSizes.length).toBe(entries.filter((e) => !e.linearizable).length);
    expect(small / witnessSizes.length).toBeGreaterThan(0.9);
    expect(Math.max(...witnessSizes)).toBeLessThanOrEqual(16);
  });
});
