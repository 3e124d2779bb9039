import type { Scenario } from '../sim/index';
import { AUTOSAVE_KEY, PREVIOUS_KEY } from '../state/shareKeys';
import { createRecentWork, packRaw } from '../state/recentWork';
import type { RecentWork } from '../state/recentWork';
import { createShareStore, planStartup } from '../state/shareSession';
import type { LabLike, ShareHostEnv, ShareStore, Startup } from '../state/shareSession';
import type { PageFlags } from '../state/shareKeys';
import { hasShareLink } from '../state/shareKeys';
import { broadcastWorkChannel, idbWorkDb, tabIdentity } from './recentWorkIdb';

/**
 * The browser side of sharing: recent work in IndexedDB (with a BroadcastChannel between
 * tabs), the timers, the address bar, and the page events (a link pasted while the page is
 * open, the page being hidden: write the autosave now).
 */

/**
 * Work an older StateLab kept in localStorage (one autosave slot and one "previous work")
 * moves into recent work once, as it is, readable or not; the slots are cleared only after
 * the move succeeded. Returns the id of the old autosave's entry, to resume it.
 */
async function moveOldSlots(
  recent: RecentWork,
  put: (id: string, text: string, name: string, arch: string) => Promise<void>,
): Promise<string | null> {
  let store: Storage;
  try {
    store = window.localStorage;
  } catch {
    return null;
  }
  let resume: string | null = null;
  for (const [key, id] of [
    [AUTOSAVE_KEY, 'earlier:autosave'],
    [PREVIOUS_KEY, 'earlier:previous'],
  ] as const) {
    const text = store.getItem(key);
    if (!text) continue;
    let name = key === AUTOSAVE_KEY ? 'Saved work' : 'Previous work';
    let arch = '';
    try {
      const v = JSON.parse(text) as { scenario?: { name?: unknown; architecture?: { kind?: unknown } } };
      if (typeof v.scenario?.name === 'string') name = v.scenario.name.slice(0, 120);
      if (typeof v.scenario?.architecture?.kind === 'string') arch = v.scenario.architecture.kind.slice(0, 40);
    } catch {
      // kept as it is all the same
    }
    try {
      await put(id, text, name, arch);
      store.removeItem(key);
      if (key === AUTOSAVE_KEY) resume = id;
    } catch {
      // the slot stays where it was
    }
  }
  await recent.refresh();
  return resume;
}

export interface BrowserShare {
  env: ShareHostEnv;
  startup: Startup;
}

/** What the page opens with (decides the lab's autoplay), and where its work is kept. */
export async function browserShare(flags: PageFlags): Promise<BrowserShare> {
  const db = await idbWorkDb();
  const id = tabIdentity();
  const follower = flags.embed || flags.audience;
  const recent = db
    ? createRecentWork({
        db,
        channel: broadcastWorkChannel(),
        tab: id.tab,
        remember: id.remember,
        now: () => Date.now(),
        follower,
        nonce: crypto.randomUUID(),
        newTab: id.renew,
      })
    : null;
  let resume = id.resume;
  if (recent && db && !follower) {
    const moved = await moveOldSlots(recent, (entryId, text, name, arch) =>
      db.put({ id: entryId, tab: 'earlier', name, arch, savedAt: Date.now(), data: packRaw(text) }),
    );
    resume ??= moved;
  } else if (recent) await recent.refresh();
  const env: ShareHostEnv = {
    recent,
    timers: { set: (cb, ms) => window.setTimeout(cb, ms), clear: (h) => window.clearTimeout(h as number) },
    clearLink: () => {
      // An embed keeps its link: "Open in StateLab" opens what it shows from the address.
      if (flags.embed || !hasShareLink(window.location.hash)) return;
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    },
  };
  // A follower shows what it is given; it never resumes (or saves) work of its own.
  return { env, startup: planStartup(window.location.hash, follower ? null : resume) };
}

export function connectShare(
  lab: LabLike,
  open: (scenario: Scenario, tick: number, scenarioId: string) => void,
  env: ShareHostEnv,
  startup: Startup,
): ShareStore {
  const share = createShareStore(lab, open, env, startup);
  window.addEventListener('hashchange', () => share.getState().actions.openHash(window.location.hash));
  window.addEventListener('pagehide', () => share.getState().actions.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') share.getState().actions.flush();
  });
  return share;
}
