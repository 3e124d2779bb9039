import { describe, expect, it } from 'vitest';
import { sweepRow } from '../src/sim/architectures/gossip/sweep';
import { csvLine, parseSweepArgs, SWEEP_HEADER, theoryRounds } from './sweep';

describe('the rounds-to-converge sweep', () => {
  it('is seeded: the same row twice', () => {
    expect(sweepRow(1, 'push', 100, 1, 20)).toEqual(sweepRow(1, 'push', 100, 1, 20));
  });

  it('lands within two rounds of the literature for n = 100 and 1,000, and push-pull < pull < push', () => {
    for (const n of [100, 1000]) {
      const rows = (['push', 'pull', 'push-pull'] as const).map((m) => sweepRow(3, m, n, 1, 40));
      for (const r of rows) expect(Math.abs(r.mean - theoryRounds(r.mode, n, 1))).toBeLessThan(2);
      expect(rows[2]!.mean).toBeLessThan(rows[1]!.mean);
      expect(rows[1]!.mean).toBeLessThan(rows[0]!.mean);
    }
  });

  it("the reference's sequential round spreads faster than the synchronous one", () => {
    expect(sweepRow(1, 'push-pull', 200, 1, 30, true).mean).toBeLessThan(sweepRow(1, 'push-pull', 200, 1, 30).mean);
  });

  it('prints the CSV the issue names', () => {
    expect(SWEEP_HEADER).toBe('mode,replicas,fanout,trials,mean_rounds,p50_rounds,p95_rounds,theory_rounds');
    expect(csvLine(sweepRow(1, 'push', 10, 1, 5)).split(',')).toHaveLength(8);
    expect(() => parseSweepArgs(['--replicas', '20000'])).toThrow(/10,000/);
    expect(
      parseSweepArgs(['--replicas', '10,100', '--modes', 'push', '--fanout', '1', '--trials', '200', '--seed', '1']),
    ).toMatchObject({ replicas: [10, 100], modes: ['push'], trials: 200, seed: 1 });
  });
});
