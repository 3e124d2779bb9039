import { performance } from 'node:perf_hooks';
import { builtinComparison } from '../src/sim/compare/constants';
import { PanelRunner } from '../src/sim/compare/run';
import { scoreboard } from '../src/sim/compare/scoreboard';
import type { Figure } from './engine';

/**
 * The built-in comparison (six panels, 800 ticks, six agents) run to its end headless: each
 * panel's run (with the observer and the divergence readout) and its scoring (the checker),
 * and the whole. In the browser the same work runs in the comparison worker; the page shows
 * its wall time when it finishes ("All 6 panels run and scored in … s").
 */
export function compareBench(): Figure[] {
  const c = builtinComparison();
  const out: Figure[] = [];
  let total = 0;
  for (const p of c.panels) {
    const t0 = performance.now();
    const r = new PanelRunner(c, p);
    while (!r.step(100));
    const t1 = performance.now();
    scoreboard(c, r.result());
    const t2 = performance.now();
    total += t2 - t0;
    out.push({ name: `${p.label}: run / score`, value: Math.round(t1 - t0), unit: `ms / ${Math.round(t2 - t1)} ms` });
  }
  out.unshift({
    name: 'built-in comparison, all 6 panels to the end (headless)',
    value: Math.round(total),
    unit: 'ms',
    target: '< 10,000 ms; in a worker, page responsive',
  });
  return out;
}
