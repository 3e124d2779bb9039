import type { Action, Scenario } from '../scenario/schema';

/**
 * A known solution for every built-in challenge (kept in the tests, not shipped): the actions
 * a student adds, or the knobs a keep-it student sets, and for keep-it the knobs that matter.
 */
export interface Solution {
  readonly add?: Action[];
  readonly architecture?: Record<string, unknown>;
  /** Keep-it: what the grade's knob ablation must name. */
  readonly mattered?: string[];
}

const cut = (tick: number, from: string, to: string): Action => ({ tick, type: 'cut-link', from, to });
const heal = (tick: number, from: string, to: string): Action => ({ tick, type: 'heal-link', from, to });
const split: Action = {
  tick: 10,
  type: 'partition',
  groups: [
    ['r1', 'r2', 'agent1'],
    ['r3', 'r4', 'agent2'],
  ],
};

export const SOLUTIONS: Record<string, Solution> = {
  'stale-read': { add: [cut(50, 'coordinator', 'shard2'), heal(80, 'coordinator', 'shard2')] },
  'new-old-inversion': {
    add: [
      {
        tick: 56,
        type: 'partition',
        groups: [
          ['coordinator', 'shard0', 'agent1', 'agent2', 'agent3'],
          ['shard1', 'shard2'],
        ],
      },
      { tick: 64, type: 'heal-all' },
      cut(72, 'coordinator', 'shard0'),
    ],
  },
  'gossip-dropped': { add: [split, { tick: 80, type: 'heal-all' }] },
  'lww-discarded': { add: [split, { tick: 80, type: 'heal-all' }] },
  'gossip-fixed-point': { add: [split, { tick: 80, type: 'heal-all' }] },
  'projection-behind': { add: [cut(5, 'log', 'proj1')] },
  '2pc-blocked': { add: [{ tick: 25, type: 'crash', node: 'coordinator' }] },
  'keep-fresh': { architecture: { readQuorum: 2, writeQuorum: 2 }, mattered: ['readQuorum (1 → 2)'] },
  'unbreakable-store': {
    add: [
      { tick: 100, type: 'crash', node: 'store' },
      { tick: 150, type: 'recover', node: 'store' },
      cut(200, 'agent1', 'store'),
      {
        tick: 300,
        type: 'partition',
        groups: [
          ['store', 'agent1'],
          ['agent2', 'agent3'],
        ],
      },
      { tick: 400, type: 'heal-all' },
    ],
  },
};

/** The start with a solution applied: actions merged in tick order, knobs set. */
export function solve(start: Scenario, s: Solution): Scenario {
  const actions = [...start.actions, ...(s.add ?? [])].sort((a, b) => a.tick - b.tick);
  const architecture = { ...start.architecture, ...(s.architecture ?? {}) } as Scenario['architecture'];
  return { ...start, actions, architecture };
}
