import { lazy, Suspense, useEffect } from 'react';
import { challengeOf } from '../../state/challengeIds';
import { useLab, useLabStore } from '../context';

// The challenge panel (and the grader and validator it needs) loads only when a challenge is open.
const ChallengePanel = lazy(() => import('./ChallengePanel'));

/** Where an open challenge shows, above the Act panel; nothing otherwise. */
export function ChallengeSlot() {
  const id = useLab((s) => challengeOf(s.scenarioId));
  useResumedAttempt();
  if (id === null) return null;
  return (
    <Suspense fallback={<p className="hint">Loading the challenge…</p>}>
      <ChallengePanel id={id} />
    </Suspense>
  );
}

/**
 * A reload resumes the tab's work as a plain scenario: an attempt at a challenge (named as the
 * challenge's start is, on the same run) is opened as that challenge again (resume.ts, loaded
 * only for a scenario so named).
 */
function useResumedAttempt(): void {
  const store = useLabStore();
  const named = useLab((s) => s.scenarioId === 'custom' && s.scenario.name.startsWith('Challenge: '));
  useEffect(() => {
    if (!named) return;
    const live = { current: true };
    void import('./resume').then(({ resumeAttempt }) => resumeAttempt(store, live));
    return () => {
      live.current = false;
    };
  }, [named, store]);
}
