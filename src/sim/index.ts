/** The engine's public surface: what src/state, src/ui, cli/ and tests import. */
export * from './scenario/schema';
export * from './scenario/validate';
export * from './scenario/builtins';
export * from './engine/types';
export {
  initWorld,
  advance,
  advanceWithin,
  worldAt,
  worldHash,
  nextEventTick,
  workDone,
  REPLAY_BUDGET,
} from './engine/engine';
export type { EngineObserver } from './engine/observer';
export { Timeline } from './timeline/timeline';
export { architectures, getArchitecture } from './architectures/registry';
export type { Architecture, OperationSpec } from './architectures/types';
export type { OpRecord, Outcome, History } from './history/types';
export { runReport } from './report';
export type { RunReport } from './report';
export { ENGINE_VERSION } from './version';
export type { JsonValue, JsonObject } from './core/json';
export { runLesson, runComparisonLesson, stepAt } from './lesson/run';
export type { StepReport } from './lesson/run';
export { checkClaims, checkPanelClaims } from './lesson/claims';
export type { ClaimResult } from './lesson/claims';
export type { Lesson, LessonStep, Claim, Question } from './lesson/schema';
export { lostWrites } from './durability/lost';
export type { LostWrite } from './durability/lost';
export type { DurabilityState, Backup, DiskEvent, DiskSettings } from './durability/types';
export * from './trace/index';
export { stringifyStateLabHistory, parseStateLabJson } from './history/formats';
