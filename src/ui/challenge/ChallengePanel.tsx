import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { describe, diffActions, spent, type Grade } from '../../sim/challenge/grade';
import { decodeReceipt, encodeReceipt, makeReceipt } from '../../sim/challenge/receipt';
import type { ChallengeFile, Knob } from '../../sim/challenge/types';
import type { Scenario } from '../../sim/scenario/schema';
import { parseScenario } from '../../sim/scenario/validate';
import {
  SOLUTION_AFTER,
  afterCheck,
  challengeScenarioId,
  hintOpensAfter,
  loadChallenge,
  type LoadedChallenge,
} from '../../state/challenges';
import { RECEIPT_PREFIX } from '../../state/challengeIds';
import { gradeWorker, inProcessGradeWorker } from '../../state/gradeJobs';
import type { WorkerPort } from '../../state/workerPort';
import { useLab } from '../context';
import { useProgress } from './progressStore';
import { KIND_LABEL, SHOW_SPACETIME_EVENT } from './words';
import './challenge.css';

/**
 * The challenge beside the Act panel: the brief, the budget as it is being spent, the knobs
 * (keep it), Check (the attempt replayed from scratch and graded), hints that open after failed
 * attempts, and a receipt link for a pass.
 */
export default function ChallengePanel({ id }: { id: string }) {
  const [loaded, setLoaded] = useState<LoadedChallenge | null>(null);
  useEffect(() => {
    let live = true;
    void loadChallenge(id).then((l) => live && setLoaded(l));
    return () => {
      live = false;
    };
  }, [id]);
  if (loaded === null) return <p className="hint">Loading the challenge…</p>;
  if (!loaded.ok)
    return (
      <p role="alert" className="challenge">
        This challenge could not be opened: {loaded.error}.
      </p>
    );
  return <Attempt file={loaded.file} />;
}

