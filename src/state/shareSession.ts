import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../sim/index';
import { verifyReplay } from '../sim/scenario/codec';
import { scenarioMenu } from './scenarios';
import { readLessonLink } from './shareKeys';
import { canonicalJson } from '../sim/core/hash';
import { createAutosaver, describeError, envelopeFor, isPristine, readLocation } from './share';
import type { Envelope, Mismatch } from './share';
import type { RecentWork } from './recentWork';

/**
 * The sharing session beside the lab store: what the page opened with (a link, this tab's
 * work from before a reload, or neither), the replay check of an opened link, and the
 * debounced autosave of every change into recent work (recentWork.ts). Opening anything (a
 * link, a file, a lesson, the menu, an entry of Recent work) starts a new entry there, so it
 * never replaces saved work, and needs no question.
 *
 * It drives the lab store only through its public state and one action, `open(scenario,
 * tick)`, so it is tested with a stand-in store.
 */

/** What the page starts with: decided before the lab store exists (it decides autoplay). */
export type Startup =
  | { kind: 'none'; error: string | null }
  /** This tab's work from before a reload (recent work's entry id). */
  | { kind: 'resume'; id: string; error: string | null }
  | { kind: 'link'; envelope: Envelope; notice: string | null }
  /** A lesson link (`#lesson=…`): the page opens the lesson, as a new entry of recent work. */
  | { kind: 'lesson'; error: string | null };

/**
 * The page's fragment and this tab's work → what to open. A share link opens (the tab's
 * work stays in recent work); a bad link is reported and the tab's work resumed; a reload
 * of the page's own address resumes the tab's work without a question.
 */
export function planStartup(hash: string, resume: string | null): Startup {
  const link = readLocation(hash);
  const lesson = readLessonLink(hash);
  if (link && link.ok) {
    // Both in one address: the share link wins (it names an exact run), and the page says so.
    const notice = lesson
      ? `This address holds a share link and a lesson link (“${lesson.lesson}”): the share link was opened. Open the lesson from Lessons.`
      : null;
    return { kind: 'link', envelope: link.envelope, notice };
  }
  if (lesson) {
    const error = link && !link.ok ? describeError(link.error, 'link') : null;
    return { kind: 'lesson', error };
  }
  const linkError =
    link && !link.ok
      ? `${describeError(link.error, 'link')}${resume ? ' Your work in this tab was restored instead.' : ''}`
      : null;
  if (resume) return { kind: 'resume', id: resume, error: linkError };
  return { kind: 'none', error: linkError };
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
    /** Bumped whenever the lab opens a different scenario (not on an edit of this one). */
    opened: number;
  };
  subscribe(
    listener: (state: ReturnType<LabLike['getState']>, prev: ReturnType<LabLike['getState']>) => void,
  ): () => void;
}

export interface ShareHostEnv {
  /** Where work is kept (null where the browser keeps nothing: then it says so). */
  recent: RecentWork | null;
  timers: { set(cb: () => void, ms: number): unknown; clear(handle: unknown): void };
  /** Removes the share link from the address bar (the autosave carries the work from now on). */
  clearLink(): void;
}

export interface ShareState {
  /** A link or file that could not be opened, or work that could not be restored. */
  error: string | null;
  /** Something to say that is not an error (which of two links was opened). */
  info: string | null;
  /** The opened link's replay differs from its recorded hash. */
  mismatch: Mismatch | null;
  /** Recent work (null where the browser keeps nothing). */
  recent: RecentWork | null;
  actions: {
    /** Opens an envelope (a link, or an imported file) and checks its replay. */
    openEnvelope(e: Envelope): void;
    /** A share link arrived in the fragment while the page was open (hashchange). */
    openHash(hash: string): void;
    /** Opens an entry of recent work in this tab. */
    openRecent(id: string): Promise<void>;
    dismissError(): void;
    dismissInfo(): void;
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
  const { recent } = env;
  /** An opened envelope whose replay hash is awaited: its tick, and the lab's rev after opening. */
  let verify: { envelope: Envelope; rev: number } | null = null;
  /** Envelopes not to save: the menu's default a new tab opens with is nobody's work yet. */
  const nobodys = new WeakSet<Envelope>();
  /**
   * An opened link leaves the address only once its entry is stored: saving is asynchronous,
   * and a reload before then must find the link, not lose it.
   */
  let clearOnSave = false;
  const saver = createAutosaver((e) => {
    if (nobodys.has(e) || !recent) return true;
    void recent.save(e).then((saved) => {
      if (saved && clearOnSave) {
        clearOnSave = false;
        env.clearLink();
      }
    });
    return true;
  }, env.timers);

  const store = createStore<ShareState>()(() => ({
    error: startup.kind === 'link' ? null : startup.error,
    info: startup.kind === 'link' ? startup.notice : null,
    mismatch: null,
    recent,
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

  /** Until this tab's own work is back (a reload), nothing is saved over it. */
  let paused = startup.kind === 'resume';
  const unsubscribe = lab.subscribe((s, prev) => {
    check();
    if (s.opened !== prev.opened) {
      // Another scenario is opening (the lab bumps `opened` before it switches): what was
      // pending is the old one's and goes to its entry; the new one gets an entry of its own.
      saver.flush();
      saver.forget();
      recent?.startNew();
      return;
    }
    if (paused) return;
    if (s.scenario !== prev.scenario || s.hash !== prev.hash) {
      // Taken now, not when the debounce ends: by then another scenario may be open.
      const e = cheapEnvelope();
      // Anything opened (a link, a file, the menu) is kept, even untouched: a reload brings it back.
      if (s.opened === 0 && isPristine(e.scenario)) nobodys.add(e);
      saver.schedule(() => e);
    }
  });

  async function openRecent(id: string, restoring: boolean): Promise<void> {
    if (!recent) return;
    const d = await recent.read(id);
    paused = false;
    if (!d) {
      if (!restoring) set({ error: 'That entry of Recent work is gone (deleted in another tab?).' });
      return;
    }
    if (!d.ok) {
      set({
        error: `${describeError(d.error, 'autosave')} It is kept as it is in Recent work (export it from there).`,
      });
      return;
    }
    set({ error: null });
    load(d.envelope, false);
    recent.claim(id, d.envelope);
  }

  const actions: ShareState['actions'] = {
    openEnvelope(e) {
      set({ error: null });
      load(e, true);
    },
    openHash(hash) {
      const d = readLocation(hash);
      if (!d) return;
      if (!d.ok) {
        set({ error: describeError(d.error, 'link') });
        env.clearLink();
        return;
      }
      set({ error: null });
      load(d.envelope, true);
      clearOnSave = true;
    },
    openRecent: (id) => openRecent(id, false),
    dismissError() {
      set({ error: null });
    },
    dismissInfo() {
      set({ info: null });
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

  if (!recent && startup.kind !== 'resume')
    set({ info: 'This browser keeps nothing for this page (private mode?): export your work to keep it.' });
  if (startup.kind === 'link') {
    load(startup.envelope, true);
    clearOnSave = true;
  } else if (startup.kind === 'resume') {
    void openRecent(startup.id, true);
    if (startup.error) env.clearLink();
  } else if (startup.kind === 'none') {
    // A broken link has been reported: a reload should not report it again.
    env.clearLink();
  }
  return store;
}
