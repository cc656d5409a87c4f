{% autoescape off %}// Hamdeli's service worker, rendered by hamdeli/offline.py (the static names below are the hashed ones).
// Owner pages: network first, the last copy when offline. Static files: from the phone first. Nothing else.
"use strict";
const STATIC = "static-{{ version }}", PAGES = "owner-pages";
const PRECACHE = {{ precache }}, PREFIXES = {{ owner_prefixes }}, HOME = {{ home }};
const STATIC_PREFIX = {{ static_prefix }}, LOGIN = {{ login }}, LOGOUT = {{ logout }}, ALLOW = {{ copy_header }};
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

const ownerPage = (url) => url.pathname === HOME || PREFIXES.some((p) => url.pathname.startsWith(p));

async function keep(request, response) {
  // Only pages the server marked as the owner's own (a coordinator's never are), with the time of the copy.
  if (!response.ok || response.type !== "basic" || !response.headers.get(ALLOW)) return;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length"); // the body is stored decoded and, offline, served with a line added
  headers.delete("Content-Encoding");
  headers.set("X-Saved-At", new Date().toISOString());
  const body = await response.clone().arrayBuffer();
  await (await caches.open(PAGES)).put(request.url, new Response(body, { status: 200, headers }));
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    await keep(request, response);
    return response;
  } catch (error) {
    const copy = await caches.match(request.url, { cacheName: PAGES, ignoreVary: true });
    if (!copy) throw error;
    // The page script reads this attribute and says "you are offline; this is the copy from …".
    const html = (await copy.text()).replace("<main", `<main data-offline-copy="${copy.headers.get("X-Saved-At")}"`);
    return new Response(html, { headers: copy.headers });
  }
}

async function staticFile(request) {
  const url = new URL(request.url);
  if (HASHED.test(url.pathname)) {
    const hit = await caches.match(request, { cacheName: STATIC });
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(STATIC)).put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await caches.match(request, { cacheName: STATIC });
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("install", (event) => {
  // One by one: a file missing from the list must not stop the worker from installing.
  event.waitUntil(caches.open(STATIC).then((cache) => Promise.all(PRECACHE.map((u) => cache.add(u).catch(() => null))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== STATIC && name !== PAGES) await caches.delete(name);
    await self.clients.claim();
    // The page that installed the worker loaded before it: keep a copy of it now, so it opens offline too.
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      if (ownerPage(new URL(client.url))) await fetch(client.url).then((r) => keep(new Request(client.url), r), () => null);
    }
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("fetch", (event) => {
  const request = event.request, url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === LOGIN || url.pathname === LOGOUT) {
    // Logged out, or asked to log in: the copies belong to whoever was here before.
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith(STATIC_PREFIX)) event.respondWith(staticFile(request));
  else if (request.mode === "navigate" && ownerPage(url)) event.respondWith(networkFirst(request));
});
{% endautoescape %}
