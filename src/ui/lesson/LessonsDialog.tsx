import { useEffect, useState } from 'react';
import type { Scenario } from '../../sim/index';
import { lessonIds, loadLesson } from '../../state/lessons';
import { useLab } from '../context';
import { ModalDialog } from '../useModal';
import { setLessonEditor } from './editing';

type Entry = { id: string; ok: true; scenario: Scenario } | { id: string; ok: false; error: string };

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
      <p className="hint">Each lesson is a scenario with narration: it stops at each step, asks the class to predict, then shows what happened, with every claim checked against the run.</p>
      <p className="lesson-write">
        <button
          type="button"
          onClick={() => {
            setLessonEditor(true);
            onClose();
          }}
        >
          Write a lesson
        </button>{' '}
        <span className="hint">from what is on screen: add captions and questions at moments of this run, then share it.</span>
      </p>
      {!entries && <p role="status">Loading the lessons…</p>}
      {entries && (
        <ol className="lesson-list">
          {entries.map((e) =>
            e.ok ? (
              <li key={e.id}>
                <h3>{e.scenario.name.replace(/^Lesson:\s*/, '')}</h3>
                <p>{e.scenario.lesson!.summary}</p>
                <p className="hint">
                  {e.scenario.lesson!.steps.length} steps · {e.scenario.architecture.kind}
                </p>
                <button
                  type="button"
                  onClick={() => {
                    setLessonEditor(false);
                    actions.openScenario(e.scenario, e.scenario.lesson!.steps[0]!.tick, `lesson:${e.id}`);
                    onClose();
                  }}
                  aria-label={`Open the lesson “${e.scenario.name.replace(/^Lesson:\s*/, '')}”`}
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
