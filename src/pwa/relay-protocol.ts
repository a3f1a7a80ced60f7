/**
 * The messages between `npm start`'s server and the tab, over one WebSocket from the page to
 * its own origin: the server hands each `/api/` request it received to the tab that holds the
 * lab, and the tab answers it as it answers the service worker.
 */
import type { RestRequest } from '../../workers/lab/lab-api';
import type { ApiReply } from './api-protocol';

export const RELAY_PATH = '/__dfw-lab/relay';

/** What the tab can do for the server: answer, not yet (lab starting), or not (another tab edits the lab). */
export type TabState = 'ready' | 'starting' | 'locked';

/** Server → tab. `fromPage`: the page's own fetch('/api/…') reached the server (no service worker yet). */
export interface RelayRequest {
  type: 'request';
  id: number;
  request: RestRequest;
  fromPage: boolean;
}

/** Tab → server. */
export type RelayMessage = { type: 'state'; state: TabState } | { type: 'reply'; id: number; reply: ApiReply };

export function isRelayRequest(data: unknown): data is RelayRequest {
  const m = data as Partial<RelayRequest> | null;
  return m?.type === 'request' && typeof m.id === 'number' && typeof m.request?.method === 'string' && typeof m.request?.path === 'string';
}

export function isRelayMessage(data: unknown): data is RelayMessage {
  const m = data as { type?: unknown; state?: unknown; id?: unknown; reply?: { status?: unknown } } | null;
  if (m?.type === 'state') return m.state === 'ready' || m.state === 'starting' || m.state === 'locked';
  return m?.type === 'reply' && typeof m.id === 'number' && typeof m.reply?.status === 'number';
}
