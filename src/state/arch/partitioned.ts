import type { Scenario, World } from '../../sim/index';

/** What the partitioned panels show, copied out of the world (plain data; see ../view.ts). */
export interface PartitionedView {
  kind: 'partitioned';
}

export function buildPartitionedView(_w: World, _s: Scenario): PartitionedView {
  return { kind: 'partitioned' };
}
