import { countText } from '../../state/format';
import { memo, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Trace, TraceEvent } from '../../sim/trace/trace';
import { relations } from '../../sim/trace/clock';
import { HIT, labelGutter, layoutSpaceTime, neighbourEvent } from '../../viz/spacetime';
import type { ArrowGeom, EventGeom, OpBar, SpaceTimeLayout } from '../../viz/spacetime';
import { agentColour } from '../../viz/palette';
import { useElementSize } from '../context';
import './spacetime.css';

/**
 * A space-time diagram of a trace: one lane per node (servers on top, as squares; agents as
 * circles), time left to right, operations as bars from invoke to completion with their
 * outcome as a shape (ok ●, fail ■, unknown ◇), messages as arrows (a dropped one ends in a
 * cross where it died), faults as triangles on their lanes and network-wide ones as bands.
 *
 * Choosing an event (click, or Tab into the diagram, arrows to move, Enter to choose) shows
 * its causal past (solid, heavier), what was concurrent with it (hollow, dashed ring) and
 * fades what came after; the same sets are listed as text below. Reusable: it sizes itself
 * to its box, so a Compare panel can hold a small one.
 */
export interface SpaceTimeDiagramProps {
  trace: Trace;
  /** Draws the cursor as a vertical line. */
  cursorTick?: number;
  onSelect?: (event: TraceEvent | null) => void;
  /** The ticks shown (default: the trace's window). */
  from?: number;
  to?: number;
  /** Smaller lanes and labels, no text lists (for a Compare panel). */
  compact?: boolean;
  /** The accessible name of the diagram. */
  label?: string;
}

type Rel = 'selected' | 'past' | 'future' | 'concurrent' | null;

const KIND_WORDS: Record<TraceEvent['kind'], string> = {
  invoke: 'invoke',
  complete: 'completion',
  send: 'send',
  receive: 'receive',
  fault: 'fault',
};

/** What became of each send's message(s), by send event: dropped where and why, duplicated. Once per trace. */
const fates = new WeakMap<Trace, Map<number, string>>();

function fateOf(trace: Trace, send: number): string | undefined {
  let m = fates.get(trace);
  if (!m) {
    m = new Map();
    for (const x of trace.messages) {
      const why = x.drop
        ? `dropped at tick ${x.drop.tick} (${x.drop.why === 'by-hand' ? 'by hand' : x.drop.why === 'crashed' ? 'receiver down' : x.drop.why})`
        : null;
      const note = [x.duplicate ? 'a duplicate copy' : null, why].filter((t) => t !== null).join(', ');
      if (note) m.set(x.send, m.has(x.send) ? `${m.get(x.send)!}; ${note}` : note);
    }
    fates.set(trace, m);
  }
  return m.get(send);
}

export function describeEvent(trace: Trace, e: TraceEvent): string {
  const fate = e.kind === 'send' ? fateOf(trace, e.id) : undefined;
  return `${trace.lanes[e.lane]!.id}, tick ${e.tick}, ${KIND_WORDS[e.kind]}: ${e.label}${fate ? ` (${fate})` : ''}${e.error ? ` (not applied: ${e.error})` : ''}`;
}

function Mark({ g, rel }: { g: EventGeom; rel: Rel }) {
  const cls = `st-mark st-${g.kind}${g.outcome ? ` st-${g.outcome}` : ''}`;
  const r = 4.5;
  let shape;
  if (g.kind === 'fault')
    shape = <path className={cls} d={`M${g.x},${g.y - 7} L${g.x + 6},${g.y + 4} L${g.x - 6},${g.y + 4} Z`} />;
  else if (g.kind === 'complete' && g.outcome === 'fail')
    shape = <rect className={cls} x={g.x - r} y={g.y - r} width={2 * r} height={2 * r} />;
  else if (g.kind === 'complete' && g.outcome === 'info')
    shape = (
      <path className={cls} d={`M${g.x},${g.y - 6} L${g.x + 6},${g.y} L${g.x},${g.y + 6} L${g.x - 6},${g.y} Z`} />
    );
  else if (g.kind === 'invoke') shape = <line className={cls} x1={g.x} y1={g.y - 7} x2={g.x} y2={g.y + 7} />;
  else shape = <circle className={cls} cx={g.x} cy={g.y} r={g.kind === 'complete' ? r : 3} />;
  return (
    <>
      {rel === 'selected' && <circle className="st-selected-ring" cx={g.x} cy={g.y} r={10} />}
      {rel === 'concurrent' && <circle className="st-concurrent-ring" cx={g.x} cy={g.y} r={7.5} />}
      {shape}
    </>
  );
}

