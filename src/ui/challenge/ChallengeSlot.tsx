import { lazy, Suspense, useEffect } from 'react';
import { challengeOf, challengeScenarioId, loadChallenges } from '../../state/challenges';
import { useLab } from '../context';

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
 * challenge's start is, on the same run: isAttemptAt) is opened as that challenge
 * again, its own script kept, so the panel and the student's place come back.
 */
function useResumedAttempt(): void {
  const custom = useLab((s) => s.scenarioId === 'custom');
  const scenario = useLab((s) => s.scenario);
  const cursor = useLab((s) => s.cursor);
  const actions = useLab((s) => s.actions);
  const named = custom && scenario.name.startsWith('Challenge: ');
  useEffect(() => {
    if (!named) return;
    let live = true;
    void Promise.all([loadChallenges(), import('../../sim/challenge/grade')]).then(([all, { isAttemptAt }]) => {
      if (!live) return;
      for (const c of all) {
        if (!c.ok || !isAttemptAt(c.file, scenario)) continue;
        actions.openScenario(scenario, cursor, challengeScenarioId(c.file.challenge.id), {
          keep: c.file.scenario.actions,
        });
        return;
      }
    });
    return () => {
      live = false;
    };
    // Once per resumed scenario: acting changes the scenario, not whether it was resumed.
  }, [named]);
}
