import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { createLessonStore, browserChannel } from '../../state/lesson';
import type { LessonState, LessonStore } from '../../state/lesson';
import { lessonLink } from '../../state/lessons';
import type { LabStore } from '../../state/store';
import { useLabStore } from '../context';
import { useGivenLessonStore } from './lessonContext';
import { QrCode } from '../QrDialog';
import { ModalDialog } from '../useModal';
import { usePageMode } from './pageMode';
import { setLessonEditor } from './editing';
import { isTyping, spaceIsPlay } from '../keys';
import './lesson.css';

/** One lesson store per lab store, made when the first lesson opens, kept for the page. */
const stores = new WeakMap<LabStore, LessonStore>();

function useLessonStore(): LessonStore {
  const given = useGivenLessonStore();
  const lab = useLabStore();
  const flags = usePageMode();
  if (given) return given;
  let s = stores.get(lab);
  if (!s) {
    const mode = flags.audience ? 'audience' : flags.present ? 'presenter' : 'sandbox';
    s = createLessonStore(lab, { channel: browserChannel(), mode });
    stores.set(lab, s);
  }
  return s;
}

/**
 * Presentation remotes send PageDown / PageUp (and '.' or B to blank). In presenter mode they
 * take over from the sandbox's keys, Space included (unless it is pressing a button).
 */
function usePresenterKeys(store: LessonStore, on: boolean): void {
  useEffect(() => {
    if (!on) return;
    function onKey(e: KeyboardEvent): void {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const a = store.getState().actions;
      const k = e.key;
      if (k === 'PageDown' || k === '.' || (k === ' ' && spaceIsPlay(e.target))) a.next();
      else if (k === 'PageUp') a.prev();
      else if (k === 'b' || k === 'B') a.toggleBlank();
      else return;
      e.preventDefault();
      e.stopPropagation();
    }
    // Capture, so the sandbox's Space = play/pause never sees these keys.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store, on]);
}

function useModeClass(mode: LessonState['mode']): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.toggle('presenting', mode === 'presenter' || mode === 'audience');
    root.classList.toggle('audience', mode === 'audience');
    return () => {
      root.classList.remove('presenting', 'audience');
    };
  }, [mode]);
}

