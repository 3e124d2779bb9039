import { advance, initWorld } from '../engine/engine';
import type { World } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import { buildScenario } from '../compare/build';
import type { Comparison } from '../compare/constants';
import { checkClaims, checkPanelClaims, type ClaimResult } from './claims';
import type { LessonStep } from './schema';

export interface StepReport {
  index: number;
  step: LessonStep;
  claims: ClaimResult[];
}

/**
 * Runs a lesson headless from start to end and checks every claim at its step's tick: what
 * `npm test` does for every lesson, and what the app shows beside the narration.
 * `onWorld` sees the world at each step (read it there; it moves on).
 */
export function runLesson(s: Scenario, onWorld?: (w: World, step: number) => void): StepReport[] {
  const lesson = s.lesson;
  if (!lesson) return [];
  const w = initWorld(s);
  return lesson.steps.map((step, index) => {
    if (step.tick > w.now) advance(w, s, step.tick);
    onWorld?.(w, index);
    return { index, step, claims: checkClaims(w, step.claims ?? []) };
  });
}

/**
 * A comparison's lesson, headless: every panel runs on the one clock (the steps' ticks) and
 * each claim is checked on the world of the panel it names. `onWorld` sees each panel's world
 * at each step.
 */
export function runComparisonLesson(
  c: Comparison,
  onWorld?: (w: World, panel: string, step: number) => void,
): StepReport[] {
  const lesson = c.lesson;
  if (!lesson) return [];
  const runs = c.panels.map((p) => {
    const scenario = buildScenario(c, p);
    return { id: p.id, scenario, world: initWorld(scenario) };
  });
  return lesson.steps.map((step, index) => {
    for (const r of runs) {
      if (step.tick > r.world.now) advance(r.world, r.scenario, step.tick);
      onWorld?.(r.world, r.id, index);
    }
    const claims = checkPanelClaims(step.claims ?? [], c.panels, (id) => runs.find((r) => r.id === id)?.world ?? null);
    return { index, step, claims };
  });
}

/** The step a tick belongs to: the last step at or before it (0 before the first). */
export function stepAt(steps: readonly { tick: number }[], tick: number): number {
  let i = 0;
  for (let j = 0; j < steps.length; j++) if (steps[j]!.tick <= tick) i = j;
  return i;
}
