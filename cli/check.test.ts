import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from './check';
import { corpusDir } from '../src/sim/history/corpus.testkit';
import { faultsScenario, runReport, worldAt } from '../src/sim/index';

describe('sim check', () => {
  it('checks a corpus log and says why it is not linearizable', () => {
    const r = checkCommand(join(corpusDir(), 'jepsen-etcd/etcd_000.log'), {});
    expect(r.format).toBe('jepsen-etcd');
    expect(r.linearizable).toBe(false);
    expect(r.witness?.opIds.length).toBeGreaterThan(0);
    expect(r.anomalies.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('checks a StateLab history file, with sessions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-check-'));
    try {
      const file = join(dir, 'h.json');
      const op = (id: number, agent: string, name: string, args: object, t: number, result: object): object => ({
        id,
        agent,
        op: name,
        args,
        invokedAt: t,
        completedAt: t + 1,
        outcome: 'ok',
        result,
        reason: null,
      });
      writeFileSync(
        file,
        JSON.stringify({
          ops: [
            op(1, 'a', 'set', { key: 'x', value: 1 }, 0, { version: 1 }),
            op(2, 'b', 'get', { key: 'x' }, 2, { value: 1, version: 1 }),
          ],
        }),
      );
      const r = checkCommand(file, { maxSteps: 1000 });
      expect(r.format).toBe('statelab');
      expect(r.linearizable).toBe(true);
      expect(r.linearization).toEqual({ x: [1, 2] });
      expect(r.sessions?.violations).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the report `sim run` prints, operation for operation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-check-'));
    try {
      const s = faultsScenario();
      const w = worldAt(s, s.duration);
      const file = join(dir, 'report.json');
      writeFileSync(file, JSON.stringify(runReport(s, w)));
      const r = checkCommand(file, {});
      expect(r.format).toBe('statelab');
      expect(r.ops).toBe(w.history.length);
      expect(r.linearizable).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
