/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The door scanner's service worker (scope /staff/, registered by /staff/scan only;
// ADR-0009). It keeps the app shell on the phone so the scanner reloads and scans with no
// network: the built code (including the QR reader's .wasm) and the scanner page itself.
// The ticket manifest lives in IndexedDB (the page keeps it); nothing else is touched:
// every other request, the API included, goes to the network as usual.
import { version } from "$app/env";
import { assets, immutable } from "$app/manifest";

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `sipario-door-${version}`;
/** Pages kept for offline reloads: network first, the last good copy when there is none. */
const PAGES = new Set(["/staff/scan", "/staff/scan/__data.json", "/theme.css"]);
// Manifest paths are relative to the base path (ours is the root): made absolute here.
const absolute = (path: string) => (path.startsWith("/") ? path : `/${path}`);
const STATIC = assets.map((f) => absolute(f.path)).filter((f) => f.startsWith("/staff-") || f === "/favicon.svg");
const ASSETS = new Set([...immutable.map((f) => absolute(f.path)), ...STATIC]);

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...ASSETS]);
      // The page that registered us was loaded before we existed: keep a copy now.
      for (const page of ["/staff/scan", "/theme.css"]) await refreshPage(cache, page).catch(() => undefined);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith("sipario-door-") && key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

/** Fetches a page with the staff cookie and keeps it if it is the page itself (not a redirect to sign-in). */
async function refreshPage(cache: Cache, key: string, request: Request | string = key): Promise<Response> {
  const response = await fetch(request, typeof request === "string" ? { credentials: "same-origin", cache: "no-store" } : undefined);
  if (response.ok && !response.redirected) await cache.put(key, response.clone());
  return response;
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;

  if (ASSETS.has(url.pathname)) {
    // Hashed, immutable files: the cached copy is the right one.
    event.respondWith((async () => (await caches.match(url.pathname, { cacheName: CACHE })) ?? fetch(request))());
    return;
  }
  if (PAGES.has(url.pathname)) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          return await refreshPage(cache, url.pathname, request);
        } catch {
          const cached = await cache.match(url.pathname);
          if (cached) return cached;
          throw new Error("offline and not cached");
        }
      })(),
    );
  }
});
