import { scaleLinear } from 'd3';
import type { Outcome } from '../sim/history/types';
import type { Trace, TraceEventKind, TraceLane, TraceMessage } from '../sim/trace/trace';

/**
 * Geometry of a space-time diagram: time runs left to right (as on the timeline bar under
 * it, and because the diagram region is wider than tall), one horizontal lane per node,
 * servers on top. Each tick is a slot; the events one lane has in one tick share its slot
 * in their order, so a send and the invoke just before it never sit on the same point.
 */

export interface SpaceTimeOptions {
  /** First and last tick shown. */
  from: number;
  to: number;
  width: number;
  laneHeight?: number;
  /** Room on the left for the lane labels. */
  gutter?: number;
  /** Room above the first lane (fault bands' labels) and below the last (the axis). */
  top?: number;
  bottom?: number;
}

export interface LaneGeom extends TraceLane {
  index: number;
  y: number;
}

export interface EventGeom {
  id: number;
  lane: number;
  x: number;
  y: number;
  kind: TraceEventKind;
  outcome?: Outcome;
  /** Where a click chooses this event: at most HIT px each side, and never past halfway to a lane neighbour. */
  hitX1: number;
  hitX2: number;
}

/** Half the width of an event's click target when it has room. */
export const HIT = 7;

/** An operation as a bar on its agent's lane, invoke to completion (or the window's edge). */
export interface OpBar {
  op: number;
  lane: number;
  y: number;
  x1: number;
  x2: number;
  /** null: still pending at the trace's end. */
  outcome: Outcome | null;
  invoke: number | null;
  complete: number | null;
}

export interface ArrowGeom {
  msg: number;
  send: number;
  receive: number | null;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** How it ended: received, dropped (with why), or still in flight when the trace ends. */
  end: 'received' | 'dropped' | 'in-flight';
  why?: NonNullable<TraceMessage['drop']>['why'];
  duplicate: boolean;
}

export interface BandGeom {
  x: number;
  tick: number;
  label: string;
  fault: string;
}

export interface SpaceTimeLayout {
  width: number;
  height: number;
  gutter: number;
  top: number;
  laneHeight: number;
  /** Pixels per tick. */
  slot: number;
  lanes: LaneGeom[];
  events: EventGeom[];
  bars: OpBar[];
  arrows: ArrowGeom[];
  bands: BandGeom[];
  axis: { x: number; tick: number }[];
}

/** Room for the longest lane name at about `charWidth` px a character, plus its icon. */
export function labelGutter(trace: Trace, charWidth: number): number {
  const longest = trace.lanes.reduce((n, l) => Math.max(n, l.id.length), 0);
  return Math.round(Math.min(160, Math.max(64, 32 + charWidth * longest)));
}

/** How far along its way a dropped message got: lost or cut at send dies near its sender. */
export function dropReach(m: Pick<TraceMessage, 'sentAt' | 'drop'>): number {
  if (m.drop === null) return 1;
  if (m.drop.tick === m.sentAt && (m.drop.why === 'lost' || m.drop.why === 'cut')) return 0.4;
  return 0.9;
}

