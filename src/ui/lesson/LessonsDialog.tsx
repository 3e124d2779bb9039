import { useEffect, useState } from 'react';
import { lessonIds, loadLesson, type LoadedLesson } from '../../state/lessons';
import { openCompareLesson } from './compareLesson';
import { useLab } from '../context';
import { ModalDialog } from '../useModal';
import { setLessonEditor } from './editing';

type Entry = { id: string } & LoadedLesson;

/** The lesson menu: every built-in lesson, with its summary and length, to open at step 1. */
export default function LessonsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const actions = useLab((s) => s.actions);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  useEffect(() => {
    if (!open || entries) return;
    let live = true;
    void Promise.all(lessonIds.map(async (id): Promise<Entry> => ({ id, ...(await loadLesson(id)) }))).then((e) => {
      if (live) setEntries(e);
    });
    return () => {
      live = false;
    };
  }, [open, entries]);

  return (
    <ModalDialog open={open} onClose={onClose} className="share-dialog lessons-dialog" title="Lessons">
      <p className="hint">
        Each lesson is a scenario with narration: it stops at each step, asks the class to predict, then shows what
        happened, with every claim checked against the run.
      </p>
      <p className="lesson-write">
        <button
          type="button"
          onClick={() => {
            openCompareLesson(null);
            setLessonEditor(true);
            onClose();
          }}
        >
          Write a lesson
        </button>{' '}
        <span className="hint">
          from what is on screen: add captions and questions at moments of this run, then share it.
        </span>
      </p>
      {!entries && <p role="status">Loading the lessons…</p>}
      {entries && (
        <ol className="lesson-list">
          {entries.map((e) =>
            e.ok ? (
              <li key={e.id}>
                <h3>{e.name}</h3>
                <p>{e.summary}</p>
                <p className="hint">
                  {e.steps} steps · {e.about}
                </p>
                <button
                  type="button"
                  onClick={() => {
                    if (e.kind === 'comparison') {
                      setLessonEditor(false);
                      openCompareLesson({ id: e.id, comparison: e.comparison, step: 0 });
                    } else {
                      // A lab lesson: leave the Compare view if it is open.
                      openCompareLesson(null);
                      setLessonEditor(false);
                      actions.openScenario(e.scenario, e.scenario.lesson!.steps[0]!.tick, `lesson:${e.id}`);
                    }
                    onClose();
                  }}
                  aria-label={`Open the lesson “${e.name}”`}
                >
                  Open
                </button>
              </li>
            ) : (
              <li key={e.id} role="alert">
                {e.error}
              </li>
            ),
          )}
        </ol>
      )}
    </ModalDialog>
  );
}
