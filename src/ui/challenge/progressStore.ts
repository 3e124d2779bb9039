import { useCallback, useSyncExternalStore } from 'react';
import { NO_PROGRESS, readProgress, type Progress } from '../../state/challenges';

/**
 * Challenge progress in localStorage: small, per browser, read by the ladder and the panel.
 * Other tabs' changes arrive by the storage event.
 */
const KEY = 'statelab-challenge-progress';
const listeners = new Set<() => void>();
let cache: Record<string, Progress> | null = null;

function all(): Record<string, Progress> {
  if (cache === null) {
    try {
      cache = readProgress(window.localStorage.getItem(KEY));
    } catch {
      cache = {};
    }
  }
  return cache;
}

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  const onStorage = (e: StorageEvent): void => {
    if (e.key !== KEY) return;
    cache = null;
    cb();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('storage', onStorage);
  };
}

export function saveProgress(id: string, p: Progress): void {
  cache = { ...all(), [id]: p };
  try {
    window.localStorage.setItem(KEY, JSON.stringify(cache));
  } catch {
    // Storage full or off: progress stays for this page's life, as before.
  }
  for (const l of listeners) l();
}

export function useAllProgress(): Record<string, Progress> {
  return useSyncExternalStore(subscribe, all, () => ({}));
}

export function useProgress(id: string): [Progress, (p: Progress) => void] {
  const p = useAllProgress()[id] ?? NO_PROGRESS;
  const set = useCallback((next: Progress) => saveProgress(id, next), [id]);
  return [p, set];
}
