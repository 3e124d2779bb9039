/**
 * `npm run bench`: prints StateLab's speed and memory figures next to their targets. Figures
 * are measured, not asserted: machines here are noisy, so tests never fail on a timing.
 * `npm run bench -- <part>` runs one part: engine, checker, gossip, event-sourcing,
 * partitioned, backup, trace, health, compare, audit, seed (StateLab beside the reference's
 * own Python, bench/seed.ts: ends with the `seed-ratio` line), app.
 */
import { existsSync } from 'node:fs';
import { engineBench, type Figure } from './engine';

function print(group: string, figures: Figure[]): void {
  console.log(`\n${group}`);
  for (const f of figures) {
    const v = `${f.value.toLocaleString('en')} ${f.unit}`.trim();
    console.log(`  ${f.name.padEnd(70)} ${v.padStart(14)}${f.target ? `   (target ${f.target})` : ''}`);
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'engine') print('Engine', engineBench());
  if ((!only || only === 'checker') && existsSync(new URL('./checker.ts', import.meta.url))) {
    const { checkerBench } = (await import('./checker')) as { checkerBench: () => Figure[] | Promise<Figure[]> };
    print('History checker', await checkerBench());
  }
  if (!only || only === 'gossip') {
    const { gossipBench } = await import('./gossip');
    print('Gossip (CRDTs)', gossipBench());
  }
  if (!only || only === 'event-sourcing') {
    const { eventSourcingBench } = await import('./eventSourcing');
    print('Event sourcing', eventSourcingBench());
  }
  if (!only || only === 'partitioned') {
    const { partitionedBench } = await import('./partitioned');
    print('Partitioned state', partitionedBench());
  }
  if (!only || only === 'backup') {
    const { backupBench } = await import('./backup');
    print('Backups and point-in-time recovery', backupBench());
  }
  if (!only || only === 'trace') {
    const { traceBench } = await import('./trace');
    print('Space-time traces', traceBench());
  }
  if (!only || only === 'health') {
    const { healthBench } = await import('./health');
    print('Health checks', healthBench());
  }
  if (!only || only === 'compare') {
    const { compareBench } = await import('./compare');
    print('Compare (built-in comparison)', compareBench());
  }
  if (!only || only === 'audit') {
    const { auditBench } = await import('./audit');
    print('Rollback and audit', auditBench());
  }
  if (!only || only === 'challenge') {
    const { challengeBench } = await import('./challenge');
    print('Challenges', challengeBench());
  }
  if (!only || only === 'seed') {
    const { seedBench } = await import('./seed');
    const r = seedBench();
    print("Beside the reference's own Python (same work, same run; ratio = reference time / StateLab time)", r.figures);
    for (const n of r.notes) console.log(`  ${n}`);
    if (r.line) console.log(r.line);
  }
  if ((!only || only === 'app') && existsSync(new URL('./app.ts', import.meta.url))) {
    if (!existsSync('dist/index.html')) console.log('\nApp: skipped (build first: npx vite build)');
    else {
      const { appBench } = (await import('./app')) as { appBench: () => Promise<Figure[]> };
      print('App (built, in Chromium)', await appBench());
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