const Arrow = memo(function Arrow({ a, rel }: { a: ArrowGeom; rel: 'past' | 'future' | 'other' }) {
  const dx = a.x2 - a.x1;
  const dy = a.y2 - a.y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const head = 6;
  const hx = a.x2 - ux * head;
  const hy = a.y2 - uy * head;
  return (
    <g className={`st-arrow st-arrow-${a.end} st-rel-${rel}${a.duplicate ? ' st-dup' : ''}`}>
      <line x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} />
      {a.end === 'dropped' ? (
        <g className="st-drop">
          <line x1={a.x2 - 5} y1={a.y2 - 5} x2={a.x2 + 5} y2={a.y2 + 5} />
          <line x1={a.x2 - 5} y1={a.y2 + 5} x2={a.x2 + 5} y2={a.y2 - 5} />
        </g>
      ) : (
        <path
          className="st-head"
          d={`M${a.x2},${a.y2} L${hx - uy * 3.5},${hy + ux * 3.5} L${hx + uy * 3.5},${hy - ux * 3.5} Z`}
        />
      )}
    </g>
  );
});

function Bar({ b }: { b: OpBar }) {
  return <line className={`st-bar st-bar-${b.outcome ?? 'pending'}`} x1={b.x1} y1={b.y} x2={b.x2} y2={b.y} />;
}

function LaneLabel({ L, i, compact }: { L: SpaceTimeLayout; i: number; compact: boolean }) {
  const lane = L.lanes[i]!;
  const x = 10;
  const s = compact ? 5 : 7;
  return (
    <g className={`st-lane-label st-lane-${lane.kind}`}>
      {lane.kind === 'server' ? (
        <rect className="st-lane-icon" x={x - s} y={lane.y - s} width={2 * s} height={2 * s} rx={3} />
      ) : (
        <circle className="st-lane-icon" cx={x} cy={lane.y} r={s} style={{ fill: agentColour(lane.id) }} />
      )}
      <text x={x + s + 5} y={lane.y} dominantBaseline="central">
        {lane.id}
      </text>
    </g>
  );
}

interface Handlers {
  toggle(id: number): void;
  key(e: KeyboardEvent, id: number): void;
  focus(id: number): void;
}

interface PlotProps {
  L: SpaceTimeLayout;
  trace: Trace;
  sel: TraceEvent | null;
  rels: ReturnType<typeof relations> | null;
  tabStop: number | null;
  compact: boolean;
  on: Handlers;
}

/** Everything but the cursor line: re-rendered when the trace, the size or the choice changes. */
const Plot = memo(function Plot({ L, trace, sel, rels, tabStop, compact, on }: PlotProps) {
  const relOf = (id: number): Rel =>
    sel === null || rels === null
      ? null
      : id === sel.id
        ? 'selected'
        : rels.past.has(id)
          ? 'past'
          : rels.future.has(id)
            ? 'future'
            : 'concurrent';
  const arrowRel = (a: ArrowGeom): 'past' | 'future' | 'other' => {
    if (sel === null || rels === null) return 'other';
    const inPast = (id: number | null): boolean => id !== null && (id === sel.id || rels.past.has(id));
    // A message is on the causal chain when both its ends are in the past (or are the event).
    if (a.receive !== null ? inPast(a.send) && inPast(a.receive) : rels.past.has(a.send)) return 'past';
    if (rels.future.has(a.send) || a.send === sel.id) return 'future';
    return 'other';
  };

  return (
    <>
      <g className="st-lanes" aria-hidden="true">
        {L.lanes.map((l, i) => (
          <g key={l.id}>
            <line className={`st-lane st-lane-line-${l.kind}`} x1={L.gutter} y1={l.y} x2={L.width - 8} y2={l.y} />
            <LaneLabel L={L} i={i} compact={compact} />
          </g>
        ))}
        {L.axis.map((a) => (
          <g key={a.tick} className="st-axis">
            <line x1={a.x} y1={L.top - 4} x2={a.x} y2={L.height - 16} />
            <text x={a.x} y={L.height - 4} textAnchor="middle">
              {a.tick}
            </text>
          </g>
        ))}
        {L.bands.map((b, i) => (
          <g key={i} className={`st-band st-band-${b.fault}`}>
            <line x1={b.x} y1={L.top - 6} x2={b.x} y2={L.height - 16} />
            <text x={b.x + 3} y={L.top - 8}>
              {b.fault === 'heal-all' ? 'heal all' : b.fault}
            </text>
            <title>{`tick ${b.tick}: ${b.label}`}</title>
          </g>
        ))}
      </g>
      <g className="st-bars" aria-hidden="true">
        {L.bars.map((b) => (
          <Bar key={b.op} b={b} />
        ))}
      </g>
      <g className="st-arrows" aria-hidden="true">
        {L.arrows.map((a) => (
          <Arrow key={a.msg} a={a} rel={arrowRel(a)} />
        ))}
      </g>
      <g className="st-events">
        {L.events.map((g) => {
          const e = trace.events[g.id]!;
          const rel = relOf(g.id);
          return (
            <g
              key={g.id}
              data-event={g.id}
              className={`st-event${rel ? ` st-rel-${rel}` : ''}`}
              role="button"
              tabIndex={g.id === tabStop ? 0 : -1}
              aria-pressed={rel === 'selected'}
              aria-label={describeEvent(trace, e)}
              onClick={() => on.toggle(g.id)}
              onKeyDown={(ev) => on.key(ev, g.id)}
              onFocus={() => on.focus(g.id)}
            >
              <rect className="st-hit" x={g.hitX1} y={g.y - 10} width={g.hitX2 - g.hitX1} height={20} />
              <rect className="st-focus" x={g.x - HIT} y={g.y - 10} width={2 * HIT} height={20} rx={3} />
              <Mark g={g} rel={rel} />
            </g>
          );
        })}
      </g>
    </>
  );
});

