import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { canonicalJson, hashValue } from '../sim/core/hash';
import { inflateCapped } from '../sim/scenario/codec';
import { decodeEnvelopeText, describeError, envelopeJson } from './share';
import type { Decoded, Envelope } from './share';

/**
 * Recent work: every scenario a tab worked on, kept in the browser (IndexedDB in the page,
 * `WorkDb`), one entry per tab and scenario, compressed. Nothing is ever overwritten by
 * anything but its own tab's later saves of the same work:
 *
 * - a tab writes only entries it made (ids `<tab>:<n>`); a new scenario (a link, a file, a
 *   lesson, the menu) starts a new entry, so opening something never replaces saved work;
 * - what cannot be read (a newer format, a damaged record) is listed as it is, with why, and
 *   never replaced: it can still be exported or deleted by hand;
 * - when the storage is full, the oldest entries of other work go first, the newest is kept,
 *   and the page says which went;
 * - windows that only follow (the audience window, an embed) never save;
 * - tabs tell each other of every change (`WorkChannel`, a BroadcastChannel in the page).
 *
 * The storage and the channel are interfaces, so all of this runs in Node tests over fakes.
 */

/** A stored record. `data` is the raw DEFLATE of the envelope's JSON. */
export interface WorkRecord {
  id: string;
  tab: string;
  name: string;
  arch: string;
  savedAt: number;
  /** The scenario's hash (its canonical JSON), to find the same work again. */
  key?: string;
  data: Uint8Array;
}

/** The browser's storage, as this module needs it (IndexedDB in the page, a Map in tests). */
export interface WorkDb {
  /** Every record, as stored (read defensively: another version may have written it). */
  all(): Promise<unknown[]>;
  /** Rejects when the storage refuses it (full: a QuotaExceededError). */
  put(r: WorkRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** How much is used and allowed, if the browser says (navigator.storage.estimate). */
  estimate(): Promise<{ usage: number; quota: number } | null>;
}

export type WorkMessage =
  | { type: 'changed'; from: string }
  /**
   * A tab starting says its id; a live tab with the same id (a browser's "Duplicate tab"
   * copies sessionStorage, id included) answers `taken`, and the newcomer takes a new id.
   */
  | { type: 'hello'; from: string; nonce: string }
  | { type: 'taken'; from: string; nonce: string };

/** Other tabs of the same site (a BroadcastChannel in the page). */
export interface WorkChannel {
  post(m: WorkMessage): void;
  listen(cb: (m: WorkMessage) => void): () => void;
}

/** An entry as the list shows it. `problem`: why it cannot be opened (kept all the same). */
export interface WorkEntry {
  id: string;
  tab: string;
  name: string;
  arch: string;
  savedAt: number;
  /** The tick it was saved at (null when it cannot be read). */
  tick: number | null;
  bytes: number;
  key: string | null;
  problem: string | null;
}

/** Work saved in this browser may be larger than a link (a link's cap is 2,000,000). */
export const LOCAL_WORK_CHARS = 32_000_000;

/** Text kept as it is (work an older version saved), compressed like an envelope. */
export function packRaw(text: string): Uint8Array {
  return deflateSync(strToU8(text), { level: 6 });
}

/** The record's compressed envelope. */
export function packEnvelope(e: Envelope): Uint8Array {
  return deflateSync(strToU8(envelopeJson(e)), { level: 6 });
}

function isRecordShape(v: unknown): v is WorkRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['id'] === 'string' &&
    typeof r['tab'] === 'string' &&
    typeof r['name'] === 'string' &&
    typeof r['arch'] === 'string' &&
    typeof r['savedAt'] === 'number' &&
    r['data'] instanceof Uint8Array
  );
}

/** A record's envelope, or why it cannot be read. */
export function unpackRecord(r: WorkRecord): Decoded {
  const bytes = inflateCapped(r.data, LOCAL_WORK_CHARS * 3);
  if (typeof bytes === 'string')
    return {
      ok: false,
      error: { stage: 'inflate', message: 'its compressed data does not unpack (damaged)', details: [] },
    };
  return decodeEnvelopeText(strFromU8(bytes), LOCAL_WORK_CHARS);
}

