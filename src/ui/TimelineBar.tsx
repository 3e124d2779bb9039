import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { SPEEDS } from '../playback/machine';
import { bucketTicks } from '../viz/markers';
import { useElementSize, useLab } from './context';
import { Icon } from './icons';
import { UndoBar } from './ActPanel';
import { ShortHash } from './InspectPanel';
import type { Markers } from '../state/store';
import { describeStop } from '../state/store';

/** |< < [>] > >|, speed, the scrub slider with markers, and "tick 180 / 600". */
/** The only part of the bar that changes every frame. */
function TickReadout() {
  const cursor = useLab((s) => s.cursor);
  const end = useLab((s) => s.scenario.duration);
  return (
    <p className="tick-readout">
      tick <span className="num">{cursor}</span> / <span className="num">{end}</span>
    </p>
  );
}

export function TimelineBar() {
  const atStart = useLab((s) => s.cursor <= 0);
  const atEnd = useLab((s) => s.cursor >= s.scenario.duration);
  const status = useLab((s) => s.status);
  const speed = useLab((s) => s.speed);
  const actions = useLab((s) => s.actions);
  const ids = useId();
  const playing = status === 'playing';
  const seeking = status === 'seeking';

  return (
    <section className="panel timeline" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`} className="sr-only">
        Timeline
      </h2>
      <div className="transport">
        <button type="button" onClick={() => actions.toStart()} disabled={seeking} aria-label="To start">
          <Icon name="start" />
        </button>
        <button type="button" onClick={() => actions.stepBack()} disabled={seeking || atStart}>
          <Icon name="back" /> Step back
        </button>
        <button type="button" className="primary play" onClick={() => actions.toggle()} disabled={seeking}>
          <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => actions.step()} disabled={seeking || atEnd}>
          Step <Icon name="step" />
        </button>
        <button type="button" onClick={() => actions.toEnd()} disabled={seeking} aria-label="To end">
          <Icon name="end" />
        </button>
        <label className="speed" htmlFor={`${ids}-speed`}>
          Speed
        </label>
        <select id={`${ids}-speed`} value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} ticks/s
            </option>
          ))}
        </select>
        <UndoBar />
        <ShortHash />
        <TickReadout />
      </div>
      <Scrubber />
      <SeekProgress />
      <ReplayStopped />
    </section>
  );
}

function Scrubber() {
  const cursor = useLab((s) => s.cursor);
  const end = useLab((s) => s.scenario.duration);
  const markers = useLab((s) => s.markers);
  const actions = useLab((s) => s.actions);
  const seeking = useLab((s) => s.status === 'seeking');
  const [ref, size] = useElementSize<HTMLDivElement>();
  const ids = useId();
  // The range thumb's centre travels inside the track, inset by half the thumb.
  const inset = 10;
  const width = Math.max(0, size.width - 2 * inset);
  const soFar = markers.upTo < end ? ' so far' : '';
  const kinds = LANE_KINDS.filter((k) => markers[k].length > 0);
  // The slider's description is the legend's words, without the Next buttons between them.
  const describedBy = ['a', 'f', ...kinds].map((k) => `${ids}-${k}`).join(' ');
  return (
    <div className="scrubber" ref={ref}>
      <input
        type="range"
        min={0}
        max={end}
        step={1}
        value={cursor}
        disabled={seeking}
        aria-label="Tick"
        aria-valuetext={`tick ${cursor} of ${end}`}
        aria-describedby={describedBy}
        onChange={(e) => actions.seekTo(Number(e.target.value))}
      />
      <Marks markers={markers} end={end} width={width} inset={inset} full={size.width} />
      <p className="marks-legend">
        <span id={`${ids}-a`}>
          <svg width="12" height="9" aria-hidden="true">
            <path className="mark-action" d="M 6 0 l 5 8 l -10 0 z" />
          </svg>{' '}
          {markers.actions.length} action{markers.actions.length === 1 ? '' : 's'}
        </span>
        <span id={`${ids}-f`}>
          <svg width="6" height="10" aria-hidden="true">
            <rect className="mark-fail" x="1" y="1" width="3" height="8" />
          </svg>{' '}
          {markers.failures.length} failed or timed-out operation{markers.failures.length === 1 ? '' : 's'}
          {soFar}
        </span>
        {kinds.map((k) => {
          const ticks = markers[k];
          const n = ticks.length;
          const next = ticks.find((t) => t > cursor);
          return (
            <span key={k} className="marks-entry">
              <span id={`${ids}-${k}`}>
                <svg width="11" height="11" aria-hidden="true">
                  <path className={`mark-${k}`} d={GLYPHS[k](5.5, 1)} />
                </svg>{' '}
                {n} {n === 1 ? KIND_TEXT[k][0] : KIND_TEXT[k][1]}
                {soFar}
              </span>
              <button
                type="button"
                className="mark-next"
                disabled={seeking || next === undefined}
                onClick={() => next !== undefined && actions.seekTo(next)}
              >
                Next<span className="sr-only"> {KIND_TEXT[k][2]}</span>
              </button>
            </span>
          );
        })}
      </p>
    </div>
  );
}

/** The worker's marks beyond actions and failures, drawn in lanes under them when present. */
const LANE_KINDS = ['backups', 'losses', 'restores', 'suspicions', 'falseSuspicions'] as const;
type LaneKind = (typeof LANE_KINDS)[number];

/** Legend words, one and many, and what its Next button goes to ("Next backup"). */
const KIND_TEXT: Record<LaneKind, [string, string, string]> = {
  backups: ['backup', 'backups', 'backup'],
  losses: ['crash that lost data', 'crashes that lost data', 'crash that lost data'],
  restores: ['restore', 'restores', 'restore'],
  suspicions: ['suspicion of a crashed node', 'suspicions of a crashed node', 'suspicion of a crashed node'],
  falseSuspicions: ['false suspicion (the node was up)', 'false suspicions (the node was up)', 'false suspicion'],
};

/**
 * Each kind's own shape, 9 px tall from y, centred on x (colour is never the only
 * difference): a disk-like square, a cross, a ring, a filled and a hollow diamond.
 */
const GLYPHS: Record<LaneKind, (x: number, y: number) => string> = {
  backups: (x, y) => `M${x - 4} ${y + 0.5}h8v8h-8z`,
  losses: (x, y) => `M${x - 4} ${y + 0.5}l8 8M${x + 4} ${y + 0.5}l-8 8`,
  restores: (x, y) => `M${x - 4} ${y + 4.5}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0`,
  suspicions: (x, y) => `M${x} ${y}l4.5 4.5l-4.5 4.5l-4.5 -4.5z`,
  falseSuspicions: (x, y) => `M${x} ${y + 0.75}l3.75 3.75l-3.75 3.75l-3.75 -3.75z`,
};

const LANE_OF: Record<LaneKind, 'disk' | 'health'> = {
  backups: 'disk',
  losses: 'disk',
  restores: 'disk',
  suspicions: 'health',
  falseSuspicions: 'health',
};
/** Height of the action and failure row, then of each lane below it. */
const ROW = 14;
const LANE = 13;

/** Markers change with the scenario, not with the cursor: memoised apart from the slider. */
const Marks = memo(function Marks(props: {
  markers: Markers;
  end: number;
  width: number;
  inset: number;
  full: number;
}) {
  const { markers, end, width, inset, full } = props;
  const d = useMemo(() => {
    let fail = '';
    for (const m of bucketTicks(markers.failures, end, width, 3)) fail += `M${inset + m.x - 1} 7h3v7h-3z`;
    let act = '';
    for (const m of bucketTicks(markers.actions, end, width, 4)) act += `M${inset + m.x} 0l5 7h-10z`;
    // A lane only for what the run has, so a run without durability or health keeps its bar.
    const lanes = (['disk', 'health'] as const).filter((l) =>
      LANE_KINDS.some((k) => LANE_OF[k] === l && markers[k].length > 0),
    );
    const lane: { kind: LaneKind; d: string }[] = [];
    for (const kind of LANE_KINDS) {
      const i = lanes.indexOf(LANE_OF[kind]);
      if (i < 0) continue;
      const y = ROW + 2 + i * LANE;
      let path = '';
      for (const m of bucketTicks(markers[kind], end, width, 7)) path += GLYPHS[kind](inset + m.x, y);
      if (path) lane.push({ kind, d: path });
    }
    return { fail, act, lane, height: ROW + lanes.length * LANE + (lanes.length > 0 ? 2 : 0) };
  }, [markers, end, width, inset]);
  return (
    <svg className="marks" width={full} height={d.height} aria-hidden="true">
      {d.fail && <path className="mark-fail" d={d.fail} />}
      {d.act && <path className="mark-action" d={d.act} />}
      {d.lane.map((l) => (
        <path key={l.kind} className={`mark-${l.kind}`} d={l.d} />
      ))}
    </svg>
  );
});

/** A far seek that stopped at the replay budget: where, why, and Continue. */
function ReplayStopped() {
  const stopped = useLab((s) => s.stopped);
  const actions = useLab((s) => s.actions);
  if (!stopped) return null;
  return (
    <div role="status" className="seek-progress replay-stopped">
      <span>{describeStop(stopped)}</span>
      <button type="button" onClick={() => actions.continueReplay()}>
        Continue
      </button>
    </div>
  );
}

function SeekProgress() {
  const seek = useLab((s) => s.seek);
  const actions = useLab((s) => s.actions);
  const cancel = useRef<HTMLButtonElement>(null);
  const active = seek !== null;
  useEffect(() => {
    // The control that started the seek is disabled while it runs; Cancel takes the focus
    // so a keyboard user can stop it at once (Enter, Space or Esc).
    if (active) cancel.current?.focus();
  }, [active]);
  if (!seek) return null;
  const pct = seek.total > 0 ? Math.round((100 * seek.done) / seek.total) : 0;
  return (
    <div className="seek-progress">
      <div
        role="progressbar"
        aria-label={`Computing tick ${seek.target}`}
        aria-valuemin={0}
        aria-valuemax={seek.total}
        aria-valuenow={seek.done}
        aria-valuetext={`${pct}%`}
        className="bar"
      >
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="num">
        Computing tick {seek.target}: {pct}%
      </span>
      <button type="button" ref={cancel} onClick={() => actions.cancelSeek()}>
        Cancel
      </button>
    </div>
  );
}
