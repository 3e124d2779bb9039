import type { Scenario } from '../sim/index';
import { memoryStorage } from '../state/share';
import type { KeyValueStorage } from '../state/share';
import { createShareStore, planStartup } from '../state/shareSession';
import type { LabLike, ShareHostEnv, ShareStore, Startup } from '../state/shareSession';

/**
 * The browser side of sharing: localStorage (or memory, where the browser refuses it), the
 * timers, the address bar, and the page events (a link pasted while the page is open, the
 * page being hidden: write the autosave now).
 */

function pageStorage(): KeyValueStorage {
  try {
    const s = window.localStorage;
    const probe = 'statelab-probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return memoryStorage();
  }
}

export function browserShareEnv(): ShareHostEnv {
  return {
    storage: pageStorage(),
    timers: { set: (cb, ms) => window.setTimeout(cb, ms), clear: (h) => window.clearTimeout(h as number) },
    clearLink: () => {
      if (!window.location.hash.startsWith('#s=')) return;
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    },
  };
}

/** What the page opens with, from its fragment and the autosave (decides the lab's autoplay). */
export function pageStartup(env: ShareHostEnv): Startup {
  return planStartup(window.location.hash, env.storage);
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
