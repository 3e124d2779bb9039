import { lazy, Suspense } from 'react';
import { useLab } from '../context';

// The lesson player (and the checker its claims need) loads only when a lesson is open.
const LessonPanel = lazy(() => import('./LessonPanel'));

/** Where a lesson's narration shows, when the scenario is a lesson; nothing otherwise. */
export function LessonSlot() {
  const hasLesson = useLab((s) => s.scenario.lesson !== undefined);
  if (!hasLesson) return null;
  return (
    <Suspense fallback={<p className="hint">Loading the lesson…</p>}>
      <LessonPanel />
    </Suspense>
  );
}
