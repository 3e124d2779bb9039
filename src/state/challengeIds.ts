/**
 * A challenge's scenario id in the lab (`challenge:<id>`), apart from challenges.ts so the first
 * page knows an open challenge without loading the catalogue or progress.
 */
/** Asks App to open the space-time diagram (a challenge's witness is shown there). */
export const SHOW_SPACETIME_EVENT = 'statelab:show-spacetime';

/** A receipt link's fragment begins so (src/sim/challenge/receipt.ts). */
export const RECEIPT_PREFIX = '#receipt=';

export const challengeScenarioId = (id: string): string => `challenge:${id}`;
export const challengeOf = (scenarioId: string): string | null =>
  scenarioId.startsWith('challenge:') ? scenarioId.slice('challenge:'.length) : null;
