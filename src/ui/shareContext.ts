import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ShareState, ShareStore } from '../state/shareSession';

/**
 * The sharing session (src/state/shareSession.ts), handed down beside the lab store. It is
 * null until the session has loaded: a newcomer's page renders first and loads the link
 * decoder (and its schema validator) after, so the share tools appear a moment later.
 */
export const ShareContext = createContext<ShareStore | null>(null);

function useShareStore(): ShareStore {
  const s = useContext(ShareContext);
  if (!s) throw new Error('ShareContext is missing: render inside <ShareContext.Provider>');
  return s;
}

export function useShare<T>(selector: (s: ShareState) => T): T {
  return useStore(useShareStore(), selector);
}
