// Nagarik's service worker. Pages: network first, the cached copy when offline, else /offline.
// Hashed assets under /pkg: cache first (their names change with their content).
const CACHE = 'nagarik-__VERSION__';
// A signed-in citizen's own pages, kept apart and emptied at sign-out (x-offline-copy: personal);
// pages staff are shown are never kept (none).
const PERSONAL = 'nagarik-personal';
// The verification page and what it checks with offline: the city's keys and the revoked numbers.
const VERIFY_DATA = ['/.well-known/jwks.json', '/api/v1/certificates/revoked'];
const PRECACHE = ['/', '/offline', '/verify', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png']
  .concat(VERIFY_DATA, __ASSETS__);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nagarik-') && k !== CACHE && k !== PERSONAL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The offline outbox: a grievance filed without a connection is kept in IndexedDB (it survives
// the app being closed) and sent when the connection returns. Each filing carries an idempotency
// key that the server enforces, so a send that is repeated, or whose answer was lost, lands once.
const OUTBOX_PATHS = ['/api/grievances/file'];

function outboxDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('nagarik', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('outbox', { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function outbox(mode, work) {
  const db = await outboxDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('outbox', mode);
    const result = work(tx.objectStore('outbox'));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

async function tellPages(message) {
  const pages = await self.clients.matchAll({ includeUncontrolled: true });
  pages.forEach((p) => p.postMessage(message));
}

let flushing = null;
// Sends what waits, oldest first; stops at the first failure of the network and tries again later.
function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    const waiting = (await outbox('readonly', (s) => s.getAll())) || [];
    waiting.sort((a, b) => a.at - b.at);
    for (const item of waiting) {
      let res;
      try {
        res = await fetch(item.url, {
          method: 'POST', body: item.body, credentials: 'same-origin',
          headers: { 'Content-Type': item.type, 'Accept': 'application/json' },
        });
      } catch (e) { break; }
      // 401: signed out meanwhile; 409: someone else is signed in now. Either way it waits until
      // the person who filed it signs in again. Other answers are final.
      if (res.status === 401 || res.status === 409) continue;
      await outbox('readwrite', (s) => s.delete(item.key));
      await tellPages({ type: 'outbox-sent', key: item.key, status: res.status });
    }
  })().finally(() => { flushing = null; });
  return flushing;
}

self.addEventListener('sync', (event) => { if (event.tag === 'outbox') event.waitUntil(flush()); });
self.addEventListener('message', (event) => { if (event.data === 'flush') event.waitUntil(flush()); });

// Web push from the notification outbox: {title, body, url}, already in the person's language.
self.addEventListener('push', (event) => {
  let notice = { title: 'Nagarik', body: '', url: '/' };
  try { notice = Object.assign(notice, event.data ? event.data.json() : {}); } catch (_) {
    if (event.data) notice.body = event.data.text();
  }
  event.waitUntil(self.registration.showNotification(notice.title, {
    body: notice.body, icon: '/icons/icon-192.png', badge: '/icons/icon-192.png',
    tag: notice.url, renotify: true, data: { url: notice.url },
  }));
});

// A tap opens the page the notice is about, in an open window of the app if there is one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((open) => {
    for (const c of open) { if ('navigate' in c) return c.navigate(url.href).then((w) => w && w.focus()); }
    return self.clients.openWindow(url.href);
  }));
});

// Application drafts a page kept on the phone while offline (encrypted; see the apply page).
function forgetDrafts() {
  return new Promise((done) => {
    const r = indexedDB.deleteDatabase('nagarik-drafts');
    r.onsuccess = r.onerror = r.onblocked = () => done();
  });
}

function keepForLater(req, url) {
  return (async () => {
    const copy = req.clone();
    try {
      return await fetch(req);
    } catch (e) {
      // The filing goes as it was (multipart, photos included), under the key it carries.
      const type = copy.headers.get('Content-Type') || 'application/x-www-form-urlencoded';
      const body = await copy.blob();
      const fields = await new Response(body, { headers: { 'Content-Type': type } }).formData();
      const key = fields.get('form[idempotency_key]') || crypto.randomUUID();
      await outbox('readwrite', (s) => s.put({
        key, url: url.pathname, body, type, at: Date.now(),
        description: fields.get('form[description]') || '',
        // whose it is: the page lists only the signed-in person's own (a shared phone)
        filer: fields.get('form[filer]') || '',
      }));
      try { await self.registration.sync.register('outbox'); } catch (e) { /* flushed on the next visit */ }
      return new Response(JSON.stringify({ Queued: key }), { status: 202, headers: { 'Content-Type': 'application/json' } });
    }
  })();
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method === 'POST' && url.origin === location.origin && OUTBOX_PATHS.includes(url.pathname)) {
    event.respondWith(keepForLater(req, url));
    return;
  }
  // Signing out (or ending this session from the account page) empties the personal pages.
  if (req.method === 'POST' && url.origin === location.origin
      && (url.pathname === '/api/identity/sign_out' || url.pathname === '/api/identity/revoke_session')) {
    // and the application drafts kept on the phone while it was offline
    event.waitUntil(Promise.all([caches.delete(PERSONAL), forgetDrafts()]));
    return;
  }
  if (req.method !== 'GET') return;
  if (url.origin === location.origin && VERIFY_DATA.includes(url.pathname)) {
    // network first (past the browser's own cache, so a new key is seen at once), kept for
    // checking offline
    event.respondWith(
      fetch(req.url, { cache: 'no-cache' }).then((res) => {
        if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(url.pathname, copy)); }
        return res;
      }).catch(() => caches.match(url.pathname))
    );
    return;
  }
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/dev/')) return;
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
        return res;
      }))
    );
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req).then((res) => {
        const keep = res.headers.get('x-offline-copy') || 'public';
        if (keep === 'public') { caches.delete(PERSONAL); forgetDrafts(); } // nobody is signed in (any more)
        if (res.ok && keep !== 'none') {
          const copy = res.clone();
          caches.open(keep === 'personal' ? PERSONAL : CACHE).then((c) => c.put(req, copy));
        }
        return res;
      }).catch(() => caches.match(req, { ignoreSearch: url.pathname === '/verify' })
        .then((hit) => hit || caches.match('/offline')))
    );
  }
});
