import { createContext, useContext } from 'react';
import type { LessonStore } from '../../state/lesson';

/**
 * A lesson store made by a view with its own clock (the Compare view's shared cursor); absent,
 * LessonPanel drives the lab's. Apart from LessonPanel so a view provides it without loading it.
 */
export const LessonStoreContext = createContext<LessonStore | null>(null);

export function useGivenLessonStore(): LessonStore | null {
  return useContext(LessonStoreContext);
}
