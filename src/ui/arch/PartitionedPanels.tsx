import type { PartitionedView } from '../../state/arch/partitioned';
import type { LabActions } from '../../state/store';

/** The partitioned diagram, shown under the topology. */
export function PartitionedDiagram(_props: { view: PartitionedView; actions: LabActions }) {
  return null;
}

/** The partitioned controls, in the Act panel. */
export function PartitionedControls(_props: { view: PartitionedView; actions: LabActions; disabled: boolean }) {
  return null;
}
