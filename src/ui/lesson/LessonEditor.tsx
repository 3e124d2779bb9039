import { lazy, Suspense, useContext, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Lesson } from '../../sim/index';
import {
  addStep,
  deleteStep,
  draftFrom,
  editStep,
  inputOf,
  lessonOf,
  moveStep,
  retimeStep,
  setMeta,
  TEXT_LIMITS,
} from '../../state/lessonEdit';
import type { Draft, EditResult, Refusal, StepInput } from '../../state/lessonEdit';
import { lessonIds } from '../../state/lessons';
import { envelopeFor } from '../../state/share';
import type { Envelope } from '../../state/share';
import { useLab, useLabStore } from '../context';
import { ShareContext } from '../shareContext';
import { SharePanel } from '../SharePanel';
import { setEditorMode, setLessonEditor, useEditorMode } from './editing';
import './lessonEditor.css';

// The preview is the lesson player itself: the class sees exactly this.
const LessonPanel = lazy(() => import('./LessonPanel'));

/**
 * Writing a lesson over the scenario on screen: what the teacher did in the lab is the
 * recording; each step is a caption (and maybe a question) at a tick. Every accepted edit
 * is written into the lab's scenario (`narrate`), so the draft autosaves, shares and exports
 * like any scenario; a refused edit says why beside the field. The model is
 * src/state/lessonEdit.ts.
 */

type Problem = Pick<Refusal, 'field' | 'message'> | null;

function useDraft(): [Draft, (r: EditResult, label: string) => boolean, Problem, (p: Problem) => void] {
  const scenario = useLab((s) => s.scenario);
  const actions = useLab((s) => s.actions);
  const [draft, setDraft] = useState(() => draftFrom(scenario, lessonIds));
  const [problem, setProblem] = useState<Problem>(null);
  // What this editor last wrote: a scenario with these is the draft's (acting in the lab
  // keeps the lesson object); anything else (undo, another scenario opened) is reloaded.
  const written = useRef<{ name: string; lesson: Lesson | undefined }>({
    name: scenario.name,
    lesson: scenario.lesson,
  });
  useEffect(() => {
    const w = written.current;
    if (scenario.name === w.name && scenario.lesson === w.lesson) return;
    written.current = { name: scenario.name, lesson: scenario.lesson };
    setDraft(draftFrom(scenario, lessonIds));
  }, [scenario]);

  function commit(r: EditResult, label: string): boolean {
    if (!r.ok) {
      setProblem({ field: r.field, message: r.message });
      return false;
    }
    setProblem(null);
    const lesson = lessonOf(r.draft);
    written.current = { name: r.draft.title, lesson };
    setDraft(r.draft);
    actions.narrate(r.draft.title, lesson, `Lesson: ${label}`);
    return true;
  }
  return [draft, commit, problem, setProblem];
}

/** A field's refusal, said beside it; the input points at it (aria-describedby). */
function FieldError({ id, problem, field }: { id: string; problem: Problem; field: string }) {
  const shown = problem !== null && (problem.field === field || problem.field.startsWith(`${field}.`));
  return shown ? (
    <p id={id} className="editor-error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {problem.message}
    </p>
  ) : null;
}