function summarize(raw: unknown, index: number): { entry: WorkEntry; record: WorkRecord | null } {
  if (!isRecordShape(raw)) {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : `unreadable-${index}`;
    return {
      entry: {
        id,
        tab: '',
        name: 'Unreadable entry',
        arch: '',
        savedAt: 0,
        tick: null,
        bytes: 0,
        key: null,
        problem: 'it was stored in a shape this version does not know',
      },
      record: null,
    };
  }
  const d = unpackRecord(raw);
  return {
    entry: {
      id: raw.id,
      tab: raw.tab,
      name: raw.name,
      arch: raw.arch,
      savedAt: raw.savedAt,
      tick: d.ok ? d.envelope.tick : null,
      bytes: raw.data.length,
      key: typeof raw.key === 'string' ? raw.key : null,
      problem: d.ok ? null : describeError(d.error, 'autosave').replace(/^The saved work could not be restored: /, ''),
    },
    record: raw,
  };
}

export interface RecentWorkEnv {
  db: WorkDb;
  channel: WorkChannel | null;
  /** This tab's id (kept across reloads of the tab: sessionStorage in the page). */
  tab: string;
  /** Remembers the tab's current entry across reloads. */
  remember(id: string | null): void;
  /** Wall-clock time, for "saved at" (injected: tests run without a clock). */
  now(): number;
  /** A window that only follows another (audience, embed): it never saves. */
  follower: boolean;
  /** Unique to this page load (the `hello` handshake). */
  nonce?: string;
  /** A new tab id, when this one turns out to be another live tab's (a duplicated tab). */
  newTab?(): string;
}

export interface RecentWorkState {
  entries: WorkEntry[];
  /** This tab's entry: the one its saves go to (null until it saves something). */
  current: string | null;
  /** What went wrong with the storage (full, refused), said in the page. */
  problem: string | null;
  /** The last entry deleted, for Undo. */
  deleted: { entry: WorkEntry; raw: unknown } | null;
  loaded: boolean;
}

export interface RecentWork {
  /** This tab's id: its entries' ids start with it. */
  readonly tab: string;
  store: StoreApi<RecentWorkState>;
  /** Reads the list again (on start, and when another tab says it changed). */
  refresh(): Promise<void>;
  /** Saves what this tab is working on, into its current entry (a new one if none). */
  /** Resolves true once it is stored (false: refused, skipped, or a follower's). */
  save(e: Envelope): Promise<boolean>;
  /** The next save starts a new entry: a different scenario was opened in this tab. */
  startNew(): void;
  /** An entry's envelope, or why it cannot be read (null: no such entry). */
  read(id: string): Promise<Decoded | null>;
  /**
   * The entry was opened in this tab: its own entry takes the tab's next saves; another
   * tab's is copied into a new entry of this tab once it changes, never written.
   */
  claim(id: string, e: Envelope): void;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  /** Every entry, readable or not, as one JSON file's text. */
  exportAll(): Promise<string>;
  dispose(): void;
}

function isQuotaError(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    ((e as { name?: unknown }).name === 'QuotaExceededError' || (e as { name?: unknown }).name === 'QuotaExceeded')
  );
}

