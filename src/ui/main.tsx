import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { LabContext } from './context';
import { ShareContext } from './ShareControls';
import type { ShareStore, Startup } from '../state/shareSession';
import { AUTOSAVE_KEY, PREVIOUS_KEY, hasShareLink, readFlags, readLessonLink } from '../state/shareKeys';
import { tabHasWork } from './recentWorkIdb';
import type { LessonLink, PageFlags } from '../state/shareKeys';
import { PageModeContext } from './lesson/pageMode';
import { openCompareLesson } from './lesson/compareLesson';
import { createLabStore } from '../state/store';
import type { LabStore } from '../state/store';
import { browserHost } from '../state/host';
import { registerServiceWorker } from './registerSw';
import { RECEIPT_PREFIX } from '../state/challengeIds';
import './styles.css';

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root');
const root = createRoot(rootEl);

const flags: PageFlags = readFlags(window.location.hash);
document.documentElement.classList.toggle('embedded', flags.embed);

function render(store: LabStore, share: ShareStore | null): void {
  root.render(
    <StrictMode>
      <ErrorBoundary area="StateLab" onUndo={() => store.getState().actions.undo()}>
        <PageModeContext.Provider value={flags}>
          <LabContext.Provider value={store}>
            <ShareContext.Provider value={share}>
              <App />
            </ShareContext.Provider>
          </LabContext.Provider>
        </PageModeContext.Provider>
      </ErrorBoundary>
    </StrictMode>,
  );
}

/** The link asked for a step the lesson does not have: what it opened instead, in words. */
function clampedStep(link: LessonLink, step: number, count: number): string | null {
  if (link.asked === null || link.asked === String(step + 1)) return null;
  return `This lesson has ${count} steps: the link's step “${link.asked.slice(0, 20)}” is not one of them, so it opened at step ${step + 1}.`;
}

/** Opens a built-in lesson at a step (`#lesson=<id>&step=<n>`), or says why it cannot. */
async function openLessonLink(store: LabStore, hash: string): Promise<void> {
  const link = readLessonLink(hash);
  if (!link) return;
  const { loadLesson } = await import('../state/lessons');
  const r = await loadLesson(link.lesson);
  const a = store.getState().actions;
  if (!r.ok) {
    a.notify('error', `This lesson link could not be opened. ${r.error}`);
    return;
  }
  if (r.kind === 'comparison') {
    // Several architectures on one clock: the Compare view opens it, once App listens.
    await firstScreen();
    const steps = r.comparison.lesson!.steps;
    const step = Math.min(link.step, steps.length - 1);
    openCompareLesson({ id: link.lesson, comparison: r.comparison, step });
    const clamped = clampedStep(link, step, steps.length);
    if (clamped) a.notify('info', clamped);
    return;
  }
  const steps = r.scenario.lesson!.steps;
  const step = Math.min(link.step, steps.length - 1);
  a.openScenario(r.scenario, steps[step]!.tick, `lesson:${link.lesson}`);
  const clamped = clampedStep(link, step, steps.length);
  if (clamped) a.notify('info', clamped);
}

/** This tab has work to resume, or an older StateLab left work in localStorage to move. */
function hasSavedWork(): boolean {
  if (flags.embed || flags.audience) return false;
  if (tabHasWork()) return true;
  try {
    return !!window.localStorage.getItem(AUTOSAVE_KEY) || !!window.localStorage.getItem(PREVIOUS_KEY);
  } catch {
    return false;
  }
}

/** Resolves when App has committed its first screen (the `statelab:interactive` mark). */
function firstScreen(): Promise<void> {
  const mark = 'statelab:interactive';
  return new Promise((resolve) => {
    if (performance.getEntriesByName(mark).length > 0) return resolve();
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(mark).length === 0) return;
      observer.disconnect();
      resolve();
    });
    observer.observe({ type: 'mark' });
  });
}

async function boot(): Promise<void> {
  // What the page opens with: a share link in the fragment, the autosaved work, or neither.
  // Only the first two need the decoder before the first screen; a newcomer's page renders
  // the default scenario at once and loads sharing after.
  const needsDecoder = hasShareLink(window.location.hash) || hasSavedWork();
  const early = needsDecoder ? await import('./shareSetup') : null;
  const prepared = early ? await early.browserShare(flags) : null;
  const startup: Startup = prepared
    ? prepared.startup
    : readLessonLink(window.location.hash)
      ? { kind: 'lesson', error: null }
      : { kind: 'none', error: null };
  // With neither, a scenario is already running when the page opens: the default one, playing.
  // A lesson link beside a share link: the share link is opened (and the page says so).
  const lessonLink = startup.kind === 'lesson';
  const receiptLink = window.location.hash.startsWith(RECEIPT_PREFIX);
  // The receipt's decoder and the challenges load only for a receipt link.
  const openReceipt = async (): Promise<void> => {
    if (!window.location.hash.startsWith(RECEIPT_PREFIX)) return;
    const { openReceiptLink } = await import('./challenge/receiptLink');
    await openReceiptLink(store, window.location.hash);
  };
  const store = createLabStore(browserHost(), { autoplay: startup.kind === 'none' && !lessonLink && !receiptLink });
  render(store, null);
  if (lessonLink) await openLessonLink(store, window.location.hash);
  if (receiptLink) await openReceipt();
  window.addEventListener('hashchange', () => {
    void openLessonLink(store, window.location.hash);
    void openReceipt();
  });

  // The decoder loads once the first screen is up (App marks it), not while React renders.
  let setup = early;
  if (!setup) {
    await firstScreen();
    setup = await import('./shareSetup');
  }
  const shareEnv = prepared?.env ?? (await setup.browserShare(flags)).env;
  const share = setup.connectShare(
    store,
    (scenario, tick, id) => store.getState().actions.openScenario(scenario, tick, id),
    shareEnv,
    startup,
  );
  render(store, share);
}

boot().catch((e: unknown) => {
  rootEl.textContent = `StateLab could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.`;
});

// Production builds keep a copy of the site for offline use (see registerSw.ts).
registerServiceWorker();
