import { countText } from '../../state/format';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Trace } from '../../sim/trace/trace';
import { toShiViz } from '../../sim/trace/shiviz';
import { stringifyStateLabHistory } from '../../sim/history/formats';
import { exportFilename } from '../../state/share';
import { downloadText } from '../download';
import { useLab, useLabStore } from '../context';
import { SpaceTimeDiagram } from './SpaceTimeDiagram';

/**
 * The space-time diagram of the current scenario, in the diagram region: a window of ticks
 * ending at the cursor, recorded by the simulation worker from its nearest checkpoint (so
 * the page never replays the run), plus the exports: the history as JSON for `sim check`,
 * and the run as a ShiViz log.
 */

export const WINDOWS = [30, 60, 120, 240, 480] as const;
/** Bounds one window's trace (a 50-agent crowd makes ~20 events a tick). */
const VIEW_MAX_EVENTS = 8000;
/** Bounds a ShiViz export of the whole run so far. */
const EXPORT_MAX_EVENTS = 100_000;
/** A new window at most this often (each is one worker job, one copy and one render); slower while playing. */
const REFRESH_MS = 150;
const REFRESH_PLAYING_MS = 600;

export default function SpaceTimeView() {
  const store = useLabStore();
  const cursor = useLab((s) => s.cursor);
  const rev = useLab((s) => s.rev);
  const playing = useLab((s) => s.status === 'playing');
  const actions = useLab((s) => s.actions);
  const [width, setWidth] = useState<number>(60);
  const [trace, setTrace] = useState<Trace | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const request = useCallback(() => {
    timer.current = null;
    last.current = performance.now();
    const to = store.getState().cursor;
    const from = Math.max(0, to - width + 1);
    actions.requestTrace(from, to, VIEW_MAX_EVENTS, setTrace);
  }, [store, actions, width]);

  useEffect(() => {
    // Throttled, trailing: the last cursor of a burst always gets its window.
    if (timer.current !== null) return;
    const wait = Math.max(0, (playing ? REFRESH_PLAYING_MS : REFRESH_MS) - (performance.now() - last.current));
    timer.current = setTimeout(request, wait);
  }, [cursor, rev, request, playing]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  function exportHistory(): void {
    const s = store.getState();
    const name = exportFilename(s.scenario, s.cursor, { suffix: 'history', ext: 'json' });
    downloadText(
      name,
      stringifyStateLabHistory({ ops: s.timeline.current.history }, { scenario: s.scenario.name, tick: s.cursor }),
      'application/json',
    );
    setStatus(`Exported the history to tick ${s.cursor} as ${name}. Check it with: npm run sim -- check ${name}`);
  }

  function exportShiViz(): void {
    const s = store.getState();
    setBusy(true);
    setStatus('Recording the run for ShiViz…');
    actions.requestTrace(0, s.cursor, EXPORT_MAX_EVENTS, (t) => {
      setBusy(false);
      const name = exportFilename(s.scenario, t.to, { suffix: 'shiviz', ext: 'log' });
      downloadText(name, toShiViz(t), 'text/plain');
      setStatus(
        `Exported ticks 0 to ${t.to} as ${name}${t.truncated ? ` (stopped at ${countText(t.maxEvents)} events)` : ''}. Open it at ShiViz: Try out → upload the file.`,
      );
      // The export took the place of the view's request: ask for the window again.
      request();
    });
  }

  return (
    <section className="st-view" aria-label="Space-time diagram">
      <div className="st-toolbar">
        <h3>Space-time</h3>
        <span className="st-window">
          <label htmlFor={selectId}>Ticks shown</label>
          <select id={selectId} value={width} onChange={(e) => setWidth(Number(e.currentTarget.value))}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                last {w}
              </option>
            ))}
          </select>
        </span>
        <span className="st-exports">
          <button type="button" onClick={exportHistory}>
            Export history (JSON)
          </button>
          <button type="button" onClick={exportShiViz} disabled={busy}>
            Export ShiViz log
          </button>
        </span>
      </div>
      <p className="st-status hint" role="status">
        {status}
      </p>
      {trace === null ? (
        <p className="hint" role="status">
          Recording the last {width} ticks…
        </p>
      ) : (
        <SpaceTimeDiagram trace={trace} cursorTick={cursor} />
      )}
    </section>
  );
}
