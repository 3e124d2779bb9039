import { performance } from 'node:perf_hooks';
import { canonicalJson, cloneShared, deepFreeze, hashValue } from '../src/sim/core/hash';
import { worldAt } from '../src/sim/index';
import type { Scenario } from '../src/sim/index';
import { chooseBackup, drill, rollForward } from '../src/sim/durability/durability';
import { defaultScenario, gossipScenario } from '../src/sim/scenario/builtins';
import type { Figure } from './engine';

/**
 * Backups and point-in-time recovery: what a backup costs (size, time), what the archive
 * adds to a run, and how restore time grows with the length of the log it replays.
 */

function time(f: () => void, reps = 5): number {
  f();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export function backupBench(): Figure[] {
  const out: Figure[] = [];
  const base: Scenario = { ...defaultScenario(), duration: 5000 };
  const plain = time(() => worldAt(base, 5000), 3);
  // One backup at tick 0, so the archive covers the whole run: the worst case for replay.
  const one: Scenario = { ...base, durability: { wal: true, flushEvery: 10 }, actions: [{ tick: 0, type: 'backup' }] };
  const archived = time(() => worldAt(one, 5000), 3);
  out.push({ name: 'run 5,000 ticks, 3 agents, centralized: plain', value: round(plain, 1), unit: 'ms' });
  out.push({ name: 'same, archiving every input since a backup at tick 0', value: round(archived, 1), unit: 'ms' });

  const w = worldAt(one, 5000);
  const archive = w.durability!.disks['store']!.archive!;
  out.push({ name: 'archive entries after 5,000 ticks', value: archive.length, unit: '' });
  out.push({
    name: 'archive size (canonical JSON)',
    value: round(canonicalJson(archive).length / 1024, 1),
    unit: 'KB',
  });
  const state = w.servers['store']!.state;
  out.push({
    name: 'one backup of the store (canonical JSON)',
    value: round(canonicalJson(state).length / 1024, 1),
    unit: 'KB',
  });

  out.push({
    name: 'take one backup of it (copy, freeze, SHA-256)',
    value: round(time(() => hashValue(deepFreeze(cloneShared(state))))),
    unit: 'ms',
  });

  for (const target of [500, 1000, 2000, 4000]) {
    const c = chooseBackup(w, 'store', target, 1);
    if ('error' in c) throw new Error(c.error);
    const n = archive.filter((e) => e.at <= target).length;
    out.push({
      name: `restore to tick ${target} (replay ${n} archived inputs)`,
      value: round(time(() => rollForward(w, c.backup, target))),
      unit: 'ms',
    });
  }
  const b = w.durability!.backups[0]!;
  out.push({ name: 'restore drill over the whole archive', value: round(time(() => drill(w, b), 3)), unit: 'ms' });

  const g: Scenario = { ...gossipScenario(), durability: { wal: true, flushEvery: 10, backupEvery: 100 } };
  const gw = worldAt(g, 600);
  const gb = gw.durability!.backups.filter((x) => x.node === 'r1');
  const first = gb[0]!;
  out.push({
    name: 'gossip, 4 replicas: restore r1 from tick 0 to 590',
    value: round(time(() => rollForward(gw, first, 590))),
    unit: 'ms',
  });
  return out;
}
