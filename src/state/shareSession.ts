import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../sim/index';
import { verifyReplay } from '../sim/scenario/codec';
import { scenarioMenu } from './scenarios';
import { readLessonLink } from './shareKeys';
import { canonicalJson } from '../sim/core/hash';
import {
  createAutosaver,
  describeError,
  envelopeFor,
  keepAsPrevious,
  linkDecision,
  readAutosave,
  readLocation,
  readPrevious,
  restorePrevious,
} from './share';
import type { Envelope, KeyValueStorage, Mismatch } from './share';

/**
 * The sharing session beside the lab store: what the page opened with (a link, the
 * autosave, or neither), the replay check of an opened link, the question asked when a link
 * would replace different unsaved work, "previous work", and the debounced autosave.
 *
 * It drives the lab store only through its public state and one action, `open(scenario,
 * tick)`, so it is tested with a stand-in store.
 */

/** What the page starts with: decided before the lab store exists (it decides autoplay). */
export type Startup =
  | { kind: 'none'; error: string | null }
  | { kind: 'restore'; envelope: Envelope; error: string | null }
  | { kind: 'link'; envelope: Envelope }
  | { kind: 'ask'; link: Envelope; saved: Envelope }
  /** A lesson link (`#lesson=…`): the page opens the lesson; saved work becomes "previous work". */
  | { kind: 'lesson'; error: string | null };

/**
 * The page's fragment and the autosave → what to open. A bad link is reported and the
 * autosave (if any) restored: work in progress is never overwritten by a broken link.
 */
export function planStartup(hash: string, storage: KeyValueStorage): Startup {
  if (readLessonLink(hash)) {
    // The lesson replaces the page's scenario; the saved work stays restorable, never lost.
    const saved = readAutosave(storage);
    return { kind: 'lesson', error: saved && !saved.ok ? describeError(saved.error, 'autosave') : null };
  }
  const link = readLocation(hash);
  const saved = readAutosave(storage);
  const savedError = saved && !saved.ok ? describeError(saved.error, 'autosave') : null;
  if (link && link.ok) {
    if (linkDecision(link.envelope, saved) === 'ask' && saved?.ok)
      return { kind: 'ask', link: link.envelope, saved: saved.envelope };
    return { kind: 'link', envelope: link.envelope };
  }
  const linkError =
    link && !link.ok
      ? `${describeError(link.error, 'link')}${saved?.ok ? ' Your saved work was restored instead.' : ''}`
      : null;
  const error = [linkError, savedError].filter(Boolean).join(' ') || null;
  if (saved?.ok) return { kind: 'restore', envelope: saved.envelope, error };
  return { kind: 'none', error };
}

/** The menu id of a scenario exactly as the menu makes it, or 'custom'. */
export function menuIdOf(scenario: Scenario): string {
  const c = canonicalJson(scenario);
  return scenarioMenu.find((e) => canonicalJson(e.make()) === c)?.id ?? 'custom';
}

/** The part of the lab store the session reads. */
export interface LabLike {
  getState(): {
    scenario: Scenario;
    cursor: number;
    rev: number;
    hash: { tick: number; rev: number; hash: string } | null;
  };
  subscribe(
    listener: (state: ReturnType<LabLike['getState']>, prev: ReturnType<LabLike['getState']>) => void,
  ): () => void;
}

export interface ShareHostEnv {
  storage: KeyValueStorage;
  timers: { set(cb: () => void, ms: number): unknown; clear(handle: unknown): void };
  /** Removes the share link from the address bar (the autosave carries the work from now on). */
  clearLink(): void;
}

export interface ShareState {
  /** A link or file that could not be opened, or an autosave that could not be restored. */
  error: string | null;
  /** The opened link's replay differs from its recorded hash. */
  mismatch: Mismatch | null;
  /** Waiting for the user: the link would replace different unsaved work. */
  conflict: { link: Envelope; saved: Envelope } | null;
  /** The name of restorable "previous work", or null. */
  previous: string | null;
  actions: {
    /** Opens an envelope (a link, or an imported file) and checks its replay. */
    openEnvelope(e: Envelope): void;
    /** A share link arrived in the fragment while the page was open (hashchange). */
    openHash(hash: string): void;
    resolveConflict(choice: 'open-link' | 'keep-working'): void;
    restorePrevious(): void;
    dismissError(): void;
    dismissMismatch(): void;
    /** The envelope of what is on screen (for links and export). */
    current(): Envelope;
    /** Writes the autosave now (pagehide). */
    flush(): void;
    dispose(): void;
  };
}

export type ShareStore = StoreApi<ShareState>;

