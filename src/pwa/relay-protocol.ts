/**
 * The messages between `npm start`'s server and the tab, over one WebSocket from the page to
 * its own origin: the server hands each `/api/` request it received to the tab that holds the
 * lab, and the tab answers it as it answers the service worker.
 */
import type { RestRequest } from '../../workers/lab/lab-api';
import type { ApiReply } from './api-protocol';
import * as v from 'valibot';
import { isWith, type Outside } from '../../workers/protocol/outside.ts';

export const RELAY_PATH = '/__dfw-lab/relay';

/** What the tab can do for the server: answer, not yet (lab starting), or not (another tab edits the lab). */
export type TabState = 'ready' | 'starting' | 'locked';

/** Server → tab. `fromPage`: the page's own fetch('/api/…') reached the server (no service worker yet). */
export interface RelayRequest {
  type: 'request';
  id: number;
  request: RestRequest;
  fromPage: boolean;
  /**
   * Wall-clock ms after which the tab must not start the request (the server has answered "not
   * run" by then), as the service worker's (api-protocol.ts): 30 s, or the request's `Prefer: wait=N`.
   */
  deadline?: number;
}

/** Tab → server: its state, that it starts a request now (before its deadline), its answer. */
export type RelayMessage = { type: 'state'; state: TabState } | { type: 'started'; id: number } | { type: 'reply'; id: number; reply: ApiReply };

// What the two ends check of each other's messages (the rest is read where it is used).
const RelayRequestShape = v.looseObject({ type: v.literal('request'), id: v.number(), request: v.looseObject({ method: v.string(), path: v.string() }) });
const RelayMessageShape = v.variant('type', [
  v.looseObject({ type: v.literal('state'), state: v.picklist(['ready', 'starting', 'locked']) }),
  v.looseObject({ type: v.literal('started'), id: v.number() }),
  v.looseObject({ type: v.literal('reply'), id: v.number(), reply: v.looseObject({ status: v.number() }) }),
]);

export function isRelayRequest(data: Outside): data is RelayRequest {
  return isWith(RelayRequestShape, data);
}

export function isRelayMessage(data: Outside): data is RelayMessage {
  return isWith(RelayMessageShape, data);
}
