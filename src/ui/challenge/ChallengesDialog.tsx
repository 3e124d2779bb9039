import { useEffect, useState } from 'react';
import { challengeScenarioId, loadChallenges, type LoadedChallenge } from '../../state/challenges';
import { useLab } from '../context';
import { ModalDialog } from '../useModal';
import { useAllProgress } from './progressStore';
import { KIND_LABEL } from './words';
import './challenge.css';

/** The ladder: every built-in challenge, easiest first, with what the student has done. */
export default function ChallengesDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const actions = useLab((s) => s.actions);
  const progress = useAllProgress();
  const [entries, setEntries] = useState<LoadedChallenge[] | null>(null);
  useEffect(() => {
    if (!open || entries) return;
    let live = true;
    void loadChallenges().then((e) => {
      if (live) setEntries(e);
    });
    return () => {
      live = false;
    };
  }, [open, entries]);

  return (
    <ModalDialog open={open} onClose={onClose} className="share-dialog challenges-dialog" title="Challenges">
      <p className="hint">
        Each challenge is a scenario to attempt: break it within a budget of faults, keep it working by setting its
        knobs, or try to break what cannot be broken. Check replays your attempt from scratch and the checker grades it.
      </p>
      {!entries && <p role="status">Loading the challenges…</p>}
      {entries && (
        <ol className="challenge-list">
          {entries.map((e) => {
            if (!e.ok)
              return (
                <li key={e.id} role="alert">
                  {e.id}: {e.error}
                </li>
              );
            const c = e.file.challenge;
            const p = progress[c.id];
            const state = p?.withinPar ? 'passed within par' : p?.passed ? 'passed' : p?.attempts ? 'attempted' : 'new';
            return (
              <li key={c.id} className={`challenge-entry ${p?.passed ? 'done' : ''}`}>
                <h3>
                  {c.level}. {c.title}
                </h3>
                <p className="hint">
                  {KIND_LABEL[c.kind]} · {e.file.scenario.architecture.kind} ·{' '}
                  <span className="challenge-state">{state}</span>
                </p>
                <p>{c.goal}</p>
                <button
                  type="button"
                  aria-label={`Open challenge ${c.level}, “${c.title}”`}
                  onClick={() => {
                    actions.openScenario(e.file.scenario, 0, challengeScenarioId(c.id), {
                      keep: e.file.scenario.actions,
                    });
                    onClose();
                  }}
                >
                  Open
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </ModalDialog>
  );
}