function Attempt({ file }: { file: ChallengeFile }) {
  const c = file.challenge;
  const ids = useId();
  const scenario = useLab((s) => s.scenario);
  const cursor = useLab((s) => s.cursor);
  const actions = useLab((s) => s.actions);
  const [progress, setProgress] = useProgress(c.id);
  const [result, setResult] = useState<{ grade: Grade; receipt: string | null; fromLink?: boolean } | null>(null);
  const [checking, setChecking] = useState(false);
  const used = useMemo(() => spent(diffActions(file.scenario, scenario).added), [file, scenario]);
  // A result speaks of the attempt it graded: an act since then makes it stale.
  const [gradedScenario, setGradedScenario] = useState<Scenario | null>(null);
  const stale = result !== null && gradedScenario !== scenario;

  // Grading replays the attempt and runs the checker: in its own worker, off the main thread.
  const worker = useGradeWorker();
  const ask = useRef(0);
  const pending = useRef<{ id: number; scenario: Scenario; fromLink: boolean } | null>(null);
  const progressRef = useRef(progress);
  progressRef.current = progress;

  function requestGrade(attempt: Scenario, fromLink: boolean, version: number | null, recorded: Recorded): void {
    if (worker === null) return;
    const id = ++ask.current;
    pending.current = { id, scenario: attempt, fromLink };
    setChecking(true);
    worker.postMessage({ type: 'grade', id, file, scenario: attempt, version, recorded });
  }

  useEffect(() => {
    if (worker === null) return;
    worker.onmessage = (e) => {
      const m = e.data;
      const p = pending.current;
      if (m.type !== 'graded' || p === null || m.id !== p.id) return;
      pending.current = null;
      const g = m.grade;
      const receipt =
        g.verdict === 'pass' && !p.fromLink
          ? `${window.location.origin}${window.location.pathname}#${encodeReceipt(makeReceipt(c, p.scenario, g.hash))}`
          : null;
      setResult({ grade: g, receipt, fromLink: p.fromLink });
      setGradedScenario(p.scenario);
      if (!p.fromLink) setProgress(afterCheck(progressRef.current, g.verdict, g.withinPar, receipt));
      setChecking(false);
    };
  }, [worker, c, setProgress]);

  function check(): void {
    requestGrade(scenario, false, c.version, null);
  }

  // Opened from a receipt link: graded again from scratch once the worker is up, version and
  // hash included (the panel mounts with the receipt's scenario).
  const receiptGraded = useRef(false);
  useEffect(() => {
    if (worker === null || receiptGraded.current) return;
    receiptGraded.current = true;
    const d = window.location.hash.startsWith(RECEIPT_PREFIX) ? decodeReceipt(window.location.hash) : null;
    if (d === null || !d.ok || d.receipt.challenge !== c.id) return;
    const r = d.receipt;
    requestGrade(scenario, true, r.version, r.hash === undefined ? null : { hash: r.hash, engine: r.engine });
  }, [worker]);

  const hintsOpen = progress.hints;
  const nextHint = hintsOpen < c.hints.length && progress.failed >= hintOpensAfter(hintsOpen);
  const budgetText =
    c.kind === 'keep'
      ? `The fault schedule is fixed; set the knobs below.`
      : `Faults: ${used.faults} of ${c.budget.faults} used (${c.budget.kinds.join(', ') || 'none'}; heals and recoveries are free)` +
        `${c.budget.ops > 0 ? ` · your own operations: ${used.ops} of ${c.budget.ops}` : ''} · act at ticks 0–${c.budget.until}.`;

  return (
    <section className="challenge block" aria-labelledby={`${ids}-h`}>
      <p className="lesson-kicker">
        Challenge {c.level} · {KIND_LABEL[c.kind]}
      </p>
      <h2 id={`${ids}-h`}>{c.title}</h2>
      <p>{c.brief}</p>
      <p>
        <strong>Goal:</strong> {c.goal}
      </p>
      <p className="challenge-budget" role="status" aria-label="Budget">
        {budgetText}
        {c.par?.faults !== undefined && ` Par: ${c.par.faults} fault${c.par.faults === 1 ? '' : 's'}.`}
      </p>
      {c.kind === 'keep' && (
        <Knobs
          file={file}
          scenario={scenario}
          onChange={(next) =>
            actions.openScenario(next, cursor, challengeScenarioId(c.id), { keep: file.scenario.actions })
          }
        />
      )}
      <div className="challenge-tools">
        <button type="button" className="primary" onClick={check} disabled={checking || worker === null}>
          Check
        </button>
        <button
          type="button"
          onClick={() => {
            actions.openScenario(file.scenario, 0, challengeScenarioId(c.id), { keep: file.scenario.actions });
            setResult(null);
          }}
        >
          Start over
        </button>
      </div>
      <div role="status" aria-live="polite" className="challenge-result" aria-label="Grade">
        {checking && <p>Checking: replaying your attempt from scratch…</p>}
        {!checking && result && (
          <>
            {result.fromLink && <p className="hint">Opened from a receipt: replayed and graded again from scratch.</p>}
            <GradeView grade={result.grade} receipt={result.receipt} stale={stale} what={describe(c.violation)} />
          </>
        )}
        {!checking && !result && progress.passed && (
          <p className="hint">
            You have passed this one{progress.withinPar ? ', within par' : ''}. Check again any time.
          </p>
        )}
      </div>
      {c.hints.length > 0 && (
        <div className="challenge-hints">
          <h3>Hints</h3>
          {hintsOpen === 0 && !nextHint && <p className="hint">A hint opens after a failed attempt.</p>}
          <ol>
            {c.hints.slice(0, hintsOpen).map((h, i) => (
              <li key={i}>{h}</li>
            ))}
          </ol>
          {nextHint && (
            <button type="button" onClick={() => setProgress({ ...progress, hints: hintsOpen + 1 })}>
              Show hint {hintsOpen + 1} of {c.hints.length}
            </button>
          )}
          {progress.failed >= SOLUTION_AFTER && !progress.solution && (
            <button type="button" onClick={() => setProgress({ ...progress, solution: true })}>
              Show the worked solution
            </button>
          )}
          {progress.solution && (
            <p className="challenge-solution">
              <strong>Worked solution.</strong> {c.solution}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

type Recorded = { hash: string; engine: string } | null;

/** One grade worker while a challenge is open (the in-thread jobs where workers are missing). */
function useGradeWorker(): WorkerPort | null {
  const [port, setPort] = useState<WorkerPort | null>(null);
  useEffect(() => {
    const p = gradeWorker() ?? inProcessGradeWorker();
    setPort(p);
    return () => p.terminate();
  }, []);
  return port;
}

function GradeView({
  grade: g,
  receipt,
  stale,
  what,
}: {
  grade: Grade;
  receipt: string | null;
  stale: boolean;
  what: string;
}) {
  const [copied, setCopied] = useState(false);
  const actions = useLab((s) => s.actions);
  return (
    <div className={`challenge-grade ${g.verdict}`}>
      <p>
        <strong>{g.verdict === 'pass' ? (g.withinPar ? 'Passed, within par.' : 'Passed.') : 'Not yet.'}</strong>{' '}
        {g.reason}
      </p>
      {stale && <p className="hint">You have acted since: Check again to grade what is on screen now.</p>}
      {g.hash !== '' && (
        <p className="hint">
          Attempt hash <code className="challenge-hash">{g.hash.slice(0, 16)}</code> (what <code>sim grade</code> prints
          for it).
        </p>
      )}
      {g.witness && g.witness.opIds.length > 0 && (
        <p className="hint">
          The operations that prove {what}: {g.witness.opIds.map((id) => `#${id}`).join(', ')} (in each agent&apos;s
          operation log).
        </p>
      )}
      {g.witness && (
        <button
          type="button"
          onClick={() => {
            actions.seekTo(g.witness?.tick ?? 0);
            window.dispatchEvent(new Event(SHOW_SPACETIME_EVENT));
          }}
        >
          See it on the space-time diagram
        </button>
      )}
      {receipt && (
        <p className="challenge-receipt">
          <label>
            Receipt link
            <input readOnly value={receipt} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard
                ?.writeText(receipt)
                .then(() => setCopied(true))
                .catch(() => setCopied(false));
            }}
          >
            Copy receipt link
          </button>
          {copied && <span className="hint"> Copied.</span>}
        </p>
      )}
    </div>
  );
}

/** Keep it: the settings the student may change, applied to the attempt's scenario. */
function Knobs({
  file,
  scenario,
  onChange,
}: {
  file: ChallengeFile;
  scenario: Scenario;
  onChange: (s: Scenario) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const arch = scenario.architecture as Record<string, unknown>;
  const set = (knob: Knob, value: unknown): void => {
    const field = knob.slice('architecture.'.length);
    const next = { ...scenario, architecture: { ...arch, [field]: value } };
    const parsed = parseScenario(next);
    if (!parsed.ok) {
      setError(parsed.errors[0]?.message ?? 'not a valid setting');
      return;
    }
    setError(null);
    onChange(parsed.scenario);
  };
  return (
    <fieldset className="challenge-knobs">
      <legend>Knobs</legend>
      {file.challenge.knobs.map((k) => {
        if (!k.startsWith('architecture.')) return null;
        const field = k.slice('architecture.'.length);
        const v = arch[field];
        const label = KNOB_LABEL[field] ?? field;
        if (typeof v === 'boolean')
          return (
            <label key={k} className="check">
              <input type="checkbox" checked={v} onChange={(e) => set(k as Knob, e.target.checked)} /> {label}
            </label>
          );
        if (typeof v === 'number')
          return (
            <label key={k}>
              {label}{' '}
              <input
                type="number"
                min={1}
                max={5}
                value={v}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (Number.isInteger(n)) set(k as Knob, n);
                }}
              />
            </label>
          );
        return null;
      })}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

const KNOB_LABEL: Record<string, string> = {
  replication: 'N (copies of each key)',
  readQuorum: 'R (answers a read waits for)',
  writeQuorum: 'W (acknowledgements a write waits for)',
  readWriteBack: 'Read write-back (ABD)',
};
