import { checkPanelClaims } from '../sim/lesson/claims';
import type { Comparison } from '../sim/compare/constants';
import type { World } from '../sim/engine/types';
import type { Timeline } from '../sim/timeline/timeline';
import type { ClockState, LessonClock } from './lesson';

/**
 * A comparison's shared cursor as the clock a lesson drives (lesson.ts): Next and
 * Previous set the cursor (every panel follows it, usePanelClock), and claims are checked on
 * the world of the panel each names, once every panel stands on the step's tick. The view
 * owns the cursor (React state) and reports it with `update` after each render.
 */
export interface ComparisonClock extends LessonClock {
  update(cursor: number, moving: boolean): void;
}

export function comparisonClock(
  comparison: Comparison,
  builtinId: string | null,
  timelines: readonly Timeline[],
  setCursor: (tick: number) => void,
  stop: () => void,
): ComparisonClock {
  let state: ClockState = {
    source: comparison,
    lesson: comparison.lesson ?? null,
    title: comparison.name,
    cursor: 0,
    moving: false,
    rev: 0,
    builtinId,
  };
  const subs = new Set<(now: ClockState, prev: ClockState) => void>();
  const move = (tick: number): void => {
    stop();
    setCursor(Math.max(0, Math.min(comparison.duration, tick)));
  };
  return {
    get: () => state,
    subscribe: (cb) => {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    // The panels are computed, not played: Next jumps, and each panel catches up within a few frames.
    moveTo: move,
    seekTo: move,
    check: (claims) =>
      checkPanelClaims(claims, comparison.panels, (id) => {
        const tl = timelines[comparison.panels.findIndex((p) => p.id === id)];
        if (!tl) return null;
        // The panel's working world when it stands at the cursor; else a copy (a space-time view may have moved it).
        return tl.tick === state.cursor ? (tl.current as World) : tl.worldAt(state.cursor);
      }),
    update: (cursor, moving) => {
      if (cursor === state.cursor && moving === state.moving) return;
      const prev = state;
      state = { ...state, cursor, moving };
      for (const cb of [...subs]) cb(state, prev);
    },
  };
}
