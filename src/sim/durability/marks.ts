import type { DurabilityState } from './types';

/**
 * The ticks the timeline bar marks for durability: every backup taken, every crash that
 * lost data (`lost` or `unflushed-lost`; a crash that kept its disk is not recorded as an
 * event), every restore. Ascending, one entry per backup / event (two servers backed up at
 * the same tick are two backups). Empty lists when the world never used durability.
 */
export interface DiskMarks {
  backups: number[];
  losses: number[];
  restores: number[];
}

export function diskMarks(d: DurabilityState | undefined): DiskMarks {
  const out: DiskMarks = { backups: [], losses: [], restores: [] };
  if (!d) return out;
  for (const b of d.backups) out.backups.push(b.tick);
  for (const e of d.events) {
    if (e.kind === 'crash') out.losses.push(e.tick);
    else if (e.kind === 'restore') out.restores.push(e.tick);
  }
  // Both lists are appended in tick order already; sorting keeps the promise if that changes.
  out.backups.sort((a, b) => a - b);
  out.losses.sort((a, b) => a - b);
  out.restores.sort((a, b) => a - b);
  return out;
}