export function createRecentWork(env: RecentWorkEnv): RecentWork {
  const { db } = env;
  const store = createStore<RecentWorkState>()(() => ({
    entries: [],
    // Not `env.resume`: that entry is claimed once it has been read (claim), never before,
    // so an entry this version cannot read is never saved over.
    current: null,
    problem: null,
    deleted: null,
    loaded: false,
  }));
  const set = store.setState;
  const get = store.getState;
  let seq = 0;
  /** The scenario (canonical JSON) last saved or opened here: an unchanged one is not saved again. */
  let lastScenario: string | null = null;
  let raws: unknown[] = [];
  /** Saves run one after another, so two never race to create the same entry. */
  let chain: Promise<void> = Promise.resolve();

  let tab = env.tab;
  const nonce = env.nonce ?? `${env.now()}`;
  const tell = (): void => env.channel?.post({ type: 'changed', from: tab });

  async function refresh(): Promise<void> {
    raws = await db.all();
    const entries = raws.map((r, i) => summarize(r, i).entry).sort((a, b) => b.savedAt - a.savedAt);
    set({ entries, loaded: true });
  }

  const unlisten = env.channel?.listen((m) => {
    if (m.type === 'hello') {
      if (m.from === tab && m.nonce !== nonce) env.channel?.post({ type: 'taken', from: tab, nonce: m.nonce });
      return;
    }
    if (m.type === 'taken') {
      if (m.from !== tab || m.nonce !== nonce || !env.newTab) return;
      // This tab is a copy of a live one: from now on its work is its own, under a new id;
      // what it shows stays unsaved until it changes (the original keeps that entry).
      tab = env.newTab();
      set({ current: null });
      env.remember(null);
      return;
    }
    if (m.from !== tab) void refresh();
  });
  env.channel?.post({ type: 'hello', from: tab, nonce });

  /**
   * Frees room by deleting the oldest entry that is not the one being saved; returns its
   * name. Never one that cannot be read: that is kept as it is, whatever the room.
   */
  async function evictOldest(keep: string): Promise<string[] | null> {
    const victims = get()
      .entries.filter((e) => e.id !== keep && e.problem === null)
      .sort((a, b) => a.savedAt - b.savedAt);
    const first = victims[0];
    if (!first) return null;
    await db.remove(first.id);
    return [first.name];
  }

  async function write(e: Envelope, id: string, savedAt: number, key: string): Promise<boolean> {
    const record: WorkRecord = {
      id,
      tab,
      name: e.scenario.name,
      arch: e.scenario.architecture.kind,
      savedAt,
      key,
      data: packEnvelope(e),
    };
    const removed: string[] = [];
    // The quota check: ask first where the browser says how much is left.
    const est = await db.estimate().catch(() => null);
    if (est && est.usage + record.data.length > est.quota) {
      const names = await evictOldest(id);
      if (names) removed.push(...names);
    }
    for (;;) {
      try {
        await db.put(record);
        break;
      } catch (err) {
        if (!isQuotaError(err)) {
          set({ problem: `Your work could not be saved in this browser (${String(err)}). Export it to keep it.` });
          return false;
        }
        await refresh();
        const names = await evictOldest(id);
        if (!names) {
          set({ problem: 'The browser’s storage is full: this work could not be saved. Export it to keep it.' });
          return false;
        }
        removed.push(...names);
      }
    }
    // A failure to save is over once a save succeeds; what was removed stays said.
    const before = get().problem;
    set({
      problem:
        removed.length > 0
          ? `The browser’s storage is full: the oldest saved work (${removed.map((n) => `“${n}”`).join(', ')}) was removed to keep your newest.`
          : before !== null && before.includes('could not be saved')
            ? null
            : before,
    });
    await refresh();
    tell();
    return true;
  }

  return {
    get tab() {
      return tab;
    },
    store,
    refresh,
    save(e) {
      if (env.follower) return Promise.resolve(false);
      const scen = canonicalJson(e.scenario);
      // What was just opened from here, unchanged, is already kept where it came from.
      if (get().current === null && scen === lastScenario) return Promise.resolve(false);
      // The entry is chosen now, not when the write runs: a scenario opened meanwhile
      // (startNew) must not send this save into the next entry. The time makes ids unique
      // across reloads of the tab.
      let id = get().current;
      const savedAt = env.now();
      const key = hashValue(scen).slice(0, 16);
      // The same scenario opened again in this tab (a reload of a lesson link) is the same work.
      if (id === null) id = get().entries.find((x) => x.tab === tab && x.key === key)?.id ?? null;
      if (id === null) {
        id = `${tab}:${savedAt.toString(36)}-${(++seq).toString(36)}`;
        set({ current: id });
        env.remember(id);
      }
      lastScenario = scen;
      const target = id;
      if (get().current !== id) {
        set({ current: id });
        env.remember(id);
      }
      const done = chain.then(() => write(e, target, savedAt, key)).catch(() => false);
      chain = done.then(() => undefined);
      return done;
    },
    startNew() {
      set({ current: null });
      lastScenario = null;
      env.remember(null);
    },
    async read(id) {
      await chain;
      if (!get().loaded) await refresh();
      const raw = raws.find((r) => isRecordShape(r) && r.id === id);
      if (!raw || !isRecordShape(raw)) return null;
      return unpackRecord(raw);
    },
    claim(id, e) {
      // Its own tab goes on saving into it; any other tab makes a copy once it changes.
      const own = id.startsWith(`${tab}:`);
      set({ current: own ? id : null });
      env.remember(own ? id : null);
      lastScenario = canonicalJson(e.scenario);
    },
    async remove(id) {
      await chain;
      const idx = raws.findIndex((r) => summarize(r, 0).entry.id === id);
      const raw = raws[idx];
      const entry = get().entries.find((e) => e.id === id);
      if (raw === undefined || !entry) return;
      await db.remove(id);
      if (get().current === id) {
        set({ current: null });
        env.remember(null);
      }
      set({ deleted: { entry, raw } });
      await refresh();
      tell();
    },
    async undoRemove() {
      const d = get().deleted;
      if (!d) return;
      await db.put(d.raw as WorkRecord);
      set({ deleted: null });
      await refresh();
      tell();
    },
    async exportAll() {
      await chain;
      const out = raws.map((r, i) => {
        const { entry } = summarize(r, i);
        const base = { id: entry.id, name: entry.name, architecture: entry.arch, savedAt: entry.savedAt };
        if (!isRecordShape(r)) return { ...base, unreadable: entry.problem, raw: String(JSON.stringify(r) ?? '') };
        const d = unpackRecord(r);
        if (d.ok) return { ...base, envelope: d.envelope };
        const bytes = inflateCapped(r.data, LOCAL_WORK_CHARS * 3);
        return { ...base, unreadable: entry.problem, raw: typeof bytes === 'string' ? null : strFromU8(bytes) };
      });
      return `${JSON.stringify({ format: 'statelab-recent-work', entries: out }, null, 2)}\n`;
    },
    dispose() {
      unlisten?.();
    },
  };
}