export function SpaceTimeDiagram({
  trace,
  cursorTick,
  onSelect,
  from,
  to,
  compact = false,
  label,
}: SpaceTimeDiagramProps) {
  const [boxRef, size] = useElementSize<HTMLDivElement>();
  const [selected, setSelected] = useState<number | null>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const lo = from ?? trace.from;
  const hi = to ?? trace.to;
  const width = Math.max(compact ? 200 : 320, size.width);
  const L = useMemo(
    () =>
      layoutSpaceTime(trace, {
        from: lo,
        to: hi,
        width,
        // A crowd gets narrower lanes: 51 lanes of 34 px would not fit any screen.
        ...(compact
          ? { laneHeight: 20, gutter: labelGutter(trace, 7), top: 14, bottom: 18 }
          : trace.lanes.length > 12
            ? { laneHeight: 24 }
            : {}),
      }),
    [trace, lo, hi, width, compact],
  );
  // A selection from another trace (the window moved) is dropped.
  const sel = selected !== null && trace.events[selected] !== undefined ? trace.events[selected]! : null;
  const rels = useMemo(() => (sel ? relations(trace, sel.id) : null), [trace, sel]);
  const tabStop = focus !== null && L.events.some((e) => e.id === focus) ? focus : (sel?.id ?? L.events[0]?.id ?? null);

  function choose(id: number | null): void {
    setSelected(id);
    if (id !== null) setFocus(id);
    onSelect?.(id === null ? null : trace.events[id]!);
  }

  function onKey(e: KeyboardEvent, id: number): void {
    const keys: Record<string, 'left' | 'right' | 'up' | 'down' | 'home' | 'end'> = {
      ArrowLeft: 'left',
      ArrowRight: 'right',
      ArrowUp: 'up',
      ArrowDown: 'down',
      Home: 'home',
      End: 'end',
    };
    const k = keys[e.key];
    if (k) {
      e.preventDefault();
      const next = neighbourEvent(L, id, k);
      setFocus(next);
      svgRef.current?.querySelector<SVGGElement>(`[data-event="${next}"]`)?.focus();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(selected === id ? null : id);
    } else if (e.key === 'Escape' && selected !== null) {
      e.preventDefault();
      choose(null);
    }
  }

  // Stable handlers, so a moving cursor re-renders the cursor line, not every event.
  const latest = useRef({ choose, onKey, selected });
  latest.current = { choose, onKey, selected };
  const on = useMemo<Handlers>(
    () => ({
      toggle: (id) => latest.current.choose(latest.current.selected === id ? null : id),
      key: (e, id) => latest.current.onKey(e, id),
      focus: (id) => setFocus(id),
    }),
    [],
  );

  const cursorX =
    cursorTick !== undefined && cursorTick >= lo && cursorTick <= hi ? L.gutter + (cursorTick - lo + 1) * L.slot : null;
  const name = label ?? `Space-time diagram, ticks ${lo} to ${hi}: ${L.lanes.length} lanes, ${L.events.length} events`;

  return (
    <div className={`st${compact ? ' st-compact' : ''}${sel ? ' st-has-selection' : ''}`}>
      <div className="st-box" ref={boxRef}>
        <svg ref={svgRef} className="st-svg" width={L.width} height={L.height} role="group" aria-label={name}>
          <Plot L={L} trace={trace} sel={sel} rels={rels} tabStop={tabStop} compact={compact} on={on} />
          {cursorX !== null && (
            <line className="st-cursor" x1={cursorX} y1={L.top - 6} x2={cursorX} y2={L.height - 16} />
          )}
        </svg>
      </div>
      {!compact && <SpaceTimeLegend />}
      {!compact && <SelectionText trace={trace} sel={sel} rels={rels} onChoose={choose} />}
    </div>
  );
}

