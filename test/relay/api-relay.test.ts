/**
 * The server half of the terminal's API (scripts/server/api-relay.ts) with real sockets: an
 * HTTP server on localhost, tabs played by `ws` clients, requests sent with Node's fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiRelay } from '../../scripts/server/api-relay';
import { RELAY_PATH, type RelayRequest, type TabState } from '../../src/pwa/relay-protocol';

let server: Server;
let relay: ApiRelay;
const sockets: WebSocket[] = [];

async function start(timeoutMs?: number, graceMs?: number): Promise<string> {
  relay = new ApiRelay(timeoutMs, graceMs);
  server = createServer((req, res) => relay.middleware(req, res, () => res.writeHead(404).end('not api')));
  relay.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  relay.close();
  await new Promise((r) => server.close(r));
});

/** A tab: connects from `origin`, announces its state, answers each request with `answer` (the socket, to say it started). */
async function tab(base: string, state: TabState, answer?: (r: RelayRequest, ws: WebSocket) => unknown, origin = base): Promise<WebSocket> {
  const ws = new WebSocket(base.replace('http', 'ws') + RELAY_PATH, { origin });
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as RelayRequest;
    const reply = answer?.(m, ws);
    if (reply) ws.send(JSON.stringify({ type: 'reply', id: m.id, reply }));
  });
  ws.send(JSON.stringify({ type: 'state', state }));
  await new Promise((r) => setTimeout(r, 50)); // the server reads the state before the next request
  return ws;
}

/** Opens one more relay socket and returns the Set-Cookie of its handshake. */
function sessionCookie(base: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace('http', 'ws') + RELAY_PATH, { origin: base });
    sockets.push(ws);
    ws.once('upgrade', (res) => resolve(String(res.headers['set-cookie']?.[0] ?? '')));
    ws.once('error', reject);
  });
}

