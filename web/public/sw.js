/* global self, caches, fetch, URL */
/*
 * 党建云's service worker: keeps the app shell on the phone so that the member pages open, and a
 * sign-in can be made, where the connection is weak (a basement meeting room).
 * - The page registers it as /sw.js?v=<the build's entry file>, so a new build is a new worker with its
 *   own cache, and the old caches are deleted when it takes over.
 * - Pages (navigations) go to the network first and fall back to the cached index.html when it fails.
 * - Hashed files under /assets/ never change: from the cache first, fetched and kept when missing (the
 *   install keeps those index.html names; each page's chunks are kept when that page is first opened).
 * - /api is never touched: answers are personal and must be current (offline sign-ins are queued by
 *   the page and sent again, not served from here). Everything else goes to the network as usual.
 */
const VERSION = new URL(self.location.href).searchParams.get('v') ?? 'dev';
const CACHE = `dangjian-shell:${VERSION}`;
const SHELL = '/';

async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch(SHELL, { cache: 'no-cache' });
  if (!page.ok) throw new Error(`shell: ${page.status}`);
  const html = await page.clone().text();
  const shell = [...new Set(html.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [])];
  await cache.put(SHELL, page);
  // the pages themselves (lazily loaded chunks) are kept as they are first opened: a member's pages are
  // opened online before the meeting, and fetching all ~190 files on every install would cost each phone 3 MB
  await cache.addAll(shell);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('dangjian-shell:') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function networkFirstPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html')) {
      const copy = response.clone();
      void caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirstAsset(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    void caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

// the page that registered the worker loaded its files before the worker could see them: it names them here
self.addEventListener('message', (event) => {
  const files = Array.isArray(event.data?.keep) ? event.data.keep.filter((file) => typeof file === 'string' && /^\/assets\/[\w.-]+$/.test(file)) : [];
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const file of files) if (!(await cache.match(file))) await cache.add(file).catch(() => undefined);
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/api') return;
  if (request.mode === 'navigate') event.respondWith(networkFirstPage(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirstAsset(request));
});