function errProps(problem: Problem, field: string, id: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return problem && problem.field === field ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

const EMPTY_CHOICES = ['', '', '', '', ''];

/** The step form: add at the cursor, or edit a step (with its tick). */
function StepForm({
  initial,
  cursor,
  editing,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: StepInput | null;
  cursor: number;
  editing: number | null;
  submitLabel: string;
  onSubmit: (input: StepInput) => Problem;
  onCancel?: () => void;
}) {
  const ids = useId();
  const q = initial?.question ?? null;
  const [tick, setTick] = useState(String(initial?.tick ?? cursor));
  const [title, setTitle] = useState(initial?.title ?? '');
  const [text, setText] = useState(initial?.text ?? '');
  const [ask, setAsk] = useState(q !== null);
  const [prompt, setPrompt] = useState(q?.prompt ?? '');
  const [choices, setChoices] = useState(() =>
    [...(q?.choices ?? []), ...EMPTY_CHOICES].slice(0, TEXT_LIMITS.maxChoices),
  );
  const [answer, setAnswer] = useState(q?.answer ?? 0);
  const [explain, setExplain] = useState(q?.explain ?? '');
  const [problem, setProblem] = useState<Problem>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing !== null) titleRef.current?.focus();
  }, [editing]);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const input: StepInput = {
      tick: editing === null ? cursor : tick.trim() === '' ? NaN : Number(tick),
      title,
      text,
      question: ask ? { prompt, choices, answer, explain } : null,
    };
    const p = onSubmit(input);
    setProblem(p);
    if (p) {
      // Focus the field the refusal is about, so a keyboard user lands on it.
      const el =
        document.getElementById(`${ids}-${p.field.replace('.', '-')}`) ??
        document.getElementById(`${ids}-${p.field.split('.')[0]}`);
      el?.focus();
      return;
    }
    if (editing === null) {
      setTitle('');
      setText('');
      setAsk(false);
      setPrompt('');
      setChoices(EMPTY_CHOICES);
      setAnswer(0);
      setExplain('');
      titleRef.current?.focus();
    }
  }

  const err = (field: string): ReactNode => <FieldError id={`${ids}-${field}-err`} problem={problem} field={field} />;
  return (
    <form
      className="editor-step-form"
      onSubmit={submit}
      noValidate
      aria-label={editing === null ? 'New step' : `Edit step ${editing + 1}`}
    >
      {editing !== null && (
        <div className="editor-field">
          <label htmlFor={`${ids}-tick`}>Tick</label>
          <div className="editor-row">
            <input
              id={`${ids}-tick`}
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              value={tick}
              onChange={(e) => setTick(e.target.value)}
              {...errProps(problem, 'tick', `${ids}-tick-err`)}
            />
            <button type="button" onClick={() => setTick(String(cursor))}>
              Use the cursor (tick {cursor})
            </button>
          </div>
          {err('tick')}
        </div>
      )}
      <div className="editor-field">
        <label htmlFor={`${ids}-title`}>Step title</label>
        <input
          ref={titleRef}
          id={`${ids}-title`}
          type="text"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          {...errProps(problem, 'title', `${ids}-title-err`)}
        />
        {err('title')}
      </div>
      <div className="editor-field">
        <label htmlFor={`${ids}-text`}>Caption</label>
        <textarea
          id={`${ids}-text`}
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          {...errProps(problem, 'text', `${ids}-text-err`)}
        />
        <span className="hint editor-count">
          {text.trim().length} / {TEXT_LIMITS.text} characters
        </span>
        {err('text')}
      </div>
      <div className="editor-field editor-check">
        <label>
          <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} /> Ask the class to predict (a
          question)
        </label>
      </div>
      {ask && (
        <fieldset className="editor-question">
          <legend>Prediction</legend>
          <div className="editor-field">
            <label htmlFor={`${ids}-prompt`}>Question</label>
            <input
              id={`${ids}-prompt`}
              type="text"
              value={prompt}
              onChange={(e) => setPrompt(e.target.value)}
              {...errProps(problem, 'prompt', `${ids}-prompt-err`)}
            />
            {err('prompt')}
          </div>
          <fieldset className="editor-choices" {...errProps(problem, 'choices', `${ids}-choices-err`)}>
            <legend>Choices (2 to 5; mark the right one)</legend>
            {choices.map((c, i) => (
              <div key={i} className="editor-choice">
                <input
                  type="radio"
                  id={i === 0 ? `${ids}-answer` : undefined}
                  name={`${ids}-answer`}
                  checked={answer === i}
                  onChange={() => setAnswer(i)}
                  aria-label={`Choice ${i + 1} is the right answer`}
                />
                <input
                  id={`${ids}-choices-${i}`}
                  type="text"
                  value={c}
                  onChange={(e) => setChoices(choices.map((x, j) => (j === i ? e.target.value : x)))}
                  aria-label={`Choice ${i + 1}`}
                  {...errProps(problem, `choices.${i}`, `${ids}-choices-err`)}
                />
              </div>
            ))}
            <FieldError id={`${ids}-choices-err`} problem={problem} field="choices" />
            <FieldError id={`${ids}-answer-err`} problem={problem} field="answer" />
          </fieldset>
          <div className="editor-field">
            <label htmlFor={`${ids}-explain`}>Explanation (shown with the answer)</label>
            <textarea
              id={`${ids}-explain`}
              rows={2}
              value={explain}
              onChange={(e) => setExplain(e.target.value)}
              {...errProps(problem, 'explain', `${ids}-explain-err`)}
            />
            {err('explain')}
          </div>
        </fieldset>
      )}
      <div className="editor-row">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Title, summary and language of the lesson. */
