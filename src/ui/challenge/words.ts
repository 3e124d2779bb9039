import type { ChallengeKind } from '../../sim/challenge/types';

export const KIND_LABEL: Record<ChallengeKind, string> = {
  break: 'Break it',
  keep: 'Keep it',
  unbreakable: 'Unbreakable',
};

export { SHOW_SPACETIME_EVENT } from '../../state/challengeIds';
