import { describe, expect, it } from 'vitest';
import { worldAt } from '../engine/engine';
import { backupsScenario, defaultScenario } from '../scenario/builtins';
import { diskMarks } from './marks';

describe('disk marks for the timeline bar', () => {
  it('are empty when the scenario never used durability', () => {
    expect(diskMarks(worldAt(defaultScenario(), 300).durability)).toEqual({ backups: [], losses: [], restores: [] });
  });

  it("list the built-in backups scenario's backups, the two crashes that lost data and the restore", () => {
    const s = backupsScenario();
    const w = worldAt(s, s.duration);
    const m = diskMarks(w.durability);
    expect(m.backups).toEqual(w.durability!.backups.map((b) => b.tick));
    // The base backup at 0, then every 100 ticks except while the store is down (crashed at 300, restored at 320).
    expect(m.backups).toEqual([0, 100, 200, 400, 500]);
    expect(m.losses).toEqual([145, 300]);
    expect(m.restores).toEqual([320]);
  });

  it('do not mark a crash that kept its disk', () => {
    const s = {
      ...backupsScenario(),
      actions: [
        { tick: 40, type: 'crash' as const, node: 'store' },
        { tick: 50, type: 'recover' as const, node: 'store' },
      ],
    };
    expect(diskMarks(worldAt(s, 120).durability).losses).toEqual([]);
  });
});