export function createShareStore(
  lab: LabLike,
  open: (scenario: Scenario, tick: number, scenarioId: string) => void,
  env: ShareHostEnv,
  startup: Startup,
): ShareStore {
  const { storage } = env;
  /** An opened envelope whose replay hash is awaited: its tick, and the lab's rev after opening. */
  let verify: { envelope: Envelope; rev: number } | null = null;
  const saver = createAutosaver(storage, env.timers);

  const previousName = (): string | null => {
    const p = readPrevious(storage);
    return p?.ok ? p.envelope.scenario.name : null;
  };

  const store = createStore<ShareState>()(() => ({
    error: startup.kind === 'none' || startup.kind === 'restore' || startup.kind === 'lesson' ? startup.error : null,
    mismatch: null,
    conflict: startup.kind === 'ask' ? { link: startup.link, saved: startup.saved } : null,
    previous: previousName(),
    actions: null as unknown as ShareState['actions'],
  }));
  const set = store.setState;

  function check(): void {
    if (!verify) return;
    const s = lab.getState();
    if (s.rev !== verify.rev) {
      // Changed before its hash came back: nothing left to compare.
      verify = null;
      return;
    }
    const h = s.hash;
    if (!h || h.rev !== verify.rev || h.tick !== verify.envelope.tick) return;
    const v = verifyReplay(verify.envelope, h.hash);
    verify = null;
    set({ mismatch: v.mismatch });
  }

  function load(e: Envelope, checkReplay: boolean): void {
    open(e.scenario, e.tick, menuIdOf(e.scenario));
    verify = checkReplay ? { envelope: e, rev: lab.getState().rev } : null;
    set({ mismatch: null });
    check();
  }

  /** The envelope of the lab's state, from hashes the lab already computed (never a long replay). */
  function current(): Envelope {
    const s = lab.getState();
    if (s.hash && s.hash.rev === s.rev && s.hash.tick === s.cursor)
      return envelopeFor(s.scenario, s.cursor, s.hash.hash);
    return envelopeFor(s.scenario, s.cursor);
  }

  /** For the autosave: the latest tick whose hash is known (or tick 0, which costs nothing). */
  function cheapEnvelope(): Envelope {
    const s = lab.getState();
    if (s.hash && s.hash.rev === s.rev) return envelopeFor(s.scenario, s.hash.tick, s.hash.hash);
    return envelopeFor(s.scenario, 0);
  }

  let paused = startup.kind === 'ask';
  const unsubscribe = lab.subscribe((s, prev) => {
    check();
    if (paused) return;
    if (s.scenario !== prev.scenario || s.hash !== prev.hash) saver.schedule(cheapEnvelope);
  });

  const actions: ShareState['actions'] = {
    openEnvelope(e) {
      set({ error: null });
      load(e, true);
      saver.schedule(cheapEnvelope);
    },
    openHash(hash) {
      const d = readLocation(hash);
      if (!d) return;
      if (!d.ok) {
        set({ error: describeError(d.error, 'link') });
        env.clearLink();
        return;
      }
      saver.flush();
      const work = current();
      if (linkDecision(d.envelope, { ok: true, envelope: work, mismatch: null, migratedFrom: null }) === 'ask') {
        paused = true;
        set({ conflict: { link: d.envelope, saved: work } });
        return;
      }
      set({ error: null });
      load(d.envelope, true);
      env.clearLink();
    },
    resolveConflict(choice) {
      const c = store.getState().conflict;
      if (!c) return;
      set({ conflict: null });
      paused = false;
      if (choice === 'open-link') {
        keepAsPrevious(storage);
        set({ previous: c.saved.scenario.name });
        load(c.link, true);
      } else {
        load(c.saved, false);
      }
      env.clearLink();
      saver.schedule(cheapEnvelope);
    },
    restorePrevious() {
      saver.flush();
      const d = restorePrevious(storage);
      if (!d) return;
      if (!d.ok) {
        set({ error: describeError(d.error, 'autosave') });
        return;
      }
      load(d.envelope, false);
      set({ previous: previousName(), error: null });
    },
    dismissError() {
      set({ error: null });
    },
    dismissMismatch() {
      set({ mismatch: null });
    },
    current,
    flush() {
      if (!paused) saver.flush();
    },
    dispose() {
      saver.cancel();
      unsubscribe();
    },
  };
  set({ actions });

  if (startup.kind === 'link') {
    load(startup.envelope, true);
    env.clearLink();
  } else if (startup.kind === 'lesson') {
    // The lesson's scenario will be autosaved over the saved work: keep that as "previous work".
    if (readAutosave(storage)?.ok && keepAsPrevious(storage)) set({ previous: previousName() });
  } else {
    if (startup.kind === 'restore') load(startup.envelope, false);
    // A broken link has been reported: a reload should not report it again.
    if (startup.kind !== 'ask') env.clearLink();
  }
  return store;
}