export function layoutSpaceTime(trace: Trace, opts: SpaceTimeOptions): SpaceTimeLayout {
  const laneHeight = opts.laneHeight ?? 34;
  const gutter = opts.gutter ?? labelGutter(trace, 8.5);
  const top = opts.top ?? 22;
  const bottom = opts.bottom ?? 24;
  const from = Math.floor(opts.from);
  const to = Math.max(from, Math.floor(opts.to));
  const width = Math.max(gutter + 40, opts.width);
  const plot = width - gutter - 8;
  const ticks = to - from + 1;
  const slot = plot / ticks;
  /** Left edge of a tick's slot, clamped to the plot. */
  const tx = (t: number): number => gutter + Math.max(0, Math.min(ticks, t - from)) * slot;

  const lanes: LaneGeom[] = trace.lanes.map((l, i) => ({ ...l, index: i, y: top + i * laneHeight + laneHeight / 2 }));
  const height = top + lanes.length * laneHeight + bottom;

  // Where each event sits: its slot, shared in order with its lane's other events that tick.
  const xs = new Map<number, number>();
  const groupKey = (lane: number, tick: number): string => `${lane}@${tick}`;
  const groups = new Map<string, number[]>();
  for (const e of trace.events) {
    const k = groupKey(e.lane, e.tick);
    const g = groups.get(k);
    if (g) g.push(e.id);
    else groups.set(k, [e.id]);
  }
  for (const e of trace.events) {
    const g = groups.get(groupKey(e.lane, e.tick))!;
    const k = g.indexOf(e.id);
    const inside = e.tick < from ? 0 : e.tick > to ? 1 : (k + 0.5) / g.length;
    xs.set(e.id, tx(e.tick) + inside * slot);
  }
  const visible = (t: number): boolean => t >= from && t <= to;

  const events: EventGeom[] = [];
  for (const e of trace.events) {
    if (!visible(e.tick)) continue;
    const x = xs.get(e.id)!;
    const g: EventGeom = {
      id: e.id,
      lane: e.lane,
      x,
      y: lanes[e.lane]!.y,
      kind: e.kind,
      hitX1: x - HIT,
      hitX2: x + HIT,
    };
    if (e.outcome !== undefined) g.outcome = e.outcome;
    events.push(g);
  }
  // Events of one tick share its slot, a few px apart in a busy window: overlapping targets
  // would let a click choose the neighbour drawn on top, so the lane's targets are split midway.
  const byLane = new Map<number, EventGeom[]>();
  for (const g of events) {
    const l = byLane.get(g.lane);
    if (l) l.push(g);
    else byLane.set(g.lane, [g]);
  }
  for (const l of byLane.values()) {
    l.sort((a, b) => a.x - b.x);
    for (let i = 1; i < l.length; i++) {
      const a = l[i - 1]!;
      const b = l[i]!;
      const mid = (a.x + b.x) / 2;
      a.hitX2 = Math.min(a.hitX2, mid);
      b.hitX1 = Math.max(b.hitX1, mid);
    }
  }

  const bars: OpBar[] = [];
  const byOp = new Map<number, OpBar>();
  for (const e of trace.events) {
    if (e.op === undefined || (e.kind !== 'invoke' && e.kind !== 'complete')) continue;
    let b = byOp.get(e.op);
    if (!b) {
      b = {
        op: e.op,
        lane: e.lane,
        y: lanes[e.lane]!.y,
        x1: gutter,
        x2: gutter + plot,
        outcome: null,
        invoke: null,
        complete: null,
      };
      byOp.set(e.op, b);
      bars.push(b);
    }
    if (e.kind === 'invoke') {
      b.invoke = e.id;
      b.x1 = xs.get(e.id)!;
    } else {
      b.complete = e.id;
      b.x2 = xs.get(e.id)!;
      b.outcome = e.outcome ?? 'info';
    }
  }
  const tickOf = (id: number | null): number | null => (id === null ? null : trace.events[id]!.tick);
  const shownBars = bars.filter((b) => {
    const t1 = tickOf(b.invoke) ?? from;
    const t2 = tickOf(b.complete);
    return t1 <= to && (t2 === null || t2 >= from);
  });

  const arrows: ArrowGeom[] = [];
  for (const m of trace.messages) {
    const s = trace.events[m.send]!;
    const endTick = m.receive !== null ? trace.events[m.receive]!.tick : m.drop !== null ? m.drop.tick : m.deliverAt;
    if (endTick < from || s.tick > to) continue;
    const x1 = xs.get(m.send)!;
    const y1 = lanes[m.from]!.y;
    const yTo = lanes[m.to]!.y;
    let x2: number;
    let y2: number;
    let end: ArrowGeom['end'];
    if (m.receive !== null) {
      x2 = xs.get(m.receive)!;
      y2 = yTo;
      end = 'received';
    } else if (m.drop !== null) {
      const reach = dropReach(m);
      const xEnd = reach < 1 && m.drop.tick === m.sentAt ? tx(m.deliverAt) : tx(m.drop.tick) + slot / 2;
      x2 = x1 + (xEnd - x1) * reach;
      y2 = y1 + (yTo - y1) * reach;
      end = 'dropped';
    } else {
      x2 = tx(m.deliverAt);
      y2 = yTo;
      end = 'in-flight';
    }
    const a: ArrowGeom = { msg: m.id, send: m.send, receive: m.receive, x1, y1, x2, y2, end, duplicate: m.duplicate };
    if (m.drop !== null) a.why = m.drop.why;
    arrows.push(a);
  }

  const bands: BandGeom[] = trace.bands
    .filter((b) => visible(b.tick))
    .map((b) => ({ x: tx(b.tick), tick: b.tick, label: b.label, fault: b.fault }));

  const scale = scaleLinear()
    .domain([from, to + 1])
    .range([gutter, gutter + plot]);
  const axis = scale
    .ticks(Math.max(2, Math.floor(plot / 80)))
    .filter((t) => Number.isInteger(t) && t >= from && t <= to)
    .map((t) => ({ x: tx(t), tick: t }));

  return { width, height, gutter, top, laneHeight, slot, lanes, events, bars: shownBars, arrows, bands, axis };
}

/** The event to move to from `id` with an arrow key: along its lane, or the nearest in time on the next lane. */
export function neighbourEvent(
  layout: SpaceTimeLayout,
  id: number,
  key: 'left' | 'right' | 'up' | 'down' | 'home' | 'end',
): number {
  const byId = new Map(layout.events.map((e) => [e.id, e] as const));
  const e = byId.get(id);
  if (!e) return layout.events[0]?.id ?? id;
  const lane = layout.events.filter((x) => x.lane === e.lane);
  const i = lane.findIndex((x) => x.id === id);
  switch (key) {
    case 'left':
      return lane[Math.max(0, i - 1)]!.id;
    case 'right':
      return lane[Math.min(lane.length - 1, i + 1)]!.id;
    case 'home':
      return lane[0]!.id;
    case 'end':
      return lane[lane.length - 1]!.id;
    case 'up':
    case 'down': {
      const step = key === 'up' ? -1 : 1;
      for (let l = e.lane + step; l >= 0 && l < layout.lanes.length; l += step) {
        let best: EventGeom | null = null;
        for (const x of layout.events)
          if (x.lane === l && (best === null || Math.abs(x.x - e.x) < Math.abs(best.x - e.x))) best = x;
        if (best) return best.id;
      }
      return id;
    }
  }
}
