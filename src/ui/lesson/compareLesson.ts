import type { Comparison } from '../../sim/compare/constants';

/**
 * A lesson that is a comparison (its panels on one clock) opens in the Compare view, not in
 * the lab: whoever opens one (a `#lesson=` link in main.tsx, the Lessons dialog) sends this
 * window event, and App opens the view with it. Types and a name only: the first page pays
 * for no more than its listener.
 */
export const COMPARE_LESSON_EVENT = 'statelab:compare-lesson';

export interface CompareLesson {
  /** The built-in lesson's id (its links and QR codes). */
  id: string;
  comparison: Comparison;
  /** The step to open at, from 0. */
  step: number;
}

/** Opens a comparison lesson in the Compare view; null leaves the view (a lab lesson opens). */
export function openCompareLesson(l: CompareLesson | null): void {
  window.dispatchEvent(new CustomEvent<CompareLesson | null>(COMPARE_LESSON_EVENT, { detail: l }));
}
