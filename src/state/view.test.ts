import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, worldAt, type Scenario } from '../sim/index';
import { buildView } from './view';

const idle = (id: string) => ({ id, workload: { kind: 'idle' as const }, timeout: 40, retryEvery: 0 });

/** Two agents write at once to a store that takes 5 ticks a request: one in service, one waiting. */
function busyStore(): Scenario {
  return {
    format: FORMAT_VERSION,
    name: 'queue',
    seed: 1,
    duration: 60,
    architecture: { kind: 'centralized', serviceTime: 5 },
    network: { latency: 1, jitter: 0, loss: 0, duplication: 0 },
    agents: [idle('a1'), idle('a2')],
    actions: [
      { tick: 0, type: 'op', agent: 'a1', op: 'set', args: { key: 'x', value: 1 } },
      { tick: 0, type: 'op', agent: 'a2', op: 'set', args: { key: 'y', value: 2 } },
    ],
  };
}

describe("the store's queue: one count, the request in service said beside it", () => {
  it('the diagram and Inspect read the same words', () => {
    const s = busyStore();
    const w = worldAt(s, 2);
    const view = buildView(w, s, { kind: 'server', id: 'store' });
    const store = view.servers[0]!;
    expect(store.queueLength).toBe(1);
    expect(store.inService).not.toBeNull();
    // Was "queue 2" under the node while Inspect said "Store queue (1)".
    expect(store.detail).toBe('1 waiting + 1 in service');
    expect(view.inspect?.kind === 'server' && view.inspect.server.detail).toBe('1 waiting + 1 in service');
  });
});
