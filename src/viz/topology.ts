import { compareNatural } from '../sim/core/dict';
import { forceCollide, forceSimulation, forceX, forceY } from 'd3';
import type { SimulationNodeDatum } from 'd3';

/**
 * Where the nodes of a hub-and-spoke topology sit: servers in the middle, agents on one or
 * two elliptical rings around them. d3-force runs headless (no DOM, a fixed number of
 * ticks), pulling each agent to its place on the ring while keeping agents apart, so the
 * same nodes always get the same positions; positions from the previous layout are the
 * starting point, so a spawn moves everyone a little instead of reshuffling them.
 */

export interface Point {
  x: number;
  y: number;
}

export interface NodeLayout extends Point {
  id: string;
  kind: 'server' | 'agent';
  /** Radius for agents; half the side for servers. */
  r: number;
}

export interface TopologyLayout {
  width: number;
  height: number;
  nodes: Map<string, NodeLayout>;
  /** Whether labels must be short (many agents on the ring). */
  crowded: boolean;
}

interface SimNode extends SimulationNodeDatum {
  id: string;
  ring: number;
}

export function layoutTopology(
  servers: readonly string[],
  agents: readonly string[],
  width: number,
  height: number,
  previous?: TopologyLayout,
  /** Each agent's one server, where it has one: agents sit by it. */
  homes?: ReadonlyMap<string, string>,
): TopologyLayout {
  const w = Math.max(200, width);
  const h = Math.max(200, height);
  const cx = w / 2;
  const cy = h / 2;
  const crowded = agents.length > 12;
  const agentR = crowded ? 13 : 20;
  const serverHalf = 30;
  // Rings are ellipses that fill the box (diagrams are wider than tall), leaving room for
  // the label under each agent.
  const labelRoom = crowded ? 20 : 24;
  const rx = Math.max(70, w / 2 - agentR - 12);
  const ry = Math.max(60, h / 2 - agentR - labelRoom);
  const perimeter = 2 * Math.PI * Math.sqrt((rx * rx + ry * ry) / 2);
  const spacing = agentR * 2 + (crowded ? 26 : 40);
  const twoRings = agents.length * spacing > perimeter;
  const inner = 0.64;

  const nodes = new Map<string, NodeLayout>();
  // One to three servers sit in a row in the middle. More (shards, replicas) go on an inner
  // ring, turned like the agents' ring so agent i faces server i, when the box is tall enough
  // for an agent to sit outside its server; in a short box they zigzag along the middle, so a
  // link between two servers that are not neighbours does not run through a third.
  const nServers = servers.length;
  const ringK = 0.45;
  const ringFits = ry * (1 - ringK) >= serverHalf + agentR + 6;
  const rowStep = nServers > 1 ? Math.min(150, (rx * 1.1) / (nServers - 1)) : 0;
  const half =
    nServers <= 3
      ? serverHalf
      : Math.max(
          16,
          Math.min(serverHalf, Math.floor((ringFits ? (Math.PI * rx * ringK * 0.9) / nServers : rowStep * 0.8) / 2)),
        );
  servers.forEach((id, i) => {
    if (nServers <= 3) {
      const dx = (i - (nServers - 1) / 2) * (serverHalf * 2 + 20);
      nodes.set(id, { id, kind: 'server', x: cx + dx, y: cy, r: serverHalf });
    } else if (ringFits) {
      const angle = (2 * Math.PI * i) / nServers - Math.PI / 2;
      nodes.set(id, {
        id,
        kind: 'server',
        x: cx + rx * ringK * Math.cos(angle),
        y: cy + ry * ringK * Math.sin(angle),
        r: half,
      });
    } else {
      const zig = i % 2 === 0 ? -1 : 1;
      nodes.set(id, {
        id,
        kind: 'server',
        x: cx + (i - (nServers - 1) / 2) * rowStep,
        y: cy + zig * Math.min(half * 1.2, ry * 0.3),
        r: half,
      });
    }
  });

  // An agent with one home server (its replica, its coordinator) sits on the ring at that
  // server's bearing, beside the others of the same home; the rest spread evenly.
  const sorted = [...agents].sort(compareNatural);
  const bearing = new Map<string, number>();
  if (homes && servers.length > 1) {
    const byHome = new Map<string, string[]>();
    for (const id of sorted) {
      const home = homes.get(id);
      if (home && nodes.has(home)) byHome.set(home, [...(byHome.get(home) ?? []), id]);
    }
    // Everyone at one hub (a coordinator) says nothing about where each agent belongs:
    // crowding them at its side would only hide the hub. They spread round the ring instead.
    if (byHome.size === 1 && sorted.length > 1) byHome.clear();
    const step = spacing / Math.max(1, (rx + ry) / 2);
    for (const [home, list] of byHome) {
      const at = nodes.get(home)!;
      const base = Math.atan2((at.y - cy) / ry, (at.x - cx) / rx);
      list.forEach((id, k) => bearing.set(id, base + (k - (list.length - 1) / 2) * step));
    }
  }
  const sameBox = previous?.width === w && previous.height === h;
  const simNodes: (SimNode & { tx: number; ty: number })[] = sorted.map((id, i) => {
    const ring = twoRings ? i % 2 : 0;
    const k = ring === 0 ? 1 : inner;
    // On two rings, the inner ring is turned half a step so its agents sit between the outer ones.
    const angle = bearing.get(id) ?? (2 * Math.PI * i) / Math.max(1, sorted.length) - Math.PI / 2;
    const tx = cx + rx * k * Math.cos(angle);
    const ty = cy + ry * k * Math.sin(angle);
    const prev = sameBox ? previous?.nodes.get(id) : undefined;
    return { id, ring, tx, ty, x: prev ? prev.x : tx, y: prev ? prev.y : ty };
  });

  if (simNodes.length > 1) {
    type N = (typeof simNodes)[number];
    const sim = forceSimulation(simNodes)
      .force('x', forceX<N>((d) => d.tx).strength(0.6))
      .force('y', forceY<N>((d) => d.ty).strength(0.6))
      .force('collide', forceCollide<N>(agentR + (crowded ? 5 : 16)).strength(0.7))
      .stop();
    sim.tick(60);
  }

  // Far enough from the sides for the label under an agent ("agent12", about 60 px wide)
  // as well as its circle.
  const side = crowded ? agentR + 4 : Math.max(agentR + 4, 32);
  for (const n of simNodes) {
    const x = Math.min(w - side, Math.max(side, n.x ?? cx));
    // Room for the label above agents in the upper half and below those in the lower half.
    const y = Math.min(h - agentR - 20, Math.max(agentR + 20, n.y ?? cy));
    nodes.set(n.id, { id: n.id, kind: 'agent', x, y, r: agentR });
  }
  return { width: w, height: h, nodes, crowded };
}

/** A short label for crowded rings: the trailing number, or the first three characters. */
export function shortLabel(id: string): string {
  const m = /(\d+)$/.exec(id);
  return m ? m[1]! : id.slice(0, 3);
}