function DetailsForm({ draft, commit }: { draft: Draft; commit: (r: EditResult, label: string) => boolean }) {
  const ids = useId();
  const [title, setTitle] = useState(draft.title);
  const [summary, setSummary] = useState(draft.summary);
  const [lang, setLang] = useState(draft.lang);
  const [problem, setProblem] = useState<Problem>(null);
  const [saved, setSaved] = useState('');
  useEffect(() => {
    setTitle(draft.title);
    setSummary(draft.summary);
    setLang(draft.lang);
  }, [draft.title, draft.summary, draft.lang]);
  function submit(e: FormEvent): void {
    e.preventDefault();
    const r = setMeta(draft, { title, summary, lang }, lessonIds);
    setProblem(r.ok ? null : r);
    setSaved(commit(r, 'details') ? 'Saved.' : '');
  }
  return (
    <details className="editor-details">
      <summary>Title and summary</summary>
      <form onSubmit={submit} noValidate aria-label="Lesson details">
        <div className="editor-field">
          <label htmlFor={`${ids}-t`}>Lesson title</label>
          <input
            id={`${ids}-t`}
            type="text"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            {...errProps(problem, 'title', `${ids}-t-err`)}
          />
          <FieldError id={`${ids}-t-err`} problem={problem} field="title" />
        </div>
        <div className="editor-field">
          <label htmlFor={`${ids}-s`}>Summary (for the lesson menu)</label>
          <textarea
            id={`${ids}-s`}
            rows={2}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            {...errProps(problem, 'summary', `${ids}-s-err`)}
          />
          <FieldError id={`${ids}-s-err`} problem={problem} field="summary" />
        </div>
        <div className="editor-field">
          <label htmlFor={`${ids}-l`}>Language code</label>
          <input
            id={`${ids}-l`}
            type="text"
            value={lang}
            onChange={(e) => setLang(e.target.value)}
            {...errProps(problem, 'lang', `${ids}-l-err`)}
          />
          <FieldError id={`${ids}-l-err`} problem={problem} field="lang" />
        </div>
        <p className="hint">
          Lesson id: <code>{draft.id}</code> (from the title)
        </p>
        <div className="editor-row">
          <button type="submit">Save title and summary</button>
          <span role="status">{saved}</span>
        </div>
      </form>
    </details>
  );
}

