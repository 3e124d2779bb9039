/**
 * Registers the service worker (dist/sw.js, written by the Vite plugin in vite.config.ts)
 * in production builds only: it precaches the built site so it works offline after one
 * visit. Relative URL and scope, so it works from any sub-path. A failure (private mode, a
 * file:// page) only means no offline copy; the app runs the same.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = (): void => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      // No offline copy this time.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
