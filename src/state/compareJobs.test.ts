import { describe, expect, it } from 'vitest';
import { CompareJobs } from './compareJobs';
import type { FromWorker } from './protocol';
import { builtinComparison } from '../sim/compare/constants';
import { buildScenario } from '../sim/compare/build';
import { worldAt, worldHash } from '../sim/engine/engine';

const small = () => ({
  ...builtinComparison(),
  duration: 120,
  faults: [
    { tick: 40, type: 'cut' as const, a: 'west', b: 'east' },
    { tick: 80, type: 'heal' as const },
  ],
  panels: builtinComparison().panels.slice(0, 2),
});

describe('comparison jobs (the worker, without the worker)', () => {
  it('posts progress and each panel as it is scored, then done', () => {
    const out: FromWorker[] = [];
    const jobs = new CompareJobs((m) => out.push(m));
    jobs.handle({ type: 'compare', id: 7, comparison: small() });
    let t = 0;
    while (jobs.work(5, () => t++));
    const panels = out.filter((m) => m.type === 'compare-panel');
    expect(panels.map((m) => m.type === 'compare-panel' && m.result.board.panel)).toEqual([
      'centralized',
      'event-sourcing',
    ]);
    expect(out.some((m) => m.type === 'compare-progress')).toBe(true);
    expect(out[out.length - 1]).toEqual({ type: 'compare-done', id: 7 });
    expect(jobs.idle).toBe(true);
  });

  it('cancels between slices, and says so', () => {
    const out: FromWorker[] = [];
    const jobs = new CompareJobs((m) => out.push(m));
    jobs.handle({ type: 'compare', id: 1, comparison: small() });
    let t = 0;
    expect(jobs.work(1, () => t++)).toBe(true);
    jobs.handle({ type: 'cancel', id: 1 });
    expect(jobs.work(50, () => t++)).toBe(false);
    expect(out[out.length - 1]).toEqual({ type: 'compare-cancelled', id: 1 });
    expect(out.some((m) => m.type === 'compare-done')).toBe(false);
  });

  it("reports each panel's end world hash with its score: the hash a scenario link of that panel records", () => {
    const out: FromWorker[] = [];
    const jobs = new CompareJobs((m) => out.push(m));
    const c = small();
    jobs.handle({ type: 'compare', id: 3, comparison: c });
    let t = 0;
    while (jobs.work(5, () => t++));
    const hashes = out.flatMap((m) => (m.type === 'compare-panel' ? [m.result.hash] : []));
    expect(hashes).toEqual(c.panels.map((p) => worldHash(worldAt(buildScenario(c, p), c.duration))));
    expect(hashes[0]).not.toBe(hashes[1]);
  });
});
