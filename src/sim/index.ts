/** The engine's public surface: what src/state, src/ui, cli/ and tests import. */
export * from './scenario/schema';
export * from './scenario/validate';
export * from './scenario/builtins';
export * from './engine/types';
export { initWorld, advance, worldAt, worldHash, nextEventTick } from './engine/engine';
export type { EngineObserver } from './engine/observer';
export { Timeline } from './timeline/timeline';
export { architectures, getArchitecture } from './architectures/registry';
export type { Architecture, OperationSpec } from './architectures/types';
export type { OpRecord, Outcome, History } from './history/types';
export { runReport } from './report';
export type { RunReport } from './report';
export { ENGINE_VERSION } from './version';
export type { JsonValue, JsonObject } from './core/json';
export * from './trace/index';
export { stringifyStateLabHistory, parseStateLabJson } from './history/formats';
