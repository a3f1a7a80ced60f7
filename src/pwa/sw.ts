/// <reference lib="webworker" />
/**
 * DFW Lab's service worker: precaches the whole build so the app starts with the network
 * off, and answers the lab's REST API under /api/ by asking the tab that made the request
 * to run it on its lab. Kept small on purpose: no runtime caching, nothing else intercepted.
 */
import { apiAccess } from './api-access';
import { type ApiReply, API_REQUEST, API_STARTED_GRACE_MS, type ApiRequestMessage, apiWait, isApiStarted, textReply, timeoutReply } from './api-protocol';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

const CACHE = 'dfw-lab-precache';
const scope = new URL(self.registration.scope);

/** Cache key per precached URL: the revision makes a changed file a new entry. */
const keys = new Map<string, string>();
for (const { url, revision } of self.__WB_MANIFEST) {
  const abs = new URL(url, scope).href;
  keys.set(abs, revision ? `${abs}?__rev=${revision}` : abs);
}
const indexKey = keys.get(new URL('index.html', scope).href);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const have = new Set((await cache.keys()).map((r) => r.url));
      await Promise.all(
        [...keys].filter(([, key]) => !have.has(key)).map(async ([url, key]) => {
          const response = await fetch(url, { cache: 'reload' });
          if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
          await cache.put(key, response);
        }),
      );
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Drop what the previous version precached and this one does not use.
      const cache = await caches.open(CACHE);
      const wanted = new Set(keys.values());
      await Promise.all((await cache.keys()).filter((r) => !wanted.has(r.url)).map((r) => cache.delete(r)));
      await self.clients.claim(); // so /api/ works in the tab that installed us, without a reload
    })(),
  );
});

// "Update available — reload": workbox-window asks the waiting version to take over.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== scope.origin) return;
  if (url.pathname.startsWith(`${scope.pathname}api/`)) {
    event.respondWith(answerApi(event));
    return;
  }
  if (event.request.method !== 'GET') return;
  const key = event.request.mode === 'navigate' ? indexKey : keys.get(url.origin + url.pathname);
  if (key) event.respondWith(fromCache(key, event.request));
});

async function fromCache(key: string, request: Request): Promise<Response> {
  const hit = await caches.match(key, { cacheName: CACHE });
  return hit ?? fetch(request);
}

async function answerApi(event: FetchEvent): Promise<Response> {
  const request = event.request;
  const access = apiAccess({ method: request.method, mode: request.mode, header: (n) => request.headers.get(n), origin: scope.origin });
  if (!access.allowed) return toResponse(textReply(access.status, access.reason));
  // Only the tab that made the request, never another open window (see api-access.ts).
  const client = event.clientId ? await self.clients.get(event.clientId) : undefined;
  if (!client || client.type !== 'window') return toResponse(textReply(503, 'DFW Lab: no lab is open in the page that sent this request. Send it from a DFW Lab tab.\n'));
  const url = new URL(request.url);
  const wait = apiWait(request.headers.get('prefer'));
  const message: ApiRequestMessage = {
    type: API_REQUEST,
    request: {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text(),
    },
    deadline: Date.now() + wait.ms,
  };
  const channel = new MessageChannel();
  let started = false;
  const reply = new Promise<ApiReply>((resolve) => {
    const timer = setTimeout(() => resolve(timeoutReply(started)), wait.ms + API_STARTED_GRACE_MS);
    channel.port1.onmessage = (e: MessageEvent<unknown>) => {
      if (isApiStarted(e.data)) {
        started = true;
        return;
      }
      clearTimeout(timer);
      resolve(e.data as ApiReply);
    };
  });
  client.postMessage(message, [channel.port2]);
  return toResponse(await reply, wait.applied);
}

function toResponse(reply: ApiReply, preferenceApplied?: string): Response {
  const nullBody = reply.status === 204 || reply.status === 205 || reply.status === 304;
  const headers = new Headers(reply.headers);
  headers.set('x-dfw-lab', 'lab-api');
  if (preferenceApplied) headers.set('preference-applied', preferenceApplied);
  return new Response(nullBody ? null : reply.body, { status: reply.status, headers });
}
