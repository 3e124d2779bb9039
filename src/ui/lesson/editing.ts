import { useSyncExternalStore } from 'react';

/**
 * Whether the lesson editor is open, and on its preview: one flag, set by "Write a lesson"
 * (the Lessons dialog) and "Edit this lesson" (the lesson panel, also from the preview), read
 * by the lesson slot, which loads the editor lazily. The draft itself lives in the scenario
 * (and so in its autosave), not here.
 */
export type EditorMode = 'closed' | 'edit' | 'preview';

let mode: EditorMode = 'closed';
const listeners = new Set<() => void>();

export function setEditorMode(value: EditorMode): void {
  if (mode === value) return;
  mode = value;
  for (const l of listeners) l();
}

/** Opens the editor (from its preview too) or closes it. */
export function setLessonEditor(open: boolean): void {
  setEditorMode(open ? 'edit' : 'closed');
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useEditorMode(): EditorMode {
  return useSyncExternalStore(subscribe, () => mode);
}
