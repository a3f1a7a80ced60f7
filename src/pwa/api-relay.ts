/**
 * The page side of the terminal's API: a WebSocket to `npm start`'s server on this page's own
 * origin. The server relays `http://localhost:<port>/api/…` here; the tab checks the caller's
 * basic credentials and answers through runApiRequest, the same path the service worker's
 * requests take. A page served without the relay (a static host) simply has no terminal API.
 */
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';
import { type ApiAccounts, type ApiUser, auditLogin, checkAccess, withoutCredentials } from './api-auth';
import { runApiRequest } from './api-bridge';
import { timeoutReply, type ApiReply } from './api-protocol';
import { nsxError } from './nsx-error';
import { isRelayRequest, RELAY_PATH, type RelayMessage, type RelayRequest, type TabState } from './relay-protocol';
import type { Outside } from '../../workers/protocol/outside';

interface RelayedExchange {
  request: RestRequest;
  reply: ApiReply;
  /** Sent from outside the page (curl, a script), with the user it authenticated as. */
  external: boolean;
  user?: ApiUser;
}

interface RelayOptions {
  getApi(): LabApi | null;
  accounts(): ApiAccounts;
  /** Called after each answered request, for the REST client's history and screen refreshes. */
  onExchange(exchange: RelayedExchange): void;
  /** The relay connected, or went away. */
  onStatus?(connected: boolean): void;
}

export interface ApiRelay {
  setState(state: TabState): void;
  stop(): void;
}

const MAX_RETRY_MS = 10_000;

/** The relay endpoint on this page's origin, and only there. */
export function relayUrl(origin: string): string {
  const url = new URL(RELAY_PATH, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** Answers one relayed request: credentials first (outside callers only), then the lab. */
export async function answerRelayed(msg: RelayRequest, state: TabState, opts: RelayOptions): Promise<RelayedExchange> {
  const request = withoutCredentials(msg.request);
  if (state === 'locked') {
    return { request, external: !msg.fromPage, reply: nsxError(503, 'labLocked', 'The lab is locked by another tab of this browser: this tab has it open read-only. Use the tab that edits the lab, or close it and reload this one.') };
  }
  if (msg.fromPage) return { request, external: false, reply: await runApiRequest(opts.getApi(), request) };
  const access = checkAccess(msg.request, opts.accounts());
  await auditLogin(opts.getApi(), msg.request, access);
  if (!access.ok) return { request, external: true, user: access.user, reply: access.reply };
  return { request, external: true, user: access.user, reply: await runApiRequest(opts.getApi(), request) };
}

/**
 * Runs a relayed request only before its deadline (the server's wait: 30 s or the request's
 * `Prefer: wait=N`), telling the server first that it started; null past it, when the server has
 * answered "not run" already: running it then would apply a change the caller was told failed.
 */
export function answerBeforeDeadline(msg: RelayRequest, state: TabState, opts: RelayOptions, now: number, started: () => void): Promise<RelayedExchange | null> {
  if (typeof msg.deadline === 'number' && now > msg.deadline) return Promise.resolve(null);
  started();
  return answerRelayed(msg, state, opts);
}

export function startApiRelay(opts: RelayOptions, origin = location.origin): ApiRelay {
  if (typeof WebSocket === 'undefined') return { setState() {}, stop() {} };
  const url = relayUrl(origin);
  let state: TabState = 'starting';
  let socket: WebSocket | null = null;
  let stopped = false;
  let everOpen = false;
  let retryMs = 1000;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // One request at a time, in arrival order, as the lab answers them anyway.
  let queue = Promise.resolve();

  const send = (ws: WebSocket, m: RelayMessage) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      everOpen = true;
      retryMs = 1000;
      send(ws, { type: 'state', state });
      opts.onStatus?.(true);
    };
    ws.onmessage = (event: MessageEvent) => {
      // Only our own origin's relay reaches here (the URL above); still, read nothing but requests.
      let data: Outside;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!isRelayRequest(data)) return;
      queue = queue.then(async () => {
        const exchange = await answerBeforeDeadline(data, state, opts, Date.now(), () => send(ws, { type: 'started', id: data.id }));
        if (!exchange) return send(ws, { type: 'reply', id: data.id, reply: timeoutReply(false) });
        send(ws, { type: 'reply', id: data.id, reply: exchange.reply });
        opts.onExchange(exchange);
      });
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      if (everOpen) opts.onStatus?.(false);
      // No relay at all (a static host, vite dev): stay quiet. A relay that went away: try again.
      if (stopped || !everOpen) return;
      retry = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
  };
  connect();

  return {
    setState(next) {
      if (next === state) return;
      state = next;
      if (socket) send(socket, { type: 'state', state });
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    },
  };
}
