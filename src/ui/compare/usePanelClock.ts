import { useEffect, useMemo, useRef, useState } from 'react';
import { buildScenario } from '../../sim/compare/build';
import type { Comparison } from '../../sim/compare/constants';
import { divergentKeys } from '../../sim/compare/run';
import { Timeline } from '../../sim/timeline/timeline';
import type { World } from '../../sim/engine/types';

/** What a panel shows at the shared cursor, read from its world there. */
export interface PanelNow {
  tick: number;
  ok: number;
  fail: number;
  info: number;
  inFlight: number;
  crashed: string[];
  divergent: string[];
}

const INTERVAL = 20;
/** Main-thread work per frame, all panels together (the page stays responsive). */
const FRAME_BUDGET_MS = 10;

function readNow(w: Readonly<World>): PanelNow {
  let ok = 0;
  let fail = 0;
  let info = 0;
  for (const r of w.history) {
    if (r.outcome === 'ok') ok++;
    else if (r.outcome === 'fail') fail++;
    else if (r.outcome === 'info') info++;
  }
  return {
    tick: w.now,
    ok,
    fail,
    info,
    inFlight: w.net.inFlight.length,
    crashed: Object.keys(w.net.crashed).sort(),
    divergent: divergentKeys(w as World),
  };
}

/**
 * One engine Timeline per panel, all following one cursor. Each frame moves every panel a few
 * busy ticks towards it within a time budget (seeking back starts from a checkpoint, one
 * every 20 ticks), so scrubbing never blocks the page; a panel still on its way says so.
 */
export function usePanelClock(
  comparison: Comparison,
  cursor: number,
): { now: (PanelNow | null)[]; timelines: Timeline[] } {
  const timelines = useMemo(
    () => comparison.panels.map((p) => new Timeline(buildScenario(comparison, p), { interval: INTERVAL })),
    [comparison],
  );
  const [now, setNow] = useState<(PanelNow | null)[]>(() => comparison.panels.map(() => null));
  const target = useRef(cursor);
  target.current = cursor;

  useEffect(() => {
    let raf = 0;
    let alive = true;
    const shown = timelines.map(() => -2);
    const frame = (): void => {
      if (!alive) return;
      const start = performance.now();
      const t = target.current;
      let changed = false;
      for (let round = 0; round < 50 && performance.now() - start < FRAME_BUDGET_MS; round++) {
        let pending = false;
        timelines.forEach((tl) => {
          if (tl.tick === t || performance.now() - start >= FRAME_BUDGET_MS) return;
          if (tl.tick > t) tl.seek(Math.max(-1, Math.floor(t / INTERVAL) * INTERVAL));
          tl.forward(t, 2);
          pending ||= tl.tick !== t;
        });
        if (!pending) break;
      }
      const next = timelines.map((tl, i) => {
        if (tl.tick !== t) return null;
        if (shown[i] === t) return undefined;
        shown[i] = t;
        changed = true;
        return readNow(tl.current);
      });
      if (changed || next.some((x) => x === null)) {
        setNow((prev) =>
          next.map((x, i) =>
            x === undefined ? (prev[i] ?? null) : x === null ? (prev[i] ? { ...prev[i]!, tick: -1 } : null) : x,
          ),
        );
        for (let i = 0; i < next.length; i++) if (next[i] === null) shown[i] = -2;
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => {
      alive = false;
      cancelAnimationFrame(raf);
    };
  }, [timelines]);

  return { now, timelines };
}
