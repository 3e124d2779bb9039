import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../core/fuzz.testkit';
import { oracleLinearizable } from '../oracle/oracle.testkit';
import { checkHistory, checkHistoryText, type CheckReport } from './check';
import { parseHistory, readStateLab } from './formats';
import { kvModel } from './kv-model';
import type { HistOp } from './model';
import { historyArb, toOracle, type GenHistory } from './random-histories.testkit';
import { registerModel } from './register-model';
import { Closure } from './witness';

/**
 * The checker (`sim check`: parser, search, witness) against the independent oracle, on
 * random histories of every kind the models have and every outcome, in all three formats.
 */
function check(h: GenHistory): CheckReport {
  return h.history !== undefined ? checkHistory(h.history) : checkHistoryText(h.text ?? '');
}

function parsedOps(h: GenHistory): HistOp<unknown, unknown>[] {
  const parsed = h.history !== undefined ? readStateLab(h.history) : parseHistory(h.text ?? '');
  return parsed.ops as HistOp<unknown, unknown>[];
}

/**
 * A witness must be evidence: its ops alone are not linearizable, it is closed (every read
 * keeps every write that could have fed it, see witness.ts), and removing any one op, with
 * whatever then lacks a possible source, leaves a linearizable history. Without the closure,
 * removing the only write of 3 leaves "read 3" alone, which no order explains: dropping one
 * op of a witness need not make it linearizable, dropping it with what depended on it must.
 */
function checkWitness(h: GenHistory, report: CheckReport): void {
  const w = report.witness;
  expect(w, 'a non-linearizable verdict comes with a witness').toBeDefined();
  if (w === undefined) return;
  expect(w.minimal).toBe(true);
  const keyOps = parsedOps(h).filter((o) => o.key === w.key);
  const model = (h.dialect === 'kv' ? kvModel() : registerModel()) as unknown as ConstructorParameters<
    typeof Closure<unknown, unknown, unknown>
  >[0];
  const closure = new Closure(model, keyOps);
  const ids = new Set(w.opIds);
  const inW = new Set([...keyOps.keys()].filter((i) => ids.has(keyOps[i]?.id ?? -1)));
  const idsOf = (set: ReadonlySet<number>): Set<number> => new Set([...set].map((i) => keyOps[i]?.id ?? -1));
  expect(oracleLinearizable(toOracle(h, ids)).linearizable, 'the witness alone is not linearizable').toBe(false);
  expect(closure.isClosed(inW), 'the witness is closed').toBe(true);
  for (const i of inW) {
    const rest = closure.closeDown(new Set([...inW].filter((j) => j !== i)));
    expect(
      oracleLinearizable(toOracle(h, idsOf(rest))).linearizable,
      `without op ${keyOps[i]?.id} the witness is linearizable`,
    ).toBe(true);
  }
}

describe('the checker agrees with the independent oracle', () => {
  it('on random histories: register and kv, ok / fail / info / never completed, three formats', () => {
    const split = { linearizable: 0, not: 0, undecided: 0 };
    fc.assert(
      fc.property(historyArb, (h) => {
        const expected = oracleLinearizable(toOracle(h)).linearizable;
        if (expected === 'unknown') {
          split.undecided++;
          return;
        }
        const report = check(h);
        expect(report.linearizable).toBe(expected);
        if (expected) split.linearizable++;
        else {
          split.not++;
          checkWitness(h, report);
        }
      }),
      { numRuns: runs(2000) },
    );
    const total = split.linearizable + split.not;
    console.log(
      `checker vs oracle: ${total} histories agreed, ${split.linearizable} linearizable (${pct(split.linearizable, total)}), ` +
        `${split.not} not (${pct(split.not, total)}), ${split.undecided} past the oracle's step cap`,
    );
    expect(total).toBeGreaterThanOrEqual(runs(2000) * 0.99);
    expect(split.linearizable / total).toBeGreaterThanOrEqual(0.3);
    expect(split.not / total).toBeGreaterThanOrEqual(0.3);
  });
});

function pct(n: number, total: number): string {
  return `${total === 0 ? 0 : Math.round((100 * n) / total)} %`;
}
