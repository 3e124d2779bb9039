import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { Comparison } from '../../sim/compare/constants';
import {
  addStep,
  applyDraft,
  draftOf,
  MIX_KEYS,
  removeStep,
  setGroupSize,
  setPlacement,
  setWorkload,
  sharedWorkload,
  STEP_KINDS,
  updateStep,
  type Draft,
  type DraftStep,
  type StepKind,
} from './edit';
import './compareEditor.css';

/**
 * "Change this comparison": the seed, duration and network, the agents and their workload,
 * the fault schedule as steps, and where each panel's servers sit, edited as a draft (nothing runs while typing). "Run this
 * comparison" sends the draft through the comparison validator (edit.ts) and, only when it
 * is valid, hands the comparison to the view, which runs it on the worker as any other;
 * otherwise the errors are said beside the form, in the form's own words.
 */
export function CompareEditor({
  comparison,
  onApply,
  onReset,
}: {
  comparison: Comparison;
  onApply: (c: Comparison) => void;
  onReset: () => void;
}) {
  const ids = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(comparison));
  const [errors, setErrors] = useState<string[]>([]);
  // The comparison this editor just applied comes back as the view's: keep the draft (its
  // name, its steps' ids) rather than rebuilding it; any other change starts from it afresh.
  const applied = useRef<Comparison | null>(null);
  const addRef = useRef<HTMLButtonElement | null>(null);
  const alertRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (comparison === applied.current) return;
    setDraft(draftOf(comparison));
    setErrors([]);
  }, [comparison]);

  const run = (e: React.FormEvent): void => {
    e.preventDefault();
    const r = applyDraft(comparison, draft);
    setDraft(r.draft);
    if (!r.ok) {
      setErrors(r.errors);
      // The list sits by the Run button, under the placements: bring it into view once drawn.
      requestAnimationFrame(() => alertRef.current?.scrollIntoView({ block: 'nearest' }));
      return;
    }
    setErrors([]);
    applied.current = r.comparison;
    onApply(r.comparison);
  };
  const reset = (): void => {
    applied.current = null;
    setDraft(draftOf(comparison));
    setErrors([]);
    onReset();
  };
  const set = (change: Partial<Draft>): void => setDraft((d) => ({ ...d, ...change }));
  const step = (id: number, change: Partial<Omit<DraftStep, 'id'>>): void => setDraft((d) => updateStep(d, id, change));
  // Every group select (a step's groups, a server's place) offers the same options.
  const groupOptions = comparison.groups.map((g) => (
    <option key={g.id} value={g.id}>
      {g.id}
    </option>
  ));
  const groupSelect = (s: DraftStep, n: number, field: 'a' | 'b' | 'group', name: string) => (
    <select aria-label={`Step ${n} ${name}`} value={s[field]} onChange={(e) => step(s.id, { [field]: e.target.value })}>
      {groupOptions}
    </select>
  );
  const textField = (
    key: string,
    label: string,
    hint: string,
    value: string,
    onChange: (v: string) => void,
    inputMode: 'decimal' | 'text' = 'decimal',
  ) => (
    <p className="cmp-ed-field">
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input
        id={`${ids}-${key}`}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${ids}-${key}-hint`}
      />
      <span id={`${ids}-${key}-hint`} className="hint">
        {hint}
      </span>
    </p>
  );
  const field = (key: 'seed' | 'duration' | 'latency' | 'loss', label: string, hint: string) =>
    textField(key, label, hint, draft[key], (v) => set({ [key]: v }));
  const shared = sharedWorkload(comparison);

  return (
    <details className="cmp-edit">
      <summary>Change this comparison</summary>
      <form onSubmit={run} noValidate aria-label="Change this comparison">
        <fieldset className="cmp-ed-run">
          <legend>The run</legend>
          <p className="cmp-ed-field">
            <label htmlFor={`${ids}-name`}>Name</label>
            <input
              id={`${ids}-name`}
              type="text"
              maxLength={120}
              value={draft.name}
              onChange={(e) => set({ name: e.target.value })}
              placeholder="named after its schedule"
              aria-describedby={`${ids}-name-hint`}
            />
            <span id={`${ids}-name-hint`} className="hint">
              optional
            </span>
          </p>
          {field('seed', 'Seed', 'a whole number')}
          {field('duration', 'Duration', 'ticks')}
          {field('latency', 'Network latency', 'ticks per message, at least 1')}
          {field('loss', 'Message loss', 'from 0 to 1')}
        </fieldset>

        <fieldset className="cmp-ed-run cmp-ed-work">
          <legend>Workload</legend>
          {comparison.groups.map((g, i) => (
            <Fragment key={g.id}>
              {textField(`size-${i}`, `Agents in ${g.id}`, 'a whole number', draft.groupSizes[i] ?? '', (v) =>
                setDraft((d) => setGroupSize(d, i, v)),
              )}
            </Fragment>
          ))}
          {textField(
            'keys',
            'Keys',
            'separated by commas; a key listed twice is drawn twice as often',
            draft.workload.keys,
            (v) => setDraft((d) => setWorkload(d, { keys: v })),
            'text',
          )}
          {textField(
            'interval',
            'Mean interval',
            "ticks from one operation's end to the next",
            draft.workload.interval,
            (v) => setDraft((d) => setWorkload(d, { interval: v })),
          )}
          <div role="group" aria-labelledby={`${ids}-mix`} className="cmp-ed-mix">
            <span id={`${ids}-mix`} className="cmp-ed-mix-name">
              Mix of operations <span className="hint">(relative weights)</span>
            </span>
            {MIX_KEYS.map((k) => (
              <label key={k}>
                <span>{k}</span>
                <input
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  aria-label={`Mix, ${k}`}
                  value={draft.workload.mix[k]}
                  onChange={(e) => setDraft((d) => setWorkload(d, { mix: { [k]: e.target.value } }))}
                />
              </label>
            ))}
          </div>
          <p className="hint cmp-ed-note">
            {shared
              ? 'Every agent runs this workload, on every panel.'
              : 'The agents run different workloads now; change any of these and every agent runs this one. New agents run it either way.'}{' '}
            New agents take the first free names agent1, agent2, …
          </p>
        </fieldset>

        <fieldset className="cmp-ed-steps">
          <legend>Fault schedule</legend>
          {draft.steps.length === 0 ? (
            <p className="hint">No fault: every panel runs undisturbed.</p>
          ) : (
            <ol>
              {draft.steps.map((s, i) => {
                const n = i + 1;
                return (
                  <li key={s.id}>
                    <span className="cmp-ed-n" aria-hidden="true">
                      {n}.
                    </span>
                    <label>
                      <span>tick</span>
                      <input
                        type="text"
                        inputMode="numeric"
                        autoComplete="off"
                        aria-label={`Step ${n} tick`}
                        value={s.tick}
                        onChange={(e) => step(s.id, { tick: e.target.value })}
                      />
                    </label>
                    <select
                      aria-label={`Step ${n} kind`}
                      value={s.kind}
                      onChange={(e) => step(s.id, { kind: e.target.value as StepKind })}
                    >
                      {STEP_KINDS.map((k) => (
                        <option key={k.kind} value={k.kind}>
                          {k.label}
                        </option>
                      ))}
                    </select>
                    {s.kind === 'cut' ? (
                      <span className="cmp-ed-groups">
                        {groupSelect(s, n, 'a', 'first group')}
                        <span>from</span>
                        {groupSelect(s, n, 'b', 'second group')}
                      </span>
                    ) : s.kind === 'crash' || s.kind === 'recover' ? (
                      <span className="cmp-ed-groups">
                        {groupSelect(s, n, 'group', 'group')}
                        <span>{s.kind === 'crash' ? "'s servers crash" : "'s servers recover"}</span>
                      </span>
                    ) : (
                      <span className="cmp-ed-groups hint">
                        {s.kind === 'heal' ? 'every cut heals' : 'every agent stops writing'}
                      </span>
                    )}
                    <button
                      type="button"
                      aria-label={`Remove step ${n}`}
                      onClick={() => {
                        setDraft((d) => removeStep(d, s.id));
                        addRef.current?.focus();
                      }}
                    >
                      Remove
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
          <p>
            <button type="button" ref={addRef} onClick={() => setDraft((d) => addStep(d, comparison))}>
              Add a step
            </button>{' '}
            <span className="hint">Steps are put in tick order when the comparison runs.</span>
          </p>
        </fieldset>

        <fieldset className="cmp-ed-place">
          <legend>Where each panel&apos;s servers sit</legend>
          <div className="cmp-ed-panels">
            {comparison.panels.map((p, i) => (
              <div key={p.id} role="group" aria-labelledby={`${ids}-p${i}`} className="cmp-ed-panel">
                <p id={`${ids}-p${i}`} className="cmp-ed-panel-name">
                  {p.label}
                </p>
                {(draft.placements[i] ?? []).map((x) => (
                  <label key={x.server} className="cmp-ed-server">
                    <span>{x.server}</span>
                    <select
                      aria-label={`${p.label}: ${x.server}`}
                      value={x.group}
                      onChange={(e) => setDraft((d) => setPlacement(d, i, x.server, e.target.value))}
                    >
                      {groupOptions}
                    </select>
                  </label>
                ))}
              </div>
            ))}
          </div>
        </fieldset>

        {errors.length > 0 && (
          <div className="cmp-ed-errors" role="alert" ref={alertRef}>
            <p>This comparison cannot run yet:</p>
            <ul>
              {errors.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="cmp-ed-actions">
          <button type="submit" className="primary">
            Run this comparison
          </button>
          <button type="button" onClick={reset}>
            Reset to the preset
          </button>
        </p>
      </form>
    </details>
  );
}
