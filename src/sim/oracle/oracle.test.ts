import { describe, expect, it } from 'vitest';
import { oracleLinearizable, type OracleOp } from './oracle.testkit';

const INF = Infinity;
const lin = (ops: OracleOp[]): boolean | 'unknown' => oracleLinearizable(ops).linearizable;

describe('the oracle, on cases small enough to check by hand', () => {
  it('two reads and no writes, one never completing, are linearizable', () => {
    expect(
      lin([
        { kind: 'read', key: 'r', call: 1, ret: 3, result: { value: null } },
        { kind: 'read', key: 'r', call: 2, ret: INF },
      ]),
    ).toBe(true);
  });

  it('a read of a value nobody wrote is not', () => {
    expect(lin([{ kind: 'read', key: 'r', call: 1, ret: 2, result: { value: '1' } }])).toBe(false);
  });

  it('a read after a completed write must see it; a concurrent one may not', () => {
    const w: OracleOp = { kind: 'write', key: 'r', value: '1', call: 1, ret: 2 };
    expect(lin([w, { kind: 'read', key: 'r', call: 3, ret: 4, result: { value: null } }])).toBe(false);
    expect(lin([w, { kind: 'read', key: 'r', call: 2, ret: 4, result: { value: null } }])).toBe(true);
  });

  it('a write that never completed may take effect late, or never', () => {
    const w: OracleOp = { kind: 'write', key: 'r', value: '1', call: 1, ret: INF };
    expect(lin([w, { kind: 'read', key: 'r', call: 5, ret: 6, result: { value: null } }])).toBe(true);
    expect(
      lin([
        w,
        { kind: 'read', key: 'r', call: 5, ret: 6, result: { value: '1' } },
        { kind: 'read', key: 'r', call: 7, ret: 8, result: { value: null } },
      ]),
    ).toBe(false);
  });

  it('compare-and-set: swapped needs the value, not swapped needs another, unknown does what the state says', () => {
    const w: OracleOp = { kind: 'write', key: 'r', value: '1', call: 1, ret: 2 };
    expect(lin([w, { kind: 'cas', key: 'r', from: '1', to: '2', call: 3, ret: 4, result: { swapped: true } }])).toBe(
      true,
    );
    expect(lin([w, { kind: 'cas', key: 'r', from: '2', to: '3', call: 3, ret: 4, result: { swapped: true } }])).toBe(
      false,
    );
    expect(lin([w, { kind: 'cas', key: 'r', from: '1', to: '3', call: 3, ret: 4, result: { swapped: false } }])).toBe(
      false,
    );
    expect(
      lin([
        w,
        { kind: 'cas', key: 'r', from: '1', to: '3', call: 3, ret: INF },
        { kind: 'read', key: 'r', call: 5, ret: 6, result: { value: '3' } },
      ]),
    ).toBe(true);
  });

  it('delete: no value after it, and "existed" must be right', () => {
    const w: OracleOp = { kind: 'write', key: 'r', value: '1', call: 1, ret: 2 };
    expect(lin([w, { kind: 'delete', key: 'r', call: 3, ret: 4, result: { existed: false } }])).toBe(false);
    expect(
      lin([
        w,
        { kind: 'delete', key: 'r', call: 3, ret: 4, result: { existed: true } },
        { kind: 'read', key: 'r', call: 5, ret: 6, result: { value: null } },
      ]),
    ).toBe(true);
  });

  it('kv: get sees the whole string, appends in some order', () => {
    expect(
      lin([
        { kind: 'append', key: 'k', value: 'a', call: 1, ret: 4 },
        { kind: 'append', key: 'k', value: 'b', call: 2, ret: 3 },
        { kind: 'get', key: 'k', call: 5, ret: 6, result: { value: 'ba' } },
      ]),
    ).toBe(true);
    expect(
      lin([
        { kind: 'append', key: 'k', value: 'a', call: 1, ret: 2 },
        { kind: 'append', key: 'k', value: 'b', call: 3, ret: 4 },
        { kind: 'get', key: 'k', call: 5, ret: 6, result: { value: 'ba' } },
      ]),
    ).toBe(false);
    expect(lin([{ kind: 'get', key: 'k', call: 1, ret: 2, result: { value: '' } }])).toBe(true);
  });

  it('keys are one store: a history wrong on one key is wrong', () => {
    expect(
      lin([
        { kind: 'write', key: 'x', value: '1', call: 1, ret: 2 },
        { kind: 'read', key: 'y', call: 3, ret: 4, result: { value: '1' } },
      ]),
    ).toBe(false);
  });

  it('the classic new/old inversion is not linearizable', () => {
    expect(
      lin([
        { kind: 'write', key: 'r', value: '1', call: 1, ret: 10 },
        { kind: 'read', key: 'r', call: 2, ret: 3, result: { value: '1' } },
        { kind: 'read', key: 'r', call: 4, ret: 5, result: { value: null } },
      ]),
    ).toBe(false);
  });

  it('answers unknown past its step cap, never a verdict', () => {
    const ops: OracleOp[] = Array.from({ length: 10 }, (_, i) => ({
      kind: 'write',
      key: 'r',
      value: String(i),
      call: 0,
      ret: 100,
    }));
    ops.push({ kind: 'read', key: 'r', call: 200, ret: 201, result: { value: 'x' } });
    expect(oracleLinearizable(ops, { maxSteps: 50 }).linearizable).toBe('unknown');
    expect(oracleLinearizable(ops).linearizable).toBe(false);
  });
});
