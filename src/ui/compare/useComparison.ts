import { useEffect, useRef, useState } from 'react';
import type { Comparison } from '../../sim/compare/constants';
import type { PanelResult } from '../../sim/compare/compare';
import { compareWorker, inProcessCompareWorker } from '../../state/compareJobs';
import type { FromWorker } from '../../state/protocol';
import type { WorkerPort } from '../../state/workerPort';

export interface CompareRun {
  /** The comparison this run is of: for one render after a change, `results` are the previous one's. */
  comparison: Comparison | null;
  status: 'running' | 'done' | 'cancelled' | 'error';
  /** Ticks of work done over all panels, and the total. */
  done: number;
  total: number;
  panel: string;
  results: PanelResult[];
  error: string | null;
  /** Wall time from start to the last panel, in ms (for the page and the bench). */
  elapsed: number | null;
}

/**
 * Runs a comparison in the comparison worker (state/compareJobs.ts): progress, each panel's
 * result as it is scored, Cancel. A new comparison or `rerun` starts over; leaving the view
 * ends the worker.
 */
const PROGRESS_EVERY_MS = 250;

export function useComparison(comparison: Comparison, runKey: number): [CompareRun, () => void] {
  const [run, setRun] = useState<CompareRun>({
    comparison: null,
    status: 'running',
    done: 0,
    total: 1,
    panel: '',
    results: [],
    error: null,
    elapsed: null,
  });
  const portRef = useRef<WorkerPort | null>(null);
  const idRef = useRef(0);

  useEffect(() => {
    const port = compareWorker() ?? inProcessCompareWorker();
    portRef.current = port;
    const id = ++idRef.current;
    const started = performance.now();
    let shownAt = -Infinity;
    setRun({
      comparison,
      status: 'running',
      done: 0,
      total: comparison.duration * comparison.panels.length,
      panel: comparison.panels[0]?.label ?? '',
      results: [],
      error: null,
      elapsed: null,
    });
    port.onmessage = (e: { data: FromWorker }) => {
      const m = e.data;
      if (!('id' in m) || m.id !== id) return;
      switch (m.type) {
        case 'compare-progress': {
          // Every progress render re-renders the whole view: a few a second show the bar moving.
          const t = performance.now();
          if (t - shownAt < PROGRESS_EVERY_MS) return;
          shownAt = t;
          setRun((r) => ({ ...r, done: m.done, total: m.total, panel: m.panel }));
          return;
        }
        case 'compare-panel':
          setRun((r) => ({ ...r, results: [...r.results.slice(0, m.index), m.result] }));
          return;
        case 'compare-done':
          setRun((r) => ({ ...r, status: 'done', done: r.total, elapsed: Math.round(performance.now() - started) }));
          performance.mark('statelab:compare-done');
          return;
        case 'compare-cancelled':
          setRun((r) => ({ ...r, status: 'cancelled' }));
          return;
        case 'error':
          setRun((r) => ({ ...r, status: 'error', error: m.message }));
          return;
      }
    };
    port.postMessage({ type: 'compare', id, comparison });
    return () => {
      port.terminate();
      portRef.current = null;
    };
  }, [comparison, runKey]);

  const cancel = (): void => portRef.current?.postMessage({ type: 'cancel', id: idRef.current });
  return [run, cancel];
}