describe('the API relay', () => {
  it('answers 503 in NSX error shape when no tab is open', async () => {
    const base = await start();
    const res = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toMatch(/^<error><details>No DFW Lab tab is open/);
    expect(body).toContain('<errorCode>');
  });

  it('says why a connected tab cannot answer: still starting, or locked by another tab', async () => {
    const base = await start();
    await tab(base, 'starting');
    expect(await (await fetch(`${base}/api/x`)).text()).toMatch(/still starting/);
    await tab(base, 'locked');
    const res = await fetch(`${base}/api/x`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/locked by another tab/);
  });

  it('relays method, path, headers and body to the ready tab and returns its answer', async () => {
    const base = await start();
    const seen: RelayRequest[] = [];
    await tab(base, 'locked');
    await tab(base, 'ready', (m) => {
      seen.push(m);
      return { status: 201, headers: { 'Content-Type': 'application/xml', Location: '/api/x/7' }, body: '<ok/>' };
    });
    const res = await fetch(`${base}//api/4.0/firewall/globalroot-0/config/layer3sections?x=1`, {
      method: 'POST',
      headers: { Authorization: 'Basic YWRtaW46ZGVmYXVsdA==', 'Content-Type': 'application/xml', 'If-Match': '42' },
      body: '<section name="a"/>',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/x/7');
    expect(await res.text()).toBe('<ok/>');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request).toMatchObject({ method: 'POST', path: '//api/4.0/firewall/globalroot-0/config/layer3sections?x=1', body: '<section name="a"/>' });
    expect(seen[0]!.request.headers).toMatchObject({ authorization: 'Basic YWRtaW46ZGVmYXVsdA==', 'if-match': '42' });
    expect(seen[0]!.request.headers).not.toHaveProperty('host');
    expect(seen[0]!.fromPage).toBe(false);
  });

  it("treats requests with the session cookie set on a page's relay socket as the page's own, nothing else", async () => {
    const base = await start();
    const seen: RelayRequest[] = [];
    await tab(base, 'ready', (m) => (seen.push(m), { status: 200, headers: {}, body: '' }));
    const cookie = (await sessionCookie(base)).split(';')[0]!;
    expect(cookie).toMatch(/^dfw-lab-session=[0-9a-f-]{36}$/);
    await fetch(`${base}/api/x`, { headers: { Cookie: cookie } });
    await fetch(`${base}/api/x`, { headers: { Cookie: 'dfw-lab-session=made-up', 'Sec-Fetch-Site': 'same-origin' } });
    await fetch(`${base}/api/x`);
    expect(seen.map((m) => m.fromPage)).toEqual([true, false, false]);
    expect(seen[0]!.request.headers).not.toHaveProperty('cookie'); // the session stays between page and server
  });

  it('gives a 204 no body and leaves other paths to the next handler', async () => {
    const base = await start();
    await tab(base, 'ready', () => ({ status: 204, headers: {}, body: '' }));
    const res = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await (await fetch(`${base}/index.html`)).text()).toBe('not api');
  });

  it('refuses a relay socket from another origin, and API calls for a non-local Host', async () => {
    const base = await start();
    await expect(tab(base, 'ready', undefined, 'http://evil.example')).rejects.toThrow(/403/);
    expect((await fetch(`${base}/api/x`)).status).toBe(503); // no tab got in
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(`${base}/api/x`, { headers: { Host: 'rebound.example:4173' } }, (res) => resolve(res.statusCode!));
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers 504 "not run" when the tab does not start the request in time, 503 when it closes mid-request', async () => {
    const base = await start(300, 50);
    await tab(base, 'ready');
    const late = await fetch(`${base}/api/x`);
    expect(late.status).toBe(504);
    expect(late.headers.get('x-dfw-lab-request')).toBe('not-run');
    expect(late.headers.get('preference-applied')).toBeNull();
    expect(await late.text()).toMatch(/not run and nothing changed/);
    const ws = sockets[0]!;
    const pending = fetch(`${base}/api/y`);
    await new Promise((r) => setTimeout(r, 50));
    ws.close();
    const closed = await pending;
    expect(closed.status).toBe(503);
  });

  it("honours curl's -H 'Prefer: wait=N' (RFC 7240) as the service worker does: the wait, the deadline it gives the tab, Preference-Applied", async () => {
    const base = await start(30_000, 50);
    const deadlines: number[] = [];
    // The tab answers a request unless its path says otherwise: /silent never, /started says it started and never answers.
    await tab(base, 'ready', (m, ws) => {
      deadlines.push(m.deadline! - Date.now());
      if (m.request.path === '/api/started') ws.send(JSON.stringify({ type: 'started', id: m.id }));
      return m.request.path === '/api/ok' ? { status: 200, headers: { etag: '7' }, body: '<ok/>' } : undefined;
    });
    const ok = await fetch(`${base}/api/ok`, { headers: { prefer: 'wait=7' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('preference-applied')).toBe('wait=7');
    expect(ok.headers.get('etag')).toBe('7');
    expect(deadlines[0]).toBeGreaterThan(6_000);
    expect(deadlines[0]).toBeLessThanOrEqual(7_000);

    const sent = Date.now();
    const silent = await fetch(`${base}/api/silent`, { headers: { prefer: 'respond-async, wait=1' } });
    expect(Date.now() - sent).toBeLessThan(10_000); // not the relay's 30 s
    expect(silent.status).toBe(504);
    expect(silent.headers.get('preference-applied')).toBe('wait=1');
    const started = await fetch(`${base}/api/started`, { headers: { Prefer: 'wait=1' } });
    expect(started.status).toBe(202);
    expect(started.headers.get('x-dfw-lab-request')).toBe('still-running');
    expect(started.headers.get('preference-applied')).toBe('wait=1');

    // Without a preference (or one that is not a number of seconds): the relay's own wait, nothing applied.
    const plain = await fetch(`${base}/api/ok`, { headers: { prefer: 'wait=soon' } });
    expect(plain.headers.get('preference-applied')).toBeNull();
    expect(deadlines.at(-1)).toBeGreaterThan(29_000);
  });
});
