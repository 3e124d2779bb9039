import type { WorkChannel, WorkDb, WorkMessage, WorkRecord } from '../state/recentWork';

/**
 * The browser side of recent work (src/state/recentWork.ts): IndexedDB for the entries, a
 * BroadcastChannel between tabs, and the tab's identity in sessionStorage (which a reload of
 * the tab keeps and another tab does not share). Thin on purpose: the logic is tested in Node.
 */

const DB_NAME = 'statelab';
const STORE = 'recent-work';
const CHANNEL = 'statelab-recent-work';
const TAB_KEY = 'statelab-tab';
const ENTRY_KEY = 'statelab-tab-entry';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB refused the request'));
  });
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
    r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

/** IndexedDB as a WorkDb, or null where the browser refuses it (some private modes). */
export async function idbWorkDb(): Promise<WorkDb | null> {
  let db: IDBDatabase;
  try {
    if (typeof indexedDB === 'undefined') return null;
    db = await openDb();
  } catch {
    return null;
  }
  const tx = (mode: IDBTransactionMode): IDBObjectStore => db.transaction(STORE, mode).objectStore(STORE);
  const done = (store: IDBObjectStore): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = store.transaction;
      t.oncomplete = () => resolve();
      // A full quota surfaces here, as a QuotaExceededError, which recentWork.ts handles.
      t.onerror = () => reject(t.error ?? new Error('IndexedDB refused the write'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB refused the write'));
    });
  return {
    all: () => request(tx('readonly').getAll() as IDBRequest<unknown[]>),
    async put(r: WorkRecord) {
      const s = tx('readwrite');
      s.put(r);
      await done(s);
    },
    async remove(id: string) {
      const s = tx('readwrite');
      s.delete(id);
      await done(s);
    },
    async estimate() {
      try {
        const e = await navigator.storage?.estimate?.();
        return e && typeof e.usage === 'number' && typeof e.quota === 'number'
          ? { usage: e.usage, quota: e.quota }
          : null;
      } catch {
        return null;
      }
    },
  };
}

export function broadcastWorkChannel(): WorkChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const ch = new BroadcastChannel(CHANNEL);
  return {
    post: (m) => ch.postMessage(m),
    listen(cb) {
      const on = (e: MessageEvent<WorkMessage>): void => {
        if (e.data && e.data.type === 'changed') cb(e.data);
      };
      ch.addEventListener('message', on);
      return () => ch.removeEventListener('message', on);
    },
  };
}

function session(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** This tab's id and the entry it last saved (both survive a reload of the tab, not a new tab). */
export function tabIdentity(): {
  tab: string;
  resume: string | null;
  remember(id: string | null): void;
  /** A new id for this tab (it was a copy of a live tab's: a duplicated tab). */
  renew(): string;
} {
  const s = session();
  let tab = s?.getItem(TAB_KEY) ?? null;
  if (!tab) {
    tab = crypto.randomUUID().slice(0, 8);
    try {
      s?.setItem(TAB_KEY, tab);
    } catch {
      // no session storage: the tab is new on every load, its work still kept
    }
  }
  const resume = s?.getItem(ENTRY_KEY) ?? null;
  return {
    tab,
    resume: resume && resume.startsWith(`${tab}:`) ? resume : null,
    renew() {
      const fresh = crypto.randomUUID().slice(0, 8);
      try {
        s?.setItem(TAB_KEY, fresh);
        s?.removeItem(ENTRY_KEY);
      } catch {
        // as below
      }
      return fresh;
    },
    remember(id) {
      try {
        if (id === null) s?.removeItem(ENTRY_KEY);
        else s?.setItem(ENTRY_KEY, id);
      } catch {
        // as above
      }
    },
  };
}

/** Whether this tab has work to resume, read before anything heavy loads (main.tsx). */
export function tabHasWork(): boolean {
  return !!session()?.getItem(ENTRY_KEY);
}
