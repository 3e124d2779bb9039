import type { Scenario, World } from '../../sim/index';

/** What the gossip panels show, copied out of the world (plain data; see ../view.ts). */
export interface GossipView {
  kind: 'gossip';
}

export function buildGossipView(_w: World, _s: Scenario): GossipView {
  return { kind: 'gossip' };
}
