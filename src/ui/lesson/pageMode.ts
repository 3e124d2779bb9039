import { createContext, useContext } from 'react';
import type { PageFlags } from '../../state/shareKeys';

/** The page's flags (embed, present, audience), read once from the address at boot. */
export const PageModeContext = createContext<PageFlags>({ embed: false, present: false, audience: false });

export function usePageMode(): PageFlags {
  return useContext(PageModeContext);
}
