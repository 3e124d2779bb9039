import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, initWorld } from '../../engine/engine';
import { runs } from '../../core/fuzz.testkit';
import type { Scenario } from '../../scenario/schema';
import { FORMAT_VERSION } from '../../scenario/schema';
import { EXCHANGES, GOSSIP_MODES, ROUND_KINDS } from './constants';
import { messageBytes, type GossipMsg } from './gossip';

/** The byte count is computed in parts (frozen states serialised once): it is JSON.stringify's length, exactly. */
describe('gossip message bytes', () => {
  it('equal JSON.stringify(message).length for every message of random runs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GOSSIP_MODES),
        fc.constantFrom(...EXCHANGES),
        fc.constantFrom(...ROUND_KINDS),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.string({ maxLength: 8 })),
          {
            maxLength: 12,
          },
        ),
        (mode, exchange, round, writes) => {
          const s: Scenario = {
            format: FORMAT_VERSION,
            name: 'bytes',
            seed: 5,
            duration: 60,
            architecture: { kind: 'gossip', replicas: ['r1', 'r2', 'r3'], mode, exchange, fanout: 1, period: 3, round },
            network: { latency: 1, jitter: 1, loss: 0, duplication: 0 },
            agents: [1, 2, 3].map((i) => ({
              id: `agent${i}`,
              workload: { kind: 'idle' as const },
              timeout: 10,
              retryEvery: 0,
            })),
            actions: [
              ...writes.map(([tick, a, value]) => ({
                tick,
                type: 'op' as const,
                agent: `agent${a}`,
                op: 'set',
                args: { key: `k"${value.slice(0, 2)}`, value },
              })),
              // A configure: incarnations (r1~t) in the origins, and a mode switch for some.
              {
                tick: 45,
                type: 'configure' as const,
                config: {
                  kind: 'gossip' as const,
                  replicas: ['r1', 'r2', 'r3'],
                  mode: 'lww' as const,
                  exchange,
                  fanout: 1,
                  period: 3,
                  round,
                },
              },
            ].sort((x, y) => x.tick - y.tick),
          };
          let checked = 0;
          const w = initWorld(s);
          advance(w, s, s.duration, undefined, {
            send(m) {
              const p = m.payload as Partial<GossipMsg>;
              if (p.t !== 'gossip') return;
              expect(messageBytes(p as GossipMsg)).toBe(JSON.stringify(p).length);
              checked += 1;
            },
          });
          expect(checked).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs(40) },
    );
  });
});
