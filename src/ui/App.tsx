import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react';
import { ActPanel, NoticeBar } from './ActPanel';
import { LessonSlot } from './lesson/LessonSlot';
import { ChallengeSlot } from './challenge/ChallengeSlot';
import { Diagram, DiagramLegend, DiagramText } from './Diagram';
import { ArchDiagramHost } from './arch/ArchPanels';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { HelpDialog } from './HelpDialog';
import { InspectPanel } from './InspectPanel';
import { ShareNotices } from './ShareControls';
import { TimelineBar } from './TimelineBar';
import { useLab, useLabStore, useMediaQuery } from './context';
import { SPEEDS } from '../playback/machine';
import { COMPARE_FRAGMENT } from '../sim/compare/limits';
import { loadCompareView } from './compare/load';
import { COMPARE_LESSON_EVENT, type CompareLesson } from './lesson/compareLesson';
import { SHOW_SPACETIME_EVENT } from '../state/challengeIds';
import { isPressable, keepsKey, spaceIsPlay } from './keys';

// The Compare view (and the checker it runs in its own worker) loads only when opened.
const CompareView = lazy(loadCompareView);

/** Loaded on first use: the first page's budget does not pay for it (see bench/app.ts). */
const SpaceTimeView = lazy(() => import('./spacetime/SpaceTimeView'));

type Tab = 'act' | 'inspect' | 'timeline';
const TABS: { id: Tab; label: string }[] = [
  { id: 'act', label: 'Act' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'timeline', label: 'Timeline' },
];

const THEME_KEY = 'statelab-theme';

function readTheme(): 'light' | 'dark' | null {
  try {
    const t = localStorage.getItem(THEME_KEY);
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null;
  }
}

/** Space, arrows (Ctrl: one tick), Home/End, [ ], Ctrl+Z and ? — except where a control needs the key itself. */
function useShortcuts(openHelp: () => void, helpOpen: boolean, off = false): void {
  const store = useLabStore();
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if (off || helpOpen || e.defaultPrevented || e.altKey || e.metaKey) return;
      const target = e.target instanceof Element ? e.target : null;
      const s = store.getState();
      if (keepsKey(target, e.key) && !(e.key === 'Escape' && s.seek)) return;
      const a = s.actions;
      if (e.ctrlKey) {
        if (e.key === 'z' || e.key === 'Z') {
          e.preventDefault();
          a.undo();
        } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
          // The same keys as Step and Step back, one tick at a time, busy or not.
          e.preventDefault();
          a.seekTo(s.cursor + (e.key === 'ArrowRight' ? 1 : -1));
        }
        return;
      }
      const onTab = target?.getAttribute('role') === 'tab';
      switch (e.key) {
        case 'Escape':
          if (s.seek) {
            e.preventDefault();
            a.cancelSeek();
          }
          return;
        case '?':
          e.preventDefault();
          openHelp();
          return;
        case ' ':
          if (!spaceIsPlay(target)) return;
          e.preventDefault();
          a.toggle();
          return;
        case 'ArrowRight':
          if (onTab) return;
          e.preventDefault();
          if (e.shiftKey) a.seekTo(s.cursor + 10);
          else a.step();
          return;
        case 'ArrowLeft':
          if (onTab) return;
          e.preventDefault();
          if (e.shiftKey) a.seekTo(s.cursor - 10);
          else a.stepBack();
          return;
        case 'Home':
          e.preventDefault();
          a.toStart();
          return;
        case 'End':
          e.preventDefault();
          a.toEnd();
          return;
        case '[':
        case ']': {
          const i = SPEEDS.findIndex((x) => x >= s.speed);
          const j = Math.max(
            0,
            Math.min(SPEEDS.length - 1, (i < 0 ? SPEEDS.length - 1 : i) + (e.key === ']' ? 1 : -1)),
          );
          a.setSpeed(SPEEDS[j]!);
          return;
        }
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, openHelp, helpOpen, off]);
}

/**
 * After an act (or an undo) done from a button, focus goes to the diagram, where Space plays
 * and pauses: left on "Crash store" (or Write, or Undo) the teacher's next Space would do it
 * again. What it did is said in the notice bar's live region. Keys typed in a field keep
 * their focus: Enter in the key field writes, and the field is where the next key goes.
 */
function useFocusAfterAct(): void {
  const store = useLabStore();
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.acted === prev.acted) return;
        const el = document.activeElement;
        if (!isPressable(el) || el.closest('dialog')) return;
        document.getElementById('main-diagram')?.focus({ preventScroll: true });
      }),
    [store],
  );
}

function useTheme(): [boolean, () => void] {
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)');
  const [theme, setTheme] = useState<'light' | 'dark' | null>(readTheme);
  const dark = theme ? theme === 'dark' : systemDark;
  useEffect(() => {
    document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  }, [dark]);
  const toggle = (): void => {
    const next = dark ? 'light' : 'dark';
    setTheme(next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  };
  return [dark, toggle];
}

