/* global self, caches, fetch, Response */
/**
 * StateLab's service worker (a template: the Vite plugin in vite.config.ts fills in the
 * build id and the list of emitted files, and writes it to dist/sw.js). It precaches the
 * whole built site on install and serves it cache-first, so after one visit the app works
 * offline. Paths are relative to the worker's own URL, so it works from any sub-path.
 */
const BUILD = '__STATELAB_BUILD__';
const PRECACHE = /* __STATELAB_PRECACHE__ */ [];
const CACHE = `statelab-${BUILD}`;
const scope = new URL('./', self.location.href);
const urls = PRECACHE.map((p) => new URL(p, scope).href);
const INDEX = new URL('./index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(urls))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('statelab-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin || !url.href.startsWith(scope.href)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(req, { ignoreSearch: true });
      if (hit) return hit;
      // A page inside the site (a share link opens index.html, or the bare directory).
      if (req.mode === 'navigate') {
        const page = await cache.match(INDEX);
        if (page) return page;
      }
      try {
        const res = await fetch(req);
        if (res.ok && res.type === 'basic') await cache.put(req, res.clone());
        return res;
      } catch {
        return new Response('StateLab is offline and this file was not saved for offline use.', {
          status: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
    })(),
  );
});
