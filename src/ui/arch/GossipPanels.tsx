import type { GossipView } from '../../state/arch/gossip';
import type { LabActions } from '../../state/store';

/** The gossip diagram, shown under the topology. */
export function GossipDiagram(_props: { view: GossipView; actions: LabActions }) {
  return null;
}

/** The gossip controls, in the Act panel. */
export function GossipControls(_props: { view: GossipView; actions: LabActions; disabled: boolean }) {
  return null;
}