function PhoneTabs({ tab, setTab }: { tab: Tab; setTab: (t: Tab) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  // In a lesson, the first tab holds the narration above the Act panel.
  const lesson = useLab((s) => s.scenario.lesson !== undefined);
  function onKey(e: ReactKeyboardEvent, i: number): void {
    const k = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!k) return;
    e.preventDefault();
    const j = (i + k + TABS.length) % TABS.length;
    setTab(TABS[j]!.id);
    refs.current[j]?.focus();
  }
  return (
    <div role="tablist" aria-label="Panels" className="phone-tabs">
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={tab === t.id ? 0 : -1}
          onClick={() => setTab(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.id === 'act' && lesson ? 'Lesson' : t.label}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const [help, setHelp] = useState(false);
  const [dark, toggleTheme] = useTheme();
  const phone = useMediaQuery('(max-width: 760px)');
  const [tab, setTab] = useState<Tab>('act');
  const [spacetime, setSpacetime] = useState(false);
  const actions = useLab((s) => s.actions);
  const openHelp = useRef(() => setHelp(true)).current;
  // A comparison link (#c=…) opens the Compare view; its fragment is read once, here.
  const [compare, setCompare] = useState<{ link: string | null; lesson?: CompareLesson } | null>(() =>
    typeof window !== 'undefined' && window.location.hash.startsWith(COMPARE_FRAGMENT)
      ? { link: window.location.hash }
      : null,
  );
  useShortcuts(openHelp, help, compare !== null);
  useFocusAfterAct();
  // The lab does not play behind the Compare view (a comparison link opens straight into it).
  const comparing = compare !== null;
  useEffect(() => {
    if (comparing) actions.pause();
  }, [comparing, actions]);
  const openCompare = (): void => setCompare({ link: null });
  const closeCompare = (): void => {
    if (
      window.location.hash.startsWith(COMPARE_FRAGMENT) ||
      (compare?.lesson && window.location.hash.startsWith('#lesson='))
    )
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    setCompare(null);
  };
  // A lesson that is a comparison opens here (before the first screen's mark: main.tsx waits for it).
  useEffect(() => {
    const on = (e: Event): void => {
      const lesson = (e as CustomEvent<CompareLesson | null>).detail;
      if (!lesson && window.location.hash.startsWith('#lesson='))
        window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      setCompare(lesson ? { link: null, lesson } : null);
    };
    window.addEventListener(COMPARE_LESSON_EVENT, on);
    return () => window.removeEventListener(COMPARE_LESSON_EVENT, on);
  }, []);
  // A challenge's grade asks to show its witness: the space-time diagram, at the witness's tick.
  useEffect(() => {
    const on = (): void => setSpacetime(true);
    window.addEventListener(SHOW_SPACETIME_EVENT, on);
    return () => window.removeEventListener(SHOW_SPACETIME_EVENT, on);
  }, []);
  useEffect(() => {
    // The first committed screen with working controls: what `npm run bench` times.
    performance.mark('statelab:interactive');
  }, []);

  const region = (id: Tab, node: ReactNode, area: string) =>
    phone ? (
      <div
        role="tabpanel"
        id={`panel-${id}`}
        aria-labelledby={`tab-${id}`}
        hidden={tab !== id}
        className={`region region-${id}`}
      >
        <ErrorBoundary area={area} onUndo={() => actions.undo()}>
          {node}
        </ErrorBoundary>
      </div>
    ) : (
      <div className={`region region-${id}`}>
        <ErrorBoundary area={area} onUndo={() => actions.undo()}>
          {node}
        </ErrorBoundary>
      </div>
    );

  return (
    <div className={`app${phone ? ' is-phone' : ''}`}>
      <a className="skip" href="#main-diagram">
        Skip to the diagram
      </a>
      <Header
        onHelp={() => setHelp(true)}
        dark={dark}
        onTheme={toggleTheme}
        compareOpen={compare !== null}
        onCompare={openCompare}
        onCloseCompare={closeCompare}
        {...(compare?.lesson ? { playing: compare.lesson.comparison.name } : {})}
      />
      <div className="share-notices">
        <ShareNotices />
      </div>
      {compare !== null ? (
        <Suspense fallback={<p className="hint">Loading the comparison…</p>}>
          <ErrorBoundary area="the comparison" onUndo={closeCompare}>
            <CompareView onClose={closeCompare} link={compare.link} lesson={compare.lesson ?? null} />
          </ErrorBoundary>
        </Suspense>
      ) : (
        <main className="stage">
          <div className="region region-diagram" id="main-diagram" tabIndex={-1}>
            <ErrorBoundary area="the diagram" onUndo={() => actions.undo()}>
              <h2 className="sr-only">Diagram</h2>
              <Diagram />
              <button
                type="button"
                className="st-toggle"
                aria-pressed={spacetime}
                onClick={() => setSpacetime(!spacetime)}
              >
                Space-time
              </button>
              {spacetime ? (
                // In the architecture pane's place, under the topology: the same room on a projector.
                <div className="arch-pane st-pane">
                  <Suspense
                    fallback={
                      <p className="hint" role="status">
                        Loading the space-time diagram…
                      </p>
                    }
                  >
                    <SpaceTimeView />
                  </Suspense>
                </div>
              ) : (
                <ArchDiagramHost
                  foot={
                    <div className="diagram-foot">
                      <DiagramLegend />
                      <DiagramText />
                    </div>
                  }
                />
              )}
            </ErrorBoundary>
          </div>
          <NoticeBar />
          {region(
            'act',
            <>
              <LessonSlot />
              <ChallengeSlot />
              <ActPanel />
            </>,
            'the Act panel',
          )}
          {region('inspect', <InspectPanel />, 'the Inspect panel')}
          {region('timeline', <TimelineBar />, 'the timeline')}
          {phone && <PhoneTabs tab={tab} setTab={setTab} />}
        </main>
      )}
      <HelpDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