export default function LessonPanel() {
  const store = useLessonStore();
  const l = useStore(store);
  const { cursor, builtin } = l;
  const playing = l.moving;
  // A lesson of one's own on another clock (a comparison from a link) has no audience link yet.
  const ownClock = useGivenLessonStore() !== null;
  const labStore = useLabStore();
  const flags = usePageMode();
  const ids = useId();
  const [qr, setQr] = useState(false);
  const top = useRef<HTMLElement>(null);
  useModeClass(l.mode);
  // A new step starts at its title, wherever the panel was scrolled (focus stays put).
  useEffect(() => {
    const el = top.current;
    if (el?.parentElement) el.parentElement.scrollTop = 0;
  }, [l.step, l.mode]);
  usePresenterKeys(store, l.mode === 'presenter');

  const lesson = l.lesson;
  const stepLink = useMemo(
    () => (lesson && builtin ? lessonLink(window.location.href, lesson.id, l.step) : null),
    [lesson, builtin, l.step],
  );
  if (!lesson) return null;
  const step = lesson.steps[l.step]!;
  const prev = l.step > 0 ? lesson.steps[l.step - 1] : undefined;
  const asked = prev?.question;
  const predicted = l.answers[l.step - 1] ?? null;
  const q = step.question;
  const chosen = l.answers[l.step] ?? null;
  const away = !playing && cursor !== step.tick;
  const presenter = l.mode === 'presenter';
  const audience = l.mode === 'audience';
  const a = l.actions;
  const last = l.step === lesson.steps.length - 1;

  async function openAudience(): Promise<void> {
    if (!lesson) return;
    let url: string;
    if (builtin) url = lessonLink(window.location.href, lesson.id, store.getState().step, '&audience');
    else {
      // A lesson of one's own travels as a share link (the decoder loads now if it has not).
      const { linkFor } = await import('../../state/share');
      const at = lesson.steps[store.getState().step]!.tick;
      url = `${linkFor(labStore.getState().scenario, at, window.location.href)}&audience`;
    }
    window.open(url, 'statelab-audience', 'noopener');
    if (store.getState().mode !== 'presenter') a.setMode('presenter');
  }

  return (
    <section ref={top} className={`lesson${presenter ? ' is-presenter' : ''}`} aria-labelledby={`${ids}-title`}>
      <p className="lesson-kicker">
        <span className="lesson-name">{l.title}</span>
        <span aria-hidden="true"> · </span>
        <span>
          Step {l.step + 1} of {lesson.steps.length}
        </span>
      </p>
      {/* Announced when the step changes, by a remote as much as by a click. */}
      <h2 id={`${ids}-title`} aria-live="polite">
        {step.title}
      </h2>

      {asked && (
        <div className="lesson-reveal" role="status">
          <p>
            <strong>Answer:</strong> {asked.choices[asked.answer]}
            {predicted !== null && (
              <span className={predicted === asked.answer ? 'right' : 'wrong'}>
                {' '}
                ({predicted === asked.answer ? '✓ as you predicted' : `✗ you predicted “${asked.choices[predicted]}”`})
              </span>
            )}
          </p>
          <p>{asked.explain}</p>
        </div>
      )}

      <p className="lesson-text">{step.text}</p>

      {q && (
        <fieldset className="lesson-question">
          <legend>Predict: {q.prompt}</legend>
          {q.choices.map((c, i) => (
            <div key={i} className="lesson-choice">
              <label>
                <input
                  type="radio"
                  name={`${ids}-q`}
                  checked={chosen === i}
                  onChange={() => a.answer(i)}
                  disabled={audience}
                />{' '}
                {c}
              </label>
              {presenter && (
                <span className="tally" aria-label={`Class tally for “${c}”`}>
                  <button type="button" onClick={() => a.tally(i, -1)} aria-label={`One hand fewer for “${c}”`}>
                    −
                  </button>
                  <output aria-live="polite">{l.tally[l.step]?.[i] ?? 0}</output>
                  <button type="button" onClick={() => a.tally(i, 1)} aria-label={`One more hand for “${c}”`}>
                    +
                  </button>
                </span>
              )}
            </div>
          ))}
          <p className="hint">{last ? 'The answer is below.' : 'Step on to see what happens.'}</p>
        </fieldset>
      )}

      {l.claims && l.claims.length > 0 && (
        <details className="lesson-claims" open>
          <summary>
            What the run shows ({l.claims.filter((c) => c.holds).length} of {l.claims.length} checked)
          </summary>
          <ul>
            {l.claims.map((c, i) => (
              <li key={i} className={c.holds ? 'holds' : 'fails'}>
                <span aria-hidden="true">{c.holds ? '✓' : '✗'}</span>{' '}
                <span className="sr-only">{c.holds ? 'Holds:' : 'Does not hold:'}</span>
                <strong>{c.claim.says}</strong>{' '}
                {c.panel !== undefined && <span className="lesson-on">(checked on {c.panel})</span>}{' '}
                <span className="measured">{c.measured}</span>
              </li>
            ))}
          </ul>
        </details>
      )}

      {playing && cursor < step.tick && (
        <p className="hint" role="status">
          Playing to tick {step.tick}…
        </p>
      )}
      {away && !audience && (
        <p className="hint lesson-away">
          The world is at tick {cursor}; this step is at tick {step.tick}.{' '}
          <button type="button" onClick={a.back}>
            Back to this step
          </button>
        </p>
      )}

      {!audience && (
        <nav className="lesson-nav" aria-label="Lesson steps">
          <button type="button" onClick={a.prev} disabled={l.step === 0}>
            Previous step
          </button>
          <label className="lesson-jump">
            <span className="sr-only">Go to step</span>
            <select value={l.step} onChange={(e) => a.goto(Number(e.target.value))}>
              {lesson.steps.map((s, i) => (
                <option key={i} value={i}>
                  {i + 1}. {s.title}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={a.next} disabled={last}>
            Next step
          </button>
        </nav>
      )}

      {!audience && (
        <div className="lesson-tools">
          <button type="button" aria-pressed={presenter} onClick={() => a.setMode(presenter ? 'sandbox' : 'presenter')}>
            Presenter mode
          </button>
          {(builtin || !ownClock) && (
            <button type="button" onClick={() => void openAudience()}>
              Open audience window
            </button>
          )}
          {/* The editor works on the lab's scenario: a comparison's lesson is not one. */}
          {!flags.embed && !presenter && !ownClock && (
            <button type="button" onClick={() => setLessonEditor(true)}>
              Edit this lesson
            </button>
          )}
          {stepLink && (
            <button type="button" onClick={() => setQr(true)}>
              QR code of this step
            </button>
          )}
        </div>
      )}
      {presenter && <p className="hint">PageDown, Space or “.” next · PageUp back · B blanks the screen.</p>}
      {stepLink && (
        <ModalDialog
          open={qr}
          onClose={() => setQr(false)}
          className="share-dialog qr-dialog"
          title="QR code of this step"
        >
          {qr && <QrCode text={stepLink} label={`QR code of step ${l.step + 1}`} />}
          <p className="hint">
            Scan it to open this lesson at step {l.step + 1}: <a href={stepLink}>{stepLink}</a>
          </p>
        </ModalDialog>
      )}
      {l.blank &&
        createPortal(
          <div className="lesson-blank" role="dialog" aria-modal="true" aria-label="Screen blanked">
            <p>{audience ? 'The presenter has blanked the screen.' : 'Screen blanked. Press B to show it again.'}</p>
            {!audience && (
              <button type="button" onClick={a.toggleBlank} autoFocus>
                Show the screen
              </button>
            )}
          </div>,
          document.body,
        )}
    </section>
  );
}
