/**
 * The server side of the relay: `/api/` requests to `npm start`'s server go over a WebSocket to
 * the tab that has the lab open, which answers them. Tabs connect from the app's own origin
 * only; with no tab that can answer, the caller gets a 503 in NSX's error shape saying why.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RestRequest } from '../../workers/lab/lab-api';
import { API_STARTED_GRACE_MS, apiWait, timeoutReply, withPreferenceApplied, type ApiReply } from '../../src/pwa/api-protocol.ts';
import { nsxError } from '../../src/pwa/nsx-error.ts';
import { isRelayMessage, RELAY_PATH, type RelayRequest, type TabState } from '../../src/pwa/relay-protocol.ts';
import { isApiPath, isLocalHost, notLocalReply, readRestRequest, tooLargeReply, writeRestResponse } from './http-api.ts';

interface Pending {
  resolve(reply: ApiReply): void;
  tab: WebSocket;
  timer: ReturnType<typeof setTimeout>;
  /** The tab said it started the request (before its deadline): it may yet apply. */
  started: boolean;
}

export const RELAY_TIMEOUT_MS = 30_000;

/** The page's session: set on its relay socket, sent back by the page's own fetch, unknown to curl. */
export const SESSION_COOKIE = 'dfw-lab-session';

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The WebSocket handshake came from a page of this server (same host and port), on this machine. */
export function isSameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (!host || !origin || !isLocalHost(host)) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

export class ApiRelay {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  /** Connected tabs in the order they last said they were ready (newest last). */
  private readonly tabs = new Map<WebSocket, TabState>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Sessions handed to pages of this server, like the logged-in client's session cookie. */
  private readonly sessions = new Set<string>();

  /** `graceMs`: how much longer than a request's wait a "started" sent at its deadline may take to arrive. */
  constructor(
    private readonly timeoutMs = RELAY_TIMEOUT_MS,
    private readonly graceMs = API_STARTED_GRACE_MS,
  ) {
    this.wss.on('headers', (headers: string[]) => {
      const session = randomUUID();
      this.sessions.add(session);
      headers.push(`Set-Cookie: ${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict`);
    });
  }

  /** Takes WebSocket upgrades for the relay path on this HTTP server; others are left alone. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== RELAY_PATH) return;
      if (!isSameOrigin(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nThe lab relay accepts the app on this origin only.\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.addTab(ws));
    });
  }

  private addTab(ws: WebSocket): void {
    this.tabs.set(ws, 'starting');
    ws.on('message', (raw) => {
      let data: unknown;
      try {
        data = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (!isRelayMessage(data)) return;
      if (data.type === 'state') {
        this.tabs.delete(ws); // re-inserted last: the newest ready tab answers
        this.tabs.set(ws, data.state);
        return;
      }
      const p = this.pending.get(data.id);
      if (!p || p.tab !== ws) return;
      if (data.type === 'started') return void (p.started = true);
      clearTimeout(p.timer);
      this.pending.delete(data.id);
      p.resolve(data.reply);
    });
    ws.on('close', () => {
      this.tabs.delete(ws);
      for (const [id, p] of this.pending) {
        if (p.tab !== ws) continue;
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.resolve(nsxError(503, 'noTab', 'The DFW Lab tab was closed or reloaded before it answered this request; send it again.'));
      }
    });
  }

  /** The tab that answers now, or why none can. */
  private pickTab(): WebSocket | ApiReply {
    const states = [...this.tabs];
    const ready = states.filter(([, s]) => s === 'ready').at(-1);
    if (ready) return ready[0];
    if (states.some(([, s]) => s === 'locked')) {
      return nsxError(503, 'labLocked', 'The lab is locked by another tab of the browser: the DFW Lab tab connected here has it open read-only. Use the tab that edits the lab, or close the others and reload.');
    }
    if (states.length) return nsxError(503, 'labStarting', 'The lab in the DFW Lab tab is still starting; send the request again in a moment.');
    return nsxError(503, 'noTab', 'No DFW Lab tab is open: the API is answered by the lab running in the browser. Open the app from this server in a browser on this machine, then send the request again.');
  }

  /**
   * Hands one request to the answering tab. It waits as the service worker does (api-protocol.ts):
   * the relay's timeout, or what the request asks with RFC 7240's `Prefer: wait=N` (said back in
   * `Preference-Applied`); past it, 504 when the tab never started the request (nothing changed,
   * and it never will: the tab checks the deadline), 202 "still running" when it did.
   */
  answer(request: RestRequest, fromPage: boolean): Promise<ApiReply> {
    const tab = this.pickTab();
    if (!('send' in tab)) return Promise.resolve(tab);
    const id = this.nextId++;
    const prefer = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === 'prefer')?.[1] ?? null;
    const wait = apiWait(prefer);
    const waitMs = wait.applied ? wait.ms : this.timeoutMs;
    const applied = (reply: ApiReply): ApiReply => withPreferenceApplied(reply, wait.applied);
    return new Promise<ApiReply>((resolve) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        resolve(applied(timeoutReply(p?.started ?? false)));
      }, waitMs + this.graceMs);
      this.pending.set(id, { resolve: (reply) => resolve(applied(reply)), tab, timer, started: false });
      const message: RelayRequest = { type: 'request', id, request, fromPage, deadline: Date.now() + waitMs };
      tab.send(JSON.stringify(message));
    });
  }

  /** Connect-style middleware: answers `/api/…`, passes everything else on. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!isApiPath(req.url)) return next();
    void this.serve(req, res);
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLocalHost(req.headers.host)) return writeRestResponse(res, notLocalReply());
    const request = await readRestRequest(req);
    if ('tooLarge' in request) return writeRestResponse(res, tooLargeReply());
    // The page's own fetch('/api/…') before its service worker took over: its session, no credentials.
    const session = cookieValue(req, SESSION_COOKIE);
    const fromPage = session !== undefined && this.sessions.has(session);
    writeRestResponse(res, await this.answer(request, fromPage));
  }

  close(): void {
    for (const ws of this.tabs.keys()) ws.terminate();
    this.wss.close();
  }
}
