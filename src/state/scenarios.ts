import type { Scenario } from '../sim/index';
import { agent, builtinScenarios, defaultScenario } from '../sim/scenario/builtins';

/**
 * The scenario menu: the engine's built-in scenarios, plus two the app adds for scale —
 * a crowd of 50 agents on one store (the bottleneck, and the frame-rate check) and a long
 * run whose far end is computed in the worker. Both are ordinary scenarios built from the
 * engine's own helpers.
 */

export interface ScenarioEntry {
  id: string;
  label: string;
  make: () => Scenario;
}

export function crowdScenario(): Scenario {
  const s = defaultScenario();
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  return {
    ...s,
    name: 'Crowd: 50 agents on one store',
    duration: 1000,
    agents: Array.from({ length: 50 }, (_, i) =>
      agent(`agent${i + 1}`, { kind: 'random', keys, interval: 24, mix: { get: 5, set: 4, delete: 1, update: 1 } }, 30),
    ),
  };
}

export function longScenario(): Scenario {
  return { ...defaultScenario(), name: 'Long run: 50,000 ticks', duration: 50_000 };
}

export const scenarioMenu: ScenarioEntry[] = [
  ...builtinScenarios.map((b) => ({ id: b.id, label: b.make().name, make: b.make })),
  { id: 'crowd', label: crowdScenario().name, make: crowdScenario },
  { id: 'long', label: longScenario().name, make: longScenario },
];

export function findScenario(id: string): ScenarioEntry {
  return scenarioMenu.find((e) => e.id === id) ?? scenarioMenu[0]!;
}
