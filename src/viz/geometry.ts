import type { NodeLayout, Point } from './topology';

/**
 * Pure geometry for links and messages. Everything is a function of positions and (for
 * messages) of the playback's fractional tick: animation is interpolation of simulation
 * time, never a second source of truth.
 */

/** Where the segment from a's centre towards b leaves a's outline (circle or square). */
export function edgePoint(a: NodeLayout, b: Point): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  if (a.kind === 'agent') return { x: a.x + (dx / len) * a.r, y: a.y + (dy / len) * a.r };
  // A square of half-side r: scale the direction until it hits the nearer side.
  const s = a.r / Math.max(Math.abs(dx), Math.abs(dy), 1e-9);
  return { x: a.x + dx * s, y: a.y + dy * s };
}

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The visible line between two nodes, outline to outline. */
export function linkSegment(a: NodeLayout, b: NodeLayout): Segment {
  const p = edgePoint(a, b);
  const q = edgePoint(b, a);
  return { x1: p.x, y1: p.y, x2: q.x, y2: q.y };
}

/** A cut link is drawn as two pieces with a gap in the middle (the gap is the cut). */
export function splitWithGap(s: Segment, gap: number): [Segment, Segment] {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const len = Math.hypot(dx, dy) || 1;
  const half = Math.min(gap, len * 0.6) / 2;
  const mx = (s.x1 + s.x2) / 2;
  const my = (s.y1 + s.y2) / 2;
  const ux = dx / len;
  const uy = dy / len;
  return [
    { x1: s.x1, y1: s.y1, x2: mx - ux * half, y2: my - uy * half },
    { x1: mx + ux * half, y1: my + uy * half, x2: s.x2, y2: s.y2 },
  ];
}

export function lerp(s: Segment, t: number): Point {
  const k = Math.min(1, Math.max(0, t));
  return { x: s.x1 + (s.x2 - s.x1) * k, y: s.y1 + (s.y2 - s.y1) * k };
}

/**
 * How far along its link a message is at fractional tick `f`: 0 when sent, 1 when it
 * arrives. With reduced motion, messages sit still at the middle of their link.
 */
export function messageProgress(sentAt: number, deliverAt: number, f: number, reducedMotion: boolean): number {
  if (reducedMotion) return 0.5;
  const span = Math.max(1, deliverAt - sentAt);
  return Math.min(1, Math.max(0, (f - sentAt) / span));
}

/**
 * Where a dropped message died along its link: near the sender when it never left (a cut
 * link or loss at send), at the receiver when it arrived at a crashed node or a link cut
 * while it travelled.
 */
export function dropProgress(why: 'lost' | 'cut' | 'crashed' | 'by-hand', sentAt: number, at: number): number {
  if (why === 'crashed') return 0.92;
  if (at === sentAt) return 0.12;
  return why === 'by-hand' ? 0.5 : 0.92;
}

/** Opacity of a dropped message: fades over `ticks` ticks after it died (1 with reduced motion until it goes). */
export function dropOpacity(at: number, f: number, ticks: number, reducedMotion: boolean): number {
  const age = f - at;
  if (age < 0 || age > ticks) return 0;
  return reducedMotion ? 1 : Math.max(0, 1 - age / ticks);
}

/** Perpendicular offset so a request and its reply on the same link do not overlap. */
export function offsetSegment(s: Segment, by: number): Segment {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const len = Math.hypot(dx, dy) || 1;
  const ox = (-dy / len) * by;
  const oy = (dx / len) * by;
  return { x1: s.x1 + ox, y1: s.y1 + oy, x2: s.x2 + ox, y2: s.y2 + oy };
}
