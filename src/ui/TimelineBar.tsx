import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { SPEEDS } from '../playback/machine';
import { bucketTicks } from '../viz/markers';
import { useElementSize, useLab } from './context';
import { Icon } from './icons';
import { UndoBar } from './ActPanel';
import { ShortHash } from './InspectPanel';

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
        aria-describedby={`${ids}-legend`}
        onChange={(e) => actions.seekTo(Number(e.target.value))}
      />
      <Marks actions={markers.actions} failures={markers.failures} end={end} width={width} inset={inset} full={size.width} />
      <p id={`${ids}-legend`} className="marks-legend">
        <span>
          <svg width="12" height="9" aria-hidden="true">
            <path className="mark-action" d="M 6 0 l 5 8 l -10 0 z" />
          </svg>{' '}
          {markers.actions.length} action{markers.actions.length === 1 ? '' : 's'}
        </span>
        <span>
          <svg width="6" height="10" aria-hidden="true">
            <rect className="mark-fail" x="1" y="1" width="3" height="8" />
          </svg>{' '}
          {markers.failures.length} failed or timed-out operation{markers.failures.length === 1 ? '' : 's'}
          {markers.upTo < end ? ' so far' : ''}
        </span>
      </p>
    </div>
  );
}

/** Markers change with the scenario, not with the cursor: memoised apart from the slider. */
const Marks = memo(function Marks(props: { actions: number[]; failures: number[]; end: number; width: number; inset: number; full: number }) {
  const { actions, failures, end, width, inset, full } = props;
  const d = useMemo(() => {
    let fail = '';
    for (const m of bucketTicks(failures, end, width, 3)) fail += `M${inset + m.x - 1} 7h3v7h-3z`;
    let act = '';
    for (const m of bucketTicks(actions, end, width, 4)) act += `M${inset + m.x} 0l5 7h-10z`;
    return { fail, act };
  }, [actions, failures, end, width, inset]);
  return (
    <svg className="marks" width={full} height={14} aria-hidden="true">
      {d.fail && <path className="mark-fail" d={d.fail} />}
      {d.act && <path className="mark-action" d={d.act} />}
    </svg>
  );
});

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