/** An in-memory WorkDb (tests; browsers without IndexedDB). `quota`: bytes of data it holds. */
export function memoryWorkDb(
  quota = Infinity,
): WorkDb & { records: Map<string, unknown>; setQuota(bytes: number): void } {
  const records = new Map<string, unknown>();
  const used = (): number => {
    let n = 0;
    for (const r of records.values()) n += isRecordShape(r) ? r.data.length : 0;
    return n;
  };
  return {
    records,
    setQuota(bytes) {
      quota = bytes;
    },
    all: () => Promise.resolve([...records.values()]),
    put(r) {
      const before = records.get(r.id);
      const size = used() - (isRecordShape(before) ? before.data.length : 0) + r.data.length;
      if (size > quota) {
        const e = new Error('the quota has been exceeded');
        e.name = 'QuotaExceededError';
        return Promise.reject(e);
      }
      records.set(r.id, r);
      return Promise.resolve();
    },
    remove(id) {
      records.delete(id);
      return Promise.resolve();
    },
    estimate: () => Promise.resolve(null),
  };
}

/** Channels between fake tabs in one process (tests). */
export function memoryChannels(): () => WorkChannel {
  const listeners = new Set<(m: WorkMessage) => void>();
  return () => {
    const mine = new Set<(m: WorkMessage) => void>();
    return {
      post: (m) => {
        for (const l of listeners) if (!mine.has(l)) l(m);
      },
      listen(cb) {
        listeners.add(cb);
        mine.add(cb);
        return () => {
          listeners.delete(cb);
          mine.delete(cb);
        };
      },
    };
  };
}
