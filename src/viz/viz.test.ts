import { describe, expect, it } from 'vitest';
import { dropOpacity, edgePoint, linkSegment, messageProgress, splitWithGap } from './geometry';
import { bucketTicks } from './markers';
import { layoutTopology, shortLabel } from './topology';
import { agentColour, OKABE_ITO } from './palette';

describe('geometry', () => {
  it('moves a message from 0 to 1 over its latency, and keeps it still with reduced motion', () => {
    expect(messageProgress(10, 13, 10, false)).toBe(0);
    expect(messageProgress(10, 13, 11.5, false)).toBeCloseTo(0.5);
    expect(messageProgress(10, 13, 20, false)).toBe(1);
    expect(messageProgress(10, 13, 11.5, true)).toBe(0.5);
    expect(messageProgress(10, 13, 12.9, true)).toBe(0.5);
  });

  it('fades a drop over a few ticks, without fading under reduced motion', () => {
    expect(dropOpacity(5, 5, 3, false)).toBe(1);
    expect(dropOpacity(5, 6.5, 3, false)).toBeCloseTo(0.5);
    expect(dropOpacity(5, 9, 3, false)).toBe(0);
    expect(dropOpacity(5, 6.5, 3, true)).toBe(1);
  });

  it('draws links outline to outline, and a cut link with a gap in the middle', () => {
    const a = { id: 'a', kind: 'agent' as const, x: 0, y: 0, r: 10 };
    const s = { id: 's', kind: 'server' as const, x: 100, y: 0, r: 30 };
    expect(edgePoint(a, s)).toEqual({ x: 10, y: 0 });
    expect(edgePoint(s, a)).toEqual({ x: 70, y: 0 });
    const seg = linkSegment(a, s);
    const [p, q] = splitWithGap(seg, 20);
    expect(p.x2).toBeCloseTo(30);
    expect(q.x1).toBeCloseTo(50);
  });
});

describe('topology layout', () => {
  it('is deterministic, inside the box, and keeps agents apart', () => {
    const agents = Array.from({ length: 50 }, (_, i) => `agent${i + 1}`);
    const l1 = layoutTopology(['store'], agents, 600, 440);
    const l2 = layoutTopology(['store'], agents, 600, 440);
    expect([...l1.nodes.values()]).toEqual([...l2.nodes.values()]);
    for (const n of l1.nodes.values()) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(600);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(440);
    }
    const pts = agents.map((id) => l1.nodes.get(id)!);
    let minDist = Infinity;
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++)
        minDist = Math.min(minDist, Math.hypot(pts[i]!.x - pts[j]!.x, pts[i]!.y - pts[j]!.y));
    expect(minDist).toBeGreaterThan(2 * pts[0]!.r);
    expect(l1.crowded).toBe(true);
    expect(shortLabel('agent17')).toBe('17');
  });

  it('puts the store in the middle', () => {
    const l = layoutTopology(['store'], ['agent1', 'agent2', 'agent3'], 600, 400);
    expect(l.nodes.get('store')).toMatchObject({ x: 300, y: 200 });
  });
});

describe('markers and palette', () => {
  it('buckets ticks to pixels', () => {
    const b = bucketTicks([0, 1, 2, 500, 1000], 1000, 100, 3);
    expect(b.map((x) => x.count)).toEqual([3, 1, 1]);
  });

  it('gives agents Okabe-Ito colours by number', () => {
    expect(agentColour('agent1')).toBe(OKABE_ITO[0]);
    expect(agentColour('agent8')).toBe(OKABE_ITO[0]);
    expect(OKABE_ITO).toContain(agentColour('robot'));
  });
});
