import { lazy, Suspense } from 'react';
import { useLab } from '../context';
import { useEditorMode } from './editing';

// The lesson player (and the checker its claims need) loads only when a lesson is open.
const LessonPanel = lazy(() => import('./LessonPanel'));
// The editor, only when a teacher writes a lesson.
const LessonEditor = lazy(() => import('./LessonEditor'));

/** Where a lesson's narration shows, when the scenario is a lesson; nothing otherwise. */
export function LessonSlot() {
  const hasLesson = useLab((s) => s.scenario.lesson !== undefined);
  const editing = useEditorMode() !== 'closed';
  if (editing) {
    return (
      <Suspense fallback={<p className="hint">Loading the lesson editor…</p>}>
        <LessonEditor />
      </Suspense>
    );
  }
  if (!hasLesson) return null;
  return (
    <Suspense fallback={<p className="hint">Loading the lesson…</p>}>
      <LessonPanel />
    </Suspense>
  );
}
