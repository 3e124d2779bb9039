import { describe, expect, it } from 'vitest';
import { worldAt } from '../sim/index';
import { backupsScenario, defaultScenario } from '../sim/scenario/builtins';
import { buildDurabilityView } from './durability';

describe('the backup timeline view', () => {
  it('is null for a scenario that never uses durability', () => {
    const s = defaultScenario();
    expect(buildDurabilityView(worldAt(s, 100), s)).toBeNull();
  });

  it('lists the built-in scenario’s losses, restore and drill with the writes each lost', () => {
    const s = backupsScenario();
    const v = buildDurabilityView(worldAt(s, 400), s)!;
    expect(v.servers).toEqual([{ id: 'store', wal: false, flushEvery: 50, backupEvery: 100, flushedAt: 400 }]);
    expect(v.backups.map((b) => b.tick)).toEqual([0, 100, 200, 400]);
    expect(v.events.map((e) => [e.kind, e.tick, e.title])).toEqual([
      ['crash', 145, 'store lost power'],
      ['crash', 300, 'store lost its disk'],
      ['restore', 320, 'store restored to tick 270'],
      ['drill', 330, 'Restore drill of backup #3: passed'],
    ]);
    const [power, disk, restore] = v.events;
    expect(power!.point).toBe(100);
    expect(power!.lost.length).toBeGreaterThan(0);
    for (const l of power!.lost) expect(l.tick).toBeGreaterThan(100);
    expect(disk!.repairedAt).toBe(320);
    expect(restore!.lost.map((l) => [l.agent, l.key])).toContainEqual(['agent1', 'z']);
    expect(restore!.maybe).toBe(1);
  });
});
