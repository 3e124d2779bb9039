import { lazy, Suspense, useContext } from 'react';
import { ShareContext } from './shareContext';

export { ShareContext };

const ShareTools = lazy(() => import('./ShareTools').then((m) => ({ default: m.ShareTools })));
const ShareNoticesInner = lazy(() => import('./ShareTools').then((m) => ({ default: m.ShareNoticesInner })));

/** The header's share tools; nothing until a sharing session is provided. */
export function ShareControls() {
  return useContext(ShareContext) ? (
    <Suspense fallback={null}>
      <ShareTools />
    </Suspense>
  ) : null;
}

/** Notices of the sharing session; nothing until one is provided. */
export function ShareNotices() {
  return useContext(ShareContext) ? (
    <Suspense fallback={null}>
      <ShareNoticesInner />
    </Suspense>
  ) : null;
}
