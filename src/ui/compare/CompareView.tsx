import { DISCARDED_DEFINITION, LOST_UPDATE_DEFINITION } from '../../sim/history/measures';
import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState } from 'react';
import { builtinComparisons, type Comparison } from '../../sim/compare/constants';
import { COMPARE_FRAGMENT } from '../../sim/compare/limits';
import { checkResults, comparisonLink, decodeComparison, resultsOf } from '../../sim/compare/codec';
import { describeLinkCheck, NO_RESULTS, type LinkCheckWords } from '../../state/compareCheck';
import { historyJson, type PanelResult } from '../../sim/compare/compare';
import { capCorrection, REFERENCE_TABLE, type Cell } from '../../sim/compare/reference';
import type { EvidenceItem, Scoreboard } from '../../sim/compare/scoreboard';
import { countText, opSummary, resultSummary } from '../../state/format';
import { PanelTopology } from './PanelTopology';
import { CompareEditor } from './CompareEditor';
import { usePanelClock, type PanelNow } from './usePanelClock';
import { useComparison } from './useComparison';
import './compare.css';
import { SpaceTimeDiagram } from '../spacetime/SpaceTimeDiagram';
import type { Timeline } from '../../sim/timeline/timeline';
import { initWorld } from '../../sim/engine/engine';
import { recordTraceFrom } from '../../sim/trace/trace';
import type { Trace } from '../../sim/trace/trace';
import { browserChannel, createLessonStore, type LessonStore } from '../../state/lesson';
import type { CompareLesson } from '../lesson/compareLesson';
import { LessonStoreContext } from '../lesson/lessonContext';
import { usePageMode } from '../lesson/pageMode';
import { comparisonClock } from '../../state/compareClock';

// The narration, with the lab's lessons' controls, when the comparison is a lesson.
const LessonPanel = lazy(() => import('../lesson/LessonPanel'));

/**
 * The Compare view: one workload and one fault schedule on every architecture, panels side
 * by side on one clock, a scoreboard measured from each run (filled in by the comparison
 * worker as each panel is scored), the reference's table judged against it, and the
 * evidence behind every anomaly. Loaded lazily: nothing here is on the first page.
 */

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
const mark = (v: boolean | 'unknown'): string => (v === 'unknown' ? '? unknown' : v ? '✓ yes' : '✗ no');

type Selection = { panel: string; filter: (e: EvidenceItem) => boolean; title: string } | null;

