import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from '../state/store';

/** The one store, handed down by context so tests and the harness can pass their own. */
export const LabContext = createContext<LabStore | null>(null);

export function useLabStore(): LabStore {
  const s = useContext(LabContext);
  if (!s) throw new Error('LabContext is missing: render inside <LabContext.Provider>');
  return s;
}

/** Reads a slice of the store; pick stable references (a field, not a new object). */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabStore(), selector);
}

// One MediaQueryList per query: getSnapshot runs on every render, and while playing that is
// every frame; matchMedia() each time showed up in profiles.
const queries = new Map<string, MediaQueryList>();
function mediaQuery(query: string): MediaQueryList {
  let m = queries.get(query);
  if (!m) {
    m = window.matchMedia(query);
    queries.set(query, m);
  }
  return m;
}

export function useMediaQuery(query: string): boolean {
  const subscribe = (cb: () => void): (() => void) => {
    const m = mediaQuery(query);
    m.addEventListener('change', cb);
    return () => m.removeEventListener('change', cb);
  };
  return useSyncExternalStore(
    subscribe,
    () => mediaQuery(query).matches,
    () => false,
  );
}

/** The page's theme as App sets it (`data-theme` on the root), for what draws outside CSS. */
export function useDocumentTheme(): string {
  const subscribe = (cb: () => void): (() => void) => {
    const mo = new MutationObserver(cb);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  };
  return useSyncExternalStore(
    subscribe,
    () => document.documentElement.dataset['theme'] ?? '',
    () => '',
  );
}

export function useReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}

/** The element's content size, kept current with a ResizeObserver. */
export function useElementSize<T extends HTMLElement>(): [(el: T | null) => void, { width: number; height: number }] {
  const [el, setEl] = useState<T | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!el) return;
    const measure = (): void => {
      const r = el.getBoundingClientRect();
      setSize((s) =>
        Math.abs(s.width - r.width) < 1 && Math.abs(s.height - r.height) < 1
          ? s
          : { width: Math.round(r.width), height: Math.round(r.height) },
      );
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, size];
}
