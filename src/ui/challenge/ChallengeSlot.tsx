import { lazy, Suspense } from 'react';
import { challengeOf } from '../../state/challenges';
import { useLab } from '../context';

// The challenge panel (and the grader and validator it needs) loads only when a challenge is open.
const ChallengePanel = lazy(() => import('./ChallengePanel'));

/** Where an open challenge shows, above the Act panel; nothing otherwise. */
export function ChallengeSlot() {
  const id = useLab((s) => challengeOf(s.scenarioId));
  if (id === null) return null;
  return (
    <Suspense fallback={<p className="hint">Loading the challenge…</p>}>
      <ChallengePanel id={id} />
    </Suspense>
  );
}
