import type { ServerSummary, SummaryCtx } from '../architectures/types';
import { getArchitecture } from '../architectures/registry';
import { dictGet } from '../core/dict';
import { isCrashed, isCut } from '../net/network';
import type { World } from './types';

/**
 * Server `id`'s summary in world `w` (the diagram's words, Inspect's facts, a lesson's "fact"
 * claims): the architecture's `summary` with its neighbours and the network to read.
 */
export function summarizeServer(w: World, id: string): ServerSummary | null {
  const arch = getArchitecture(w.arch.kind);
  const node = dictGet(w.servers, id);
  if (!arch.summary || !node) return null;
  const ctx: SummaryCtx = {
    self: id,
    server: (other) => dictGet(w.servers, other)?.state,
    isCut: (from, to) => isCut(w.net, from, to),
    isCrashed: (n) => isCrashed(w.net, n),
  };
  return arch.summary(node.state, w.arch, ctx);
}
