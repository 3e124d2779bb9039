import type { ChallengeKind } from '../../sim/challenge/types';

export const KIND_LABEL: Record<ChallengeKind, string> = {
  break: 'Break it',
  keep: 'Keep it',
  unbreakable: 'Unbreakable',
};

/** Asks App to open the space-time diagram (a challenge's witness is shown there). */
export const SHOW_SPACETIME_EVENT = 'statelab:show-spacetime';