function describeSchedule(c: Comparison): string {
  const groups = c.groups.map((g) => `${g.id}: ${g.agents.join(', ')}`).join(' · ');
  const keys = [...new Set(c.agents.flatMap((a) => (a.workload.kind === 'random' ? a.workload.keys : [])))].join(', ');
  const faults = c.faults
    .map((f) => {
      switch (f.type) {
        case 'cut':
          return `tick ${f.tick}: ${f.a} cut from ${f.b}`;
        case 'heal':
          return `tick ${f.tick}: heal`;
        case 'crash':
          return `tick ${f.tick}: ${f.group}'s servers crash`;
        case 'recover':
          return `tick ${f.tick}: ${f.group}'s servers recover`;
        case 'quiesce':
          return `tick ${f.tick}: writing stops`;
      }
    })
    .join('; ');
  return `${c.agents.length} agents in ${c.groups.length} groups (${groups}) on keys ${keys || '–'}; ${faults || 'no fault'}; ${c.duration} ticks, seed ${c.seed}.`;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function CompareView({
  onClose,
  link,
  lesson = null,
}: {
  onClose: () => void;
  link: string | null;
  lesson?: CompareLesson | null;
}) {
  const ids = useId();
  const fromLink = useMemo(() => (link ? decodeComparison(link) : null), [link]);
  const [preset, setPreset] = useState<string>(lesson ? 'lesson' : fromLink?.ok ? 'link' : 'partition');
  // A lesson opened while the view is open (a link, the Lessons dialog) takes over.
  useEffect(() => {
    if (lesson) setPreset('lesson');
  }, [lesson]);
  // The user's own comparison ("Change this comparison"), and the preset it was changed from.
  const [edited, setEdited] = useState<{ comparison: Comparison; from: string } | null>(null);
  const comparison = useMemo<Comparison>(() => {
    if (preset === 'edited' && edited) return edited.comparison;
    if (preset === 'lesson' && lesson) return lesson.comparison;
    if (preset === 'link' && fromLink?.ok) return fromLink.comparison;
    return (builtinComparisons.find((b) => b.id === preset) ?? builtinComparisons[0]!).make();
  }, [preset, fromLink, lesson, edited]);
  const [runKey, setRunKey] = useState(0);
  const [run, cancel] = useComparison(comparison, runKey);
  const [cursor, setCursor] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [selection, setSelection] = useState<Selection>(null);
  const [witness, setWitness] = useState<{ panel: string; item: EvidenceItem } | null>(null);
  const [shared, setShared] = useState(false);
  const { now, timelines } = usePanelClock(comparison, cursor);
  const evidenceRef = useRef<HTMLElement | null>(null);

  useEffect(() => {
    setCursor(0);
    setPlaying(false);
    setSelection(null);
    setWitness(null);
  }, [comparison]);

  // Playback: the one clock, a few ticks per frame; every panel follows it.
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const step = (): void => {
      setCursor((t) => {
        if (t >= comparison.duration) {
          setPlaying(false);
          return t;
        }
        return Math.min(comparison.duration, t + 2);
      });
      raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
    return () => cancelAnimationFrame(raf);
  }, [playing, comparison.duration]);

  // After the effects above: opening at a step moves the cursor after the reset to 0.
  const lessonStore = useComparisonLesson(
    comparison,
    preset === 'lesson' ? lesson : null,
    timelines,
    cursor,
    playing || now.some((n) => n === null || n.tick !== cursor),
    setCursor,
    setPlaying,
  );
  const byPanel = new Map(run.results.map((r) => [r.board.panel, r]));
  const boards = run.results.map((r) => r.board);
  const select = (panel: string, title: string, filter: (e: EvidenceItem) => boolean): void => {
    setSelection({ panel, title, filter });
    setWitness(null);
    requestAnimationFrame(() => evidenceRef.current?.focus());
  };

  // This run's results, once every panel of the comparison on screen has run.
  const current = run.comparison === comparison;
  const ends = useMemo(() => run.results.map((r) => ({ panel: r.board.panel, hash: r.hash })), [run.results]);
  const results = current && run.status === 'done' ? resultsOf(comparison, ends) : null;

  // The link to share: with every panel's end hash when the run is complete, else without.
  // Copy never waits for the run: the clipboard takes a write only during the click's user
  // activation (a run can outlast it), and a link is useful at once. The field below is the
  // link as it stands and gains the results when the last panel is scored, saying so, so
  // whoever wants the checkable link copies it again then.
  const shareUrl = shared ? comparisonLink(comparison, window.location.href, results) : null;
  const share = (): void => {
    const url = comparisonLink(comparison, window.location.href, results);
    window.history.replaceState(window.history.state, '', url);
    setShared(true);
    void navigator.clipboard?.writeText(url).catch(() => undefined);
  };
  // The address bar follows the field (it is where many copy a link from), while it holds ours.
  useEffect(() => {
    if (shareUrl && window.location.hash.startsWith('#c=') && window.location.href !== shareUrl)
      window.history.replaceState(window.history.state, '', shareUrl);
  }, [shareUrl]);

  // The address bar holds what is on screen when it is not a preset: a reload opens the
  // user's own comparison again (as a link) instead of losing it, and the link it was opened
  // from when that is back on screen; a preset needs none.
  useEffect(() => {
    if (preset === 'lesson') return;
    const here = window.location.pathname + window.location.search;
    const want =
      preset === 'edited' && edited
        ? comparisonLink(edited.comparison, window.location.href, null)
        : preset === 'link' && link
          ? here + link
          : window.location.hash.startsWith(COMPARE_FRAGMENT)
            ? here
            : null;
    if (want !== null && new URL(want, window.location.href).href !== window.location.href)
      window.history.replaceState(window.history.state, '', want);
  }, [preset, edited, link]);

  // Opened from a link that carries results: each panel checked once every panel has run.
  const opened = preset === 'link' && fromLink?.ok ? fromLink : null;
  const check: LinkCheckWords | null =
    opened?.results && current && run.status === 'done'
      ? describeLinkCheck(comparison, checkResults(comparison, opened.results, ends), opened.engine)
      : null;

  const setupSection = (
    <section className="cmp-setup" aria-label="Workload and fault schedule">
      <label htmlFor={`${ids}-preset`}>Workload and faults</label>
      <select id={`${ids}-preset`} value={preset} onChange={(e) => setPreset(e.target.value)}>
        {builtinComparisons.map((b) => (
          <option key={b.id} value={b.id}>
            {b.label}
          </option>
        ))}
        {fromLink?.ok && <option value="link">From the link: {fromLink.comparison.name}</option>}
        {lesson && <option value="lesson">{lesson.comparison.name}</option>}
        {edited && <option value="edited">Your comparison: {edited.comparison.name}</option>}
      </select>
      <p className="hint">{describeSchedule(comparison)}</p>
      {!lessonStore && (
        <CompareEditor
          comparison={comparison}
          onApply={(c) => {
            setEdited({ comparison: c, from: preset === 'edited' && edited ? edited.from : preset });
            setPreset('edited');
          }}
          onReset={() => {
            if (preset === 'edited') setPreset(edited?.from ?? 'partition');
          }}
        />
      )}
      <div className="cmp-run" aria-live="polite">
        {run.status === 'running' ? (
          <>
            <progress aria-label="Comparison progress" max={run.total} value={run.done} />
            <span>
              Running {run.panel}… {pct(run.done / Math.max(1, run.total))}
            </span>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <span>
              {run.status === 'done'
                ? `All ${run.results.length} panels run and scored${run.elapsed !== null ? ` in ${(run.elapsed / 1000).toFixed(1)} s` : ''}.`
                : run.status === 'cancelled'
                  ? `Cancelled after ${run.results.length} of ${comparison.panels.length} panels.`
                  : `The comparison failed: ${run.error ?? 'unknown error'}.`}
            </span>
            <button type="button" onClick={() => setRunKey((k) => k + 1)}>
              Run again
            </button>
          </>
        )}
        <button type="button" onClick={share}>
          Copy link to this comparison
        </button>
      </div>
      {shareUrl && (
        <>
          <p className="cmp-link">
            <label htmlFor={`${ids}-link`}>Link to this comparison</label>
            <input
              id={`${ids}-link`}
              readOnly
              value={shareUrl}
              aria-describedby={`${ids}-link-hint`}
              onFocus={(e) => e.currentTarget.select()}
            />
          </p>
          <p id={`${ids}-link-hint`} className="hint">
            {results
              ? "It carries every panel's final world hash, so whoever opens it sees whether their run ends exactly as this one did."
              : run.status === 'running'
                ? 'The panels are still running, so it carries no results to check yet; it gains them here when every panel has run (copy it again then).'
                : 'This run did not finish, so the link carries no results to check; run it again for a link that does.'}
          </p>
        </>
      )}
    </section>
  );

  return (
    <main className="cmp" id="main-diagram" tabIndex={-1} aria-labelledby={`${ids}-h`}>
      <div className="cmp-head">
        <h2 id={`${ids}-h`}>Compare the architectures</h2>
        <button type="button" onClick={onClose}>
          Back to the lab
        </button>
      </div>
      {fromLink && !fromLink.ok && (
        <p className="cmp-error" role="alert">
          The comparison link could not be opened: {fromLink.message}. Showing the built-in comparison instead.
        </p>
      )}
      {fromLink?.ok && !fromLink.sameEngine && !(check && check.kind !== 'none') && (
        <p className="cmp-note" role="status">
          This link was made by engine {fromLink.engine}; the numbers below are this engine&apos;s, and may differ.
        </p>
      )}
      {opened && (
        <LinkCheck check={check} hasResults={opened.results !== null} note={opened.resultsNote} status={run.status} />
      )}

      {!lessonStore && setupSection}
      <section className="cmp-clock" aria-label="One clock for every panel">
        <button type="button" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </button>
        {/* Named by what they show (a voice user says "Step back one tick"); the arrows are decoration. */}
        <button type="button" onClick={() => setCursor((t) => Math.max(0, t - 1))}>
          <span aria-hidden="true">◀</span> Step back one tick
        </button>
        <button type="button" onClick={() => setCursor((t) => Math.min(comparison.duration, t + 1))}>
          Step forward one tick <span aria-hidden="true">▶</span>
        </button>
        <label htmlFor={`${ids}-tick`} className="sr-only">
          Tick
        </label>
        <input
          id={`${ids}-tick`}
          type="range"
          min={0}
          max={comparison.duration}
          value={cursor}
          onChange={(e) => setCursor(Number(e.target.value))}
          aria-valuetext={`tick ${cursor} of ${comparison.duration}`}
        />
        <span className="num" aria-live="off">
          tick {cursor} / {comparison.duration}
        </span>
      </section>

      <div className={lessonStore ? 'cmp-lesson-row' : 'cmp-row'}>
        {lessonStore && (
          <div className="cmp-lesson">
            <LessonStoreContext.Provider value={lessonStore}>
              <Suspense fallback={<p className="hint">Loading the lesson…</p>}>
                <LessonPanel />
              </Suspense>
            </LessonStoreContext.Provider>
          </div>
        )}
        <section className="cmp-panels" aria-label="Panels">
          {comparison.panels.map((p, i) => (
            <Panel
              key={p.id}
              comparison={comparison}
              index={i}
              now={now[i] ?? null}
              cursor={cursor}
              result={byPanel.get(p.id)}
              timeline={timelines[i]!}
            />
          ))}
        </section>
      </div>
      {lessonStore && setupSection}

      <section className="cmp-board" aria-labelledby={`${ids}-sb`}>
        <h3 id={`${ids}-sb`}>Scoreboard (measured)</h3>
        <p className="hint">
          From each panel&apos;s whole history, by the checker (docs/compare.md). Click a count to see the operations
          that prove it. During: while the fault lasted.
        </p>
        <dl className="cmp-defs">
          <dt>Lost updates</dt>
          <dd>{LOST_UPDATE_DEFINITION}.</dd>
          <dt>Discarded writes</dt>
          <dd>{DISCARDED_DEFINITION}.</dd>
        </dl>
        <div className="cmp-scroll" tabIndex={0} role="region" aria-label="Scoreboard table">
          <table>
            <thead>
              <tr>
                <th scope="col">Panel</th>
                <th scope="col">ok / fail / unknown</th>
                <th scope="col">Available (during)</th>
                <th scope="col">Stale reads</th>
                <th scope="col">Lost updates</th>
                <th scope="col">Discarded writes</th>
                <th scope="col">Fractured reads</th>
                <th scope="col">Divergent keys at end</th>
                <th scope="col">Converged after heal</th>
                <th scope="col">Messages / bytes</th>
                <th scope="col">Latency p50 / p99</th>
                <th scope="col">History</th>
              </tr>
            </thead>
            <tbody>
              {comparison.panels.map((p) => {
                const b = byPanel.get(p.id)?.board;
                if (!b) {
                  return (
                    <tr key={p.id}>
                      <th scope="row">{p.label}</th>
                      <td colSpan={11} className="hint">
                        {run.status === 'running' ? 'running…' : 'not run'}
                      </td>
                    </tr>
                  );
                }
                const during = b.windows.find((w) => w.name === 'during');
                const count = (name: string, n: number, label: string) =>
                  n === 0 ? (
                    <span className="num">0</span>
                  ) : (
                    <button
                      type="button"
                      className="link num"
                      aria-label={`${n} ${label} in ${b.label}: show them`}
                      onClick={() => select(b.panel, `${label} · ${b.label}`, (e) => e.name === name)}
                    >
                      {n}
                    </button>
                  );
                return (
                  <tr key={p.id}>
                    <th scope="row">{b.label}</th>
                    <td className="num">
                      {b.ops.ok} / {b.ops.fail} / {b.ops.info}
                    </td>
                    <td className="num">
                      {pct(b.ops.availability)} ({pct(during?.availability)})
                    </td>
                    <td>{count('stale-read', b.anomalies['stale-read'], 'stale reads')}</td>
                    <td>{count('lost-update', b.anomalies['lost-update'], 'lost updates')}</td>
                    <td className="num">
                      {b.discardedWrites.atLeast ? '≥ ' : ''}
                      {b.discardedWrites.count}
                    </td>
                    <td>{count('fractured-read', b.anomalies['fractured-read'], 'fractured reads')}</td>
                    <td className="num">
                      {b.convergence.divergentAtEnd.length === 0
                        ? '0'
                        : `${b.convergence.divergentAtEnd.length} (${b.convergence.divergentAtEnd.join(', ')})`}
                    </td>
                    <td className="num">
                      {b.convergence.divergentAtHeal === 0
                        ? 'nothing to converge'
                        : b.convergence.ticksAfterHeal === null
                          ? 'never'
                          : `${b.convergence.ticksAfterHeal} ticks`}
                    </td>
                    <td className="num">
                      {b.messages} / {countText(b.bytes)}
                    </td>
                    <td className="num">
                      {b.latency.p50 ?? '–'} / {b.latency.p99 ?? '–'}
                    </td>
                    <td>
                      <button
                        type="button"
                        aria-label={`JSON: download the history of ${b.label}`}
                        onClick={() =>
                          download(
                            `${comparison.name.replace(/[^A-Za-z0-9]+/g, '-')}.${b.panel}.history.json`,
                            historyJson(byPanel.get(p.id)!.history),
                          )
                        }
                      >
                        JSON
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>

        <h3>Models each run satisfied</h3>
        <div className="cmp-scroll" tabIndex={0} role="region" aria-label="Consistency models table">
          <table>
            <thead>
              <tr>
                <th scope="col">Panel</th>
                <th scope="col">Linearizable</th>
                <th scope="col">Sequential</th>
                <th scope="col">Causal</th>
                <th scope="col">Read your writes</th>
                <th scope="col">Monotonic reads</th>
                <th scope="col">Monotonic writes</th>
                <th scope="col">Writes follow reads</th>
                <th scope="col">Violations during the fault</th>
              </tr>
            </thead>
            <tbody>
              {boards.map((b) => {
                const cell = (
                  v: boolean | 'unknown',
                  title: string,
                  filter: (e: EvidenceItem) => boolean,
                  why?: string,
                ) => {
                  // A verdict read off another model's (see the list under the table).
                  const star = why ? (
                    <>
                      <span aria-hidden="true">*</span>
                      <span className="sr-only"> (implied: {why})</span>
                    </>
                  ) : null;
                  return v === false ? (
                    <button
                      type="button"
                      className="link"
                      aria-label={`${mark(v)}${why ? ' *' : ''}: ${title} violated in ${b.label}${why ? ` (implied: ${why})` : ''}, show why`}
                      onClick={() => select(b.panel, `${title} · ${b.label}`, filter)}
                    >
                      {mark(v)}
                      {/* The name says why it is implied; the sighted read the list under the table. */}
                      {why ? <span aria-hidden="true">*</span> : null}
                    </button>
                  ) : (
                    <span className={v === true ? 'cmp-yes' : 'cmp-unknown'}>
                      {mark(v)}
                      {star}
                    </span>
                  );
                };
                const during = b.evidence.filter((e) => e.window === 'during').length;
                return (
                  <tr key={b.panel}>
                    <th scope="row">{b.label}</th>
                    <td>
                      {cell(
                        b.models.linearizable,
                        'Linearizability',
                        (e) => e.kind === 'linearizability' || e.kind === 'anomaly',
                      )}
                    </td>
                    <td>
                      {cell(
                        b.models.sequential,
                        'Sequential consistency',
                        (e) => e.kind === 'causal' || e.kind === 'session',
                        b.implied.sequential,
                      )}
                    </td>
                    <td>
                      {cell(
                        b.models.causal,
                        'Causal consistency',
                        (e) => e.kind === 'causal' || (b.implied.causal !== undefined && e.kind === 'session'),
                        b.implied.causal,
                      )}
                    </td>
                    <td>
                      {cell(b.models['read-your-writes'], 'Read your writes', (e) => e.name === 'read-your-writes')}
                    </td>
                    <td>{cell(b.models['monotonic-reads'], 'Monotonic reads', (e) => e.name === 'monotonic-reads')}</td>
                    <td>
                      {cell(b.models['monotonic-writes'], 'Monotonic writes', (e) => e.name === 'monotonic-writes')}
                    </td>
                    <td>
                      {cell(
                        b.models['writes-follow-reads'],
                        'Writes follow reads',
                        (e) => e.name === 'writes-follow-reads',
                      )}
                    </td>
                    <td>
                      {during === 0 ? (
                        '0'
                      ) : (
                        <button
                          type="button"
                          className="link num"
                          aria-label={`${during} violations during the fault in ${b.label}: show them`}
                          onClick={() => select(b.panel, `During the fault · ${b.label}`, (e) => e.window === 'during')}
                        >
                          {during}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="hint">
          Convergence is reported apart (above): it is a liveness property, not a point on this list. Sequential
          consistency is searched for histories of up to 100 operations; past that it is unknown unless another verdict
          settles it. The models form a chain (linearizable ⇒ sequential ⇒ causal ⇒ each session guarantee), so a
          verdict marked * is read off another:
        </p>
        <ul className="cmp-implied" aria-label="Verdicts read off another model">
          {boards.flatMap((b) =>
            (['sequential', 'causal'] as const).flatMap((m) => {
              const why = b.implied[m];
              return why
                ? [<li key={`${b.panel}-${m}`}>{`${b.label}, ${m}: ${mark(b.models[m])}, because ${why}.`}</li>]
                : [];
            }),
          )}
        </ul>
        {boards.some((b) => b.notes.length > 0) && (
          <details className="cmp-notes">
            <summary>
              What the checker left out or judged apart ({boards.reduce((n, b) => n + b.notes.length, 0)})
            </summary>
            <ul aria-label="Checker notes">
              {boards.flatMap((b) => b.notes.map((n, i) => <li key={`${b.panel}-${i}`}>{`${b.label}: ${n}`}</li>))}
            </ul>
          </details>
        )}
        <WindowsTable boards={boards} />
      </section>

      <section className="cmp-evidence" aria-labelledby={`${ids}-ev`} ref={evidenceRef} tabIndex={-1}>
        <h3 id={`${ids}-ev`}>Evidence</h3>
        {!selection ? (
          <p className="hint">Click a count or a ✗ above to list the operations that prove it.</p>
        ) : (
          <EvidenceList
            result={byPanel.get(selection.panel)}
            selection={selection}
            witness={witness}
            onWitness={(item) => setWitness({ panel: selection.panel, item })}
          />
        )}
      </section>

      <section className="cmp-ref" aria-labelledby={`${ids}-ref`}>
        <h3 id={`${ids}-ref`}>The reference&apos;s table, judged by the measurements</h3>
        <ReferenceTable results={run.results} />
      </section>

      <section className="cmp-cap" aria-labelledby={`${ids}-cap`}>
        <h3 id={`${ids}-cap`}>Not &ldquo;two of three&rdquo;</h3>
        {boards.length === 0 ? (
          <p className="hint">Filled in as the panels are scored.</p>
        ) : (
          <>
            <p>{capCorrection(boards)[0]}</p>
            <ul>
              {boards.map((b) => (
                <li key={b.panel}>
                  <strong>{b.label}:</strong> {b.tradeoff.sentence} Before the fault: p50 {b.windows[0]?.p50 ?? '–'} /
                  p99 {b.windows[0]?.p99 ?? '–'} ticks.
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </main>
  );
}

/**
 * What opening a comparison link checked: a status line (to check, reproduced exactly, or
 * nothing to check), and when some panel ends elsewhere than the link recorded, a notice
 * naming each, as the scenario's replay-mismatch notice does (SharePanel's MismatchNotice).
 */
function LinkCheck({
  check,
  hasResults,
  note,
  status,
}: {
  check: LinkCheckWords | null;
  hasResults: boolean;
  note: string | null;
  status: CompareRunStatus;
}) {
  const line = !hasResults
    ? NO_RESULTS
    : check
      ? check.kind === 'differ'
        ? `✗ Not reproduced exactly: ${check.differ.length === 1 ? '1 panel ends' : `${check.differ.length} panels end`} in another state than the link recorded (below).`
        : `${check.kind === 'same' ? '✓ ' : ''}${check.text}`
      : status === 'running'
        ? 'Once every panel has run, each is checked against the world hash the link recorded for it.'
        : 'Not checked against the link: the run did not finish.';
  return (
    <>
      <p className={`cmp-check${check?.kind === 'same' ? ' is-same' : ''}`} role="status">
        {line}
      </p>
      {note && <p className="cmp-note">{note}</p>}
      {check?.kind === 'differ' && (
        <section className="share-mismatch cmp-mismatch" aria-labelledby="cmp-mismatch-h">
          <h3 id="cmp-mismatch-h">This replay differs from the link</h3>
          <p role="alert">{check.text}</p>
          <details>
            <summary>Full hashes</summary>
            <ul>
              {check.differ.map((d) => (
                <li key={d.panel}>
                  {d.label}: recorded <code className="hash-full">{d.recorded}</code>, replayed here{' '}
                  <code className="hash-full">{d.replayed}</code>
                </li>
              ))}
            </ul>
          </details>
        </section>
      )}
    </>
  );
}

type CompareRunStatus = ReturnType<typeof useComparison>[0]['status'];

/**
 * The lesson store of a comparison that is a lesson, driving the shared cursor: made when the
 * comparison changes (and ended with it), opened at the lesson's step.
 */
function useComparisonLesson(
  comparison: Comparison,
  lesson: CompareLesson | null,
  timelines: Timeline[],
  cursor: number,
  moving: boolean,
  setCursor: (t: number) => void,
  setPlaying: (p: boolean) => void,
): LessonStore | null {
  const flags = usePageMode();
  const clock = useMemo(
    () =>
      comparison.lesson
        ? comparisonClock(comparison, lesson?.comparison === comparison ? lesson.id : null, timelines, setCursor, () =>
            setPlaying(false),
          )
        : null,
    [comparison, lesson, timelines, setCursor, setPlaying],
  );
  useEffect(() => {
    clock?.update(cursor, moving);
  });
  const [store, setStore] = useState<LessonStore | null>(null);
  useEffect(() => {
    if (!clock) {
      setStore(null);
      return;
    }
    const steps = comparison.lesson?.steps ?? [];
    const step = Math.max(0, Math.min(steps.length - 1, lesson?.comparison === comparison ? lesson.step : 0));
    const s = createLessonStore(clock, {
      channel: browserChannel(),
      mode: flags.audience ? 'audience' : flags.present ? 'presenter' : 'sandbox',
      step,
    });
    clock.moveTo(steps[step]?.tick ?? 0);
    setStore(s);
    return () => s.getState().actions.dispose();
  }, [clock, comparison, lesson, flags]);
  return store;
}

function Panel({
  comparison,
  index,
  now,
  cursor,
  result,
  timeline,
}: {
  comparison: Comparison;
  index: number;
  now: PanelNow | null;
  cursor: number;
  result: PanelResult | undefined;
  timeline: Timeline;
}) {
  const p = comparison.panels[index]!;
  const computing = now === null || now.tick !== cursor;
  return (
    <article className="cmp-panel" aria-label={p.label}>
      <h3>{p.label}</h3>
      <PanelTopology comparison={comparison} panel={p} tick={cursor} crashed={now?.crashed ?? []} />
      <p className="cmp-now num" aria-live="off">
        {computing && now === null ? (
          'computing…'
        ) : (
          <>
            ok {now!.ok} · fail {now!.fail} · unknown {now!.info} · in flight {now!.inFlight}
            <br />
            {now!.divergent.length === 0 ? 'all copies agree' : `copies differ on ${now!.divergent.join(', ')}`}
            {computing ? ' · catching up…' : ''}
          </>
        )}
      </p>
      <p className="cmp-place hint">
        Placement:{' '}
        {comparison.groups
          .map(
            (g) =>
              `${g.id}: ${
                result?.board.placement
                  .filter((x) => x.group === g.id)
                  .map((x) => x.server)
                  .join(', ') ?? '…'
              }`,
          )
          .join(' · ')}
      </p>
      <PanelSpaceTime timeline={timeline} cursor={cursor} label={p.label} />
    </article>
  );
}

/** Ticks of a panel's space-time window, ending at the shared cursor. */
const ST_WINDOW = 60;

/**
 * A panel's space-time diagram of the last ticks before the cursor, drawn while it is open.
 * The window starts from the panel's own timeline (a checkpoint every 20 ticks, so this is a
 * few dozen ticks of work), and is redrawn a moment after the cursor stops moving.
 */
function PanelSpaceTime({ timeline, cursor, label }: { timeline: Timeline; cursor: number; label: string }) {
  const [open, setOpen] = useState(false);
  const [trace, setTrace] = useState<Trace | null>(null);
  useEffect(() => {
    if (!open) return;
    const h = window.setTimeout(() => {
      const from = Math.max(-1, cursor - ST_WINDOW);
      const w = from < 0 ? initWorld(timeline.scenario) : timeline.worldAt(from);
      setTrace(recordTraceFrom(w, timeline.scenario, cursor, { maxEvents: 4000 }));
    }, 150);
    return () => window.clearTimeout(h);
  }, [open, cursor, timeline]);
  return (
    <details className="cmp-spacetime" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Space-time, ticks {Math.max(0, cursor - ST_WINDOW)}–{cursor}
      </summary>
      {open && trace && (
        <SpaceTimeDiagram trace={trace} cursorTick={cursor} compact label={`Space-time diagram of ${label}`} />
      )}
    </details>
  );
}

function WindowsTable({ boards }: { boards: Scoreboard[] }) {
  if (boards.length === 0 || (boards[0]?.windows.length ?? 0) < 2) return null;
  return (
    <details className="cmp-windows">
      <summary>Per window: before, during and after the fault</summary>
      <div className="cmp-scroll" tabIndex={0} role="region" aria-label="Per-window table">
        <table>
          <thead>
            <tr>
              <th scope="col">Panel</th>
              {boards[0]!.windows.map((w) => (
                <th key={w.name} scope="col">
                  {w.name} ({w.from}–{w.to - 1}): ok / fail / unknown · stale · violations · p50/p99
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {boards.map((b) => (
              <tr key={b.panel}>
                <th scope="row">{b.label}</th>
                {b.windows.map((w) => (
                  <td key={w.name} className="num">
                    {w.ok} / {w.fail} / {w.info} · {w.staleReads} · {w.violations} · {w.p50 ?? '–'}/{w.p99 ?? '–'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function EvidenceList({
  result,
  selection,
  witness,
  onWitness,
}: {
  result: PanelResult | undefined;
  selection: NonNullable<Selection>;
  witness: { item: EvidenceItem } | null;
  onWitness: (e: EvidenceItem) => void;
}) {
  if (!result) return null;
  const items = result.board.evidence.filter(selection.filter);
  const ops = new Map(result.history.ops.map((r) => [r.id, r]));
  return (
    <div>
      <h4>{selection.title}</h4>
      {items.length === 0 ? (
        <p className="hint">
          No operation-level witness for this one
          {result.board.evidenceLeftOut ? ` among the ${result.board.evidence.length} listed` : ''}: see the notes in
          docs/compare.md.
        </p>
      ) : (
        <ul className="cmp-ev-list">
          {items.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className="link"
                aria-pressed={witness?.item.id === e.id}
                onClick={() => onWitness(e)}
              >
                {e.name} on {e.keys.join(', ') || '–'} · ops {e.opIds.join(', ')} · {e.window}
              </button>
            </li>
          ))}
        </ul>
      )}
      {witness && (
        <div className="cmp-witness" role="region" aria-label="Witness">
          <h4>Witness: {witness.item.name}</h4>
          <p>{witness.item.explanation}</p>
          <div className="cmp-scroll" tabIndex={0} role="region" aria-label="Witness operations">
            <table>
              <thead>
                <tr>
                  <th scope="col">Op</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Operation</th>
                  <th scope="col">Invoked</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {witness.item.opIds.map((id) => {
                  const r = ops.get(id);
                  if (!r) return null;
                  return (
                    <tr key={id}>
                      <td className="num">{id}</td>
                      <td>{r.agent}</td>
                      <td>
                        <code>{opSummary(r.op, r.args)}</code>
                      </td>
                      <td className="num">{r.invokedAt}</td>
                      <td className="num">{r.completedAt ?? '–'}</td>
                      <td>{r.outcome ?? 'pending'}</td>
                      <td>
                        <code>{r.outcome === 'ok' ? resultSummary(r.op, r.result) : (r.reason ?? '')}</code>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

function ReferenceTable({ results }: { results: PanelResult[] }) {
  if (results.length === 0) return <p className="hint">Filled in as the panels are scored.</p>;
  const verdictText = (c: Cell): string =>
    c.verdict === 'agrees' ? '✓ agrees' : c.verdict === 'disagrees' ? '✗ disagrees' : '– not measured';
  const cols: Cell['column'][] = ['consistency', 'availability', 'scalability', 'complexity'];
  return (
    <>
      <div className="cmp-scroll" tabIndex={0} role="region" aria-label="Reference table with verdicts">
        <table>
          <thead>
            <tr>
              <th scope="col">Panel (reference row)</th>
              {cols.map((c) => (
                <th key={c} scope="col">
                  {c[0]!.toUpperCase() + c.slice(1)}: claimed → measured
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.board.panel}>
                <th scope="row">
                  {r.board.label} <span className="hint">({REFERENCE_TABLE[r.board.kind].pattern})</span>
                </th>
                {r.verdicts.map((v) => (
                  <td key={v.column} className={`cmp-verdict is-${v.verdict.replace(' ', '-')}`}>
                    <span>{v.claim}</span> → <span>{v.measured}</span>
                    <br />
                    <strong>{verdictText(v)}</strong>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Why each disagreement</h4>
      <ul className="cmp-why">
        {results.flatMap((r) =>
          r.verdicts
            .filter((v) => v.verdict === 'disagrees')
            .map((v) => (
              <li key={`${r.board.panel}-${v.column}`}>
                <strong>
                  {r.board.label}, {v.column}:
                </strong>{' '}
                {v.reason}
              </li>
            )),
        )}
      </ul>
    </>
  );
}