export default function LessonEditor() {
  const ids = useId();
  const lab = useLabStore();
  const cursor = useLab((s) => s.cursor);
  const duration = useLab((s) => s.scenario.duration);
  const undo = useLab((s) => s.undo);
  const labActions = useLab((s) => s.actions);
  const share = useContext(ShareContext);
  const [draft, commit, problem, setProblem] = useDraft();
  const [editing, setEditing] = useState<number | null>(null);
  const preview = useEditorMode() === 'preview';
  const [status, setStatus] = useState('');
  const focusNext = useRef<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  // A refused move is said below the steps: on a phone that is often off screen.
  useEffect(() => {
    if (problem?.field === 'step') alertRef.current?.scrollIntoView({ block: 'nearest' });
  }, [problem]);

  useEffect(() => {
    const id = focusNext.current;
    focusNext.current = null;
    if (id) document.getElementById(id)?.focus();
  });
  // Opened from a menu or a button that is now gone: a keyboard user starts at the heading.
  useEffect(() => {
    const h = document.getElementById(`${ids}-h`);
    // On a phone the editor may open in a tab not shown ("Write a lesson" from the Timeline
    // tab): show its tab, as a tap on it would.
    const panel = h?.closest('[role="tabpanel"]');
    const hidden = panel instanceof HTMLElement && panel.hidden;
    if (hidden) document.getElementById(panel.getAttribute('aria-labelledby') ?? '')?.click();
    // Only on opening; coming back from the preview focuses its button (below). A tab just
    // chosen shows on the next frame.
    if (preview) return;
    if (hidden) requestAnimationFrame(() => h?.focus());
    else h?.focus();
  }, []);

  const lastIsLesson = undo[undo.length - 1]?.label.startsWith('Lesson: ') ?? false;
  const steps = draft.steps;

  function run(r: EditResult, label: string, said: (at: number) => string, focus?: (at: number) => string): Problem {
    if (!commit(r, label)) return r.ok ? null : r;
    if (r.ok) {
      setStatus(said(r.at));
      if (focus) focusNext.current = focus(r.at);
    }
    return null;
  }

  const stepId = (i: number, what: string): string => `${ids}-s${i}-${what}`;

  function getEnvelope(): Envelope {
    const s = lab.getState();
    // The link opens the lesson at its first step.
    const at = s.scenario.lesson?.steps[0]?.tick ?? s.cursor;
    const h = s.hash && s.hash.rev === s.rev && s.hash.tick === at ? s.hash.hash : undefined;
    return envelopeFor(s.scenario, at, h);
  }
  function onImport(e: Envelope): void {
    if (share) share.getState().actions.openEnvelope(e);
    else labActions.openScenario(e.scenario, e.tick);
  }

  if (preview) {
    // The player itself, not wrapped: presenter mode shows the lesson and hides the rest.
    return (
      <>
        <div className="editor-preview-bar" role="group" aria-label="Lesson preview">
          <p>
            <strong>Preview</strong>: the lesson as the class sees it.
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => {
              focusNext.current = `${ids}-preview`;
              setEditorMode('edit');
            }}
          >
            Back to editing
          </button>
        </div>
        <Suspense fallback={<p className="hint">Loading the lesson…</p>}>
          <LessonPanel />
        </Suspense>
      </>
    );
  }

  return (
    <section className="lesson-editor" aria-labelledby={`${ids}-h`}>
      <div className="editor-head">
        <h2 id={`${ids}-h`} tabIndex={-1}>
          Write a lesson
        </h2>
        <button type="button" onClick={() => setLessonEditor(false)}>
          Close the editor
        </button>
      </div>
      <p className="hint">
        What you did in the lab is the recording. Move the timeline to a moment, write what the class should see there,
        and add it as a step. Your draft is saved with the scenario in this browser.
      </p>
      <DetailsForm draft={draft} commit={commit} />

      <h3>
        Steps{' '}
        <span className="hint">
          ({steps.length} of at most {TEXT_LIMITS.steps})
        </span>
      </h3>
      {steps.length === 0 && <p className="hint">No steps yet: the first one makes this scenario a lesson.</p>}
      <ol className="editor-steps">
        {steps.map((s, i) =>
          editing === i ? (
            <li key={i} className="editor-step is-editing">
              <StepForm
                key={`edit-${i}`}
                initial={inputOf(s)}
                cursor={cursor}
                editing={i}
                submitLabel={`Save step ${i + 1}`}
                onSubmit={(input) => {
                  const p = run(
                    editStep(draft, i, input, duration),
                    `edited step ${i + 1}`,
                    (at) => `Saved step ${at + 1}.`,
                    (at) => stepId(at, 'edit'),
                  );
                  if (!p) setEditing(null);
                  return p;
                }}
                onCancel={() => {
                  setEditing(null);
                  focusNext.current = stepId(i, 'edit');
                }}
              />
            </li>
          ) : (
            <li key={i} className="editor-step">
              <p className="editor-step-head">
                <strong>Step {i + 1}</strong> · tick {s.tick}
                {s.tick === cursor ? <span className="editor-here"> (the cursor is here)</span> : null}
              </p>
              <p className="editor-step-title">{s.title}</p>
              <p className="editor-step-text">{s.text}</p>
              {s.question && (
                <p className="hint">
                  <span aria-hidden="true">? </span>Asks: {s.question.prompt} ({s.question.choices.length} choices)
                </p>
              )}
              {s.claims && s.claims.length > 0 && (
                <p className="hint">
                  {s.claims.length} checked claim{s.claims.length === 1 ? '' : 's'}: they stay with the step, checked at
                  its tick.
                </p>
              )}
              <div className="editor-step-tools" role="group" aria-label={`Step ${i + 1}`}>
                <button
                  type="button"
                  id={stepId(i, 'edit')}
                  onClick={() => setEditing(i)}
                  aria-label={`Edit step ${i + 1}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  id={stepId(i, 'go')}
                  onClick={() => labActions.seekTo(s.tick)}
                  aria-label={`Go to tick ${s.tick}: step ${i + 1}`}
                >
                  Go to tick
                </button>
                <button
                  type="button"
                  id={stepId(i, 'up')}
                  onClick={() =>
                    run(
                      moveStep(draft, i, -1),
                      `moved step ${i + 1} up`,
                      (at) => `Step ${i + 1} is now step ${at + 1}.`,
                      (at) => stepId(at, 'up'),
                    )
                  }
                  aria-label={`Up: move step ${i + 1} up`}
                >
                  <span aria-hidden="true">↑</span> Up
                </button>
                <button
                  type="button"
                  id={stepId(i, 'down')}
                  onClick={() =>
                    run(
                      moveStep(draft, i, 1),
                      `moved step ${i + 1} down`,
                      (at) => `Step ${i + 1} is now step ${at + 1}.`,
                      (at) => stepId(at, 'down'),
                    )
                  }
                  aria-label={`Down: move step ${i + 1} down`}
                >
                  <span aria-hidden="true">↓</span> Down
                </button>
                <button
                  type="button"
                  id={stepId(i, 'retime')}
                  disabled={s.tick === cursor}
                  onClick={() =>
                    run(
                      retimeStep(draft, i, cursor, duration),
                      `moved step ${i + 1} to tick ${cursor}`,
                      (at) => `Step ${i + 1} is now at tick ${cursor}: step ${at + 1}.`,
                      (at) => stepId(at, 'edit'),
                    )
                  }
                  aria-label={`Move to tick ${cursor}: step ${i + 1}`}
                >
                  Move to tick {cursor}
                </button>
                <button
                  type="button"
                  id={stepId(i, 'delete')}
                  className="danger"
                  onClick={() =>
                    run(
                      deleteStep(draft, i),
                      `deleted step ${i + 1}`,
                      () => `Deleted step ${i + 1} “${s.title}”.`,
                      (at) => (at >= 0 ? stepId(at, 'edit') : `${ids}-add`),
                    )
                  }
                  aria-label={`Delete step ${i + 1}`}
                >
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ol>
      <div ref={alertRef} role="alert" className="editor-error-region">
        {problem && problem.field === 'step' && (
          <p className="editor-error">
            <span aria-hidden="true">⚠ </span>
            {problem.message}{' '}
            <button type="button" className="quiet" onClick={() => setProblem(null)}>
              Dismiss
            </button>
          </p>
        )}
      </div>
      <div className="editor-status-row">
        <p role="status" className="editor-status">
          {status}
        </p>
        {lastIsLesson && status !== '' && (
          <button
            type="button"
            onClick={() => {
              labActions.undo();
              setStatus('Undone.');
            }}
          >
            Undo this change
          </button>
        )}
      </div>

      {editing === null && (
        <section className="editor-add" aria-labelledby={`${ids}-add`}>
          <h3 id={`${ids}-add`} tabIndex={-1}>
            Add a step at tick {cursor}
          </h3>
          <StepForm
            initial={null}
            cursor={cursor}
            editing={null}
            submitLabel={`Add step here (tick ${cursor})`}
            onSubmit={(input) =>
              run(
                addStep(draft, input, duration),
                `added a step at tick ${input.tick}`,
                (at) => `Added step ${at + 1} at tick ${input.tick}.`,
              )
            }
          />
        </section>
      )}

      <section className="editor-share" aria-labelledby={`${ids}-share-h`}>
        <h3 id={`${ids}-share-h`}>Try it and share it</h3>
        <div className="editor-row">
          <button
            type="button"
            id={`${ids}-preview`}
            disabled={steps.length === 0}
            onClick={() => {
              labActions.seekTo(steps[0]!.tick);
              setEditorMode('preview');
            }}
          >
            Preview the lesson
          </button>
        </div>
        {steps.length === 0 ? (
          <p className="hint">Add a step to preview, share or export the lesson.</p>
        ) : (
          <>
            <p className="hint">The link and the file carry the whole lesson and open it at step 1.</p>
            <SharePanel getEnvelope={getEnvelope} onImport={onImport} />
          </>
        )}
      </section>
    </section>
  );
}
