import { isAttemptAt } from '../../sim/challenge/grade';
import { challengeScenarioId } from '../../state/challengeIds';
import { loadChallenges } from '../../state/challenges';
import type { LabStore } from '../../state/store';

/** Opens the lab's resumed scenario as the challenge it is an attempt at, if it is one. */
export async function resumeAttempt(store: LabStore, live: { current: boolean }): Promise<void> {
  const all = await loadChallenges();
  const { scenario, cursor, actions } = store.getState();
  if (!live.current) return;
  for (const c of all) {
    if (!c.ok || !isAttemptAt(c.file, scenario)) continue;
    actions.openScenario(scenario, cursor, challengeScenarioId(c.file.challenge.id), { keep: c.file.scenario.actions });
    return;
  }
}
