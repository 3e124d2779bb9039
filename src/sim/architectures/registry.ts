import type { ArchitectureConfig } from '../scenario/schema';
import type { Architecture } from './types';
import { centralized } from './centralized/store';
import { eventSourcing } from './event-sourcing/log';
import { partitioned } from './partitioned/partitioned';
import { gossip } from './gossip/gossip';

/**
 * Every architecture the engine can run, by kind. Adding one is adding it here (and to the
 * scenario schema's config union); the engine, the UI and the conformance suite read this.
 */
// The registry erases each architecture's own state type: the engine only moves that state
// between the architecture's own handlers, which is what makes the cast sound.
export const architectures: { [K in ArchitectureConfig['kind']]: Architecture } = {
  centralized: centralized as unknown as Architecture,
  'event-sourcing': eventSourcing as unknown as Architecture,
  partitioned: partitioned as unknown as Architecture,
  gossip: gossip as unknown as Architecture,
};

export function getArchitecture(kind: ArchitectureConfig['kind']): Architecture {
  return architectures[kind];
}