export function SpaceTimeLegend() {
  return (
    <ul className="st-legend" aria-label="Legend of the space-time diagram">
      <li>
        <svg width="18" height="14" aria-hidden="true">
          <line className="st-mark st-invoke" x1="9" y1="1" x2="9" y2="13" />
        </svg>
        invoke
      </li>
      <li>
        <svg width="18" height="14" aria-hidden="true">
          <circle className="st-mark st-complete st-ok" cx="9" cy="7" r="4.5" />
        </svg>
        ok
      </li>
      <li>
        <svg width="18" height="14" aria-hidden="true">
          <rect className="st-mark st-complete st-fail" x="4.5" y="2.5" width="9" height="9" />
        </svg>
        fail
      </li>
      <li>
        <svg width="18" height="14" aria-hidden="true">
          <path className="st-mark st-complete st-info" d="M9,1 L15,7 L9,13 L3,7 Z" />
        </svg>
        unknown (timed out)
      </li>
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <line className="st-legend-msg" x1="1" y1="7" x2="15" y2="7" />
          <g className="st-drop">
            <line x1="14" y1="3" x2="21" y2="11" />
            <line x1="14" y1="11" x2="21" y2="3" />
          </g>
        </svg>
        message dropped
      </li>
      <li>
        <svg width="18" height="14" aria-hidden="true">
          <path className="st-mark st-fault" d="M9,1 L15,12 L3,12 Z" />
        </svg>
        fault
      </li>
      <li className="st-legend-rel">
        <span className="st-key st-key-past" aria-hidden="true" /> happened before the chosen event
      </li>
      <li className="st-legend-rel">
        <span className="st-key st-key-concurrent" aria-hidden="true" /> concurrent with it (dashed ring)
      </li>
      <li className="st-legend-rel">
        <span className="st-key st-key-future" aria-hidden="true" /> after it (faded)
      </li>
    </ul>
  );
}

const LIST_MAX = 40;

function EventList({
  trace,
  ids,
  title,
  onChoose,
}: {
  trace: Trace;
  ids: number[];
  title: string;
  onChoose: (id: number) => void;
}) {
  const shown = ids.slice(-LIST_MAX);
  return (
    <section className="st-list" aria-label={title}>
      <h4>
        {title} ({ids.length})
      </h4>
      {ids.length > LIST_MAX && <p className="hint">The {LIST_MAX} latest of them:</p>}
      {ids.length === 0 ? (
        <p className="hint">None in this window.</p>
      ) : (
        <ul>
          {shown.map((id) => (
            <li key={id}>
              <button type="button" className="st-list-item" onClick={() => onChoose(id)}>
                {describeEvent(trace, trace.events[id]!)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SelectionText({
  trace,
  sel,
  rels,
  onChoose,
}: {
  trace: Trace;
  sel: TraceEvent | null;
  rels: ReturnType<typeof relations> | null;
  onChoose: (id: number | null) => void;
}) {
  if (sel === null || rels === null) {
    return (
      <p className="st-help hint" role="status">
        Choose an event (click it, or Tab into the diagram, move with the arrow keys and press Enter) to see what
        happened before it and what was concurrent with it.
        {trace.truncated && ` The trace stops at tick ${trace.to}: it reached ${countText(trace.maxEvents)} events.`}
      </p>
    );
  }
  const clock = sel.clock
    .map((v, i) => ({ v, id: trace.lanes[i]!.id }))
    .filter((x) => x.v > 0)
    .map((x) => `${x.id} ${x.v}`)
    .join(', ');
  return (
    <div className="st-selection">
      <p role="status">
        <strong>Chosen:</strong> {describeEvent(trace, sel)}. <span className="st-clock">Vector clock: {clock}.</span>{' '}
        <button type="button" className="st-clear" onClick={() => onChoose(null)}>
          Clear choice
        </button>
      </p>
      <div className="st-lists">
        <EventList trace={trace} ids={[...rels.past]} title="Happened before it (causal past)" onChoose={onChoose} />
        <EventList trace={trace} ids={[...rels.concurrent]} title="Concurrent with it" onChoose={onChoose} />
      </div>
    </div>
  );
}
