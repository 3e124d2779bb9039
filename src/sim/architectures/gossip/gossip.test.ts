import { describe, expect, it } from 'vitest';
import { simulate, type Workload } from './harness.testkit';
import type { GossipMode } from './config';

/**
 * Convergence under random schedules: reordering, duplication, loss, changing partitions,
 * a replica removed and added back, random operations; then heal and gossip. Every replica
 * must end equal (0 divergences in 100 seeds per mechanism), and no delete or remove may see
 * its victim come back at a replica that knows it, at any point of any schedule.
 */

const SEEDS = 100;
const mechanisms: [string, GossipMode, Workload][] = [
  ['LWW map (set, delete, update)', 'lww', 'kv'],
  ['multi-value registers (set, delete, update)', 'mv-register', 'kv'],
  ['G-Counter and PN-Counter', 'lww', 'counters'],
  ['OR-Set (add wins)', 'lww', 'or-set'],
];

describe('convergence under random schedules', () => {
  for (const [name, mode, workload] of mechanisms) {
    it(`${name}: ${SEEDS} seeds, 0 divergences, no resurrection`, () => {
      const divergent: number[] = [];
      const resurrected: string[] = [];
      let maxRounds = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const r = simulate({ seed, mode, workload });
        if (!r.converged) divergent.push(seed);
        resurrected.push(...r.resurrections.map((x) => `seed ${seed}: ${x}`));
        maxRounds = Math.max(maxRounds, r.roundsAfterHeal);
      }
      expect(resurrected.slice(0, 5)).toEqual([]);
      expect(divergent).toEqual([]);
      expect(maxRounds).toBeLessThanOrEqual(40);
    });
  }

  it("the reference mode's non-convergence: tied counters never reconcile, and it says so", () => {
    // Same schedules as above: in most of them some key ends with equal counters and
    // different values on two replicas, and no number of rounds fixes it.
    let diverged = 0;
    let named = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulate({ seed, mode: 'reference', workload: 'kv', churn: false, maxRoundsAfterHeal: 30 });
      if (!r.converged) diverged += 1;
      if (r.flaws > 0) named += 1;
    }
    expect(diverged).toBeGreaterThan(0);
    expect(named).toBeGreaterThanOrEqual(diverged);
  });
});
