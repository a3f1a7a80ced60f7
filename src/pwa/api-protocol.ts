/**
 * The messages between the service worker and the page for `/api/*`: the service worker
 * holds no lab, so it hands each request to the tab that made it, over a MessageChannel.
 *
 * Time limit without a false failure: the request carries a deadline (wall-clock ms). The page
 * starts a request only before its deadline and says so (`API_STARTED`) on the port before
 * running it. When the deadline passes without an answer the service worker answers 504 only if
 * the page never started it (it never will: nothing changed), and 202 "still running" if it did,
 * because the change may still apply.
 */
import type { RestRequest, RestResponse } from '../../workers/lab/lab-api';
import type { Outside } from '../../workers/protocol/outside';

export const API_REQUEST = 'dfw-lab/api-request';
export const API_STARTED = 'dfw-lab/api-started';
/** How long the service worker waits for the page's answer. */
export const API_TIMEOUT_MS = 30_000;
/** Past the deadline the service worker waits this much longer for a "started" already sent. */
export const API_STARTED_GRACE_MS = 2_000;

export interface ApiRequestMessage {
  type: typeof API_REQUEST;
  request: RestRequest;
  /** Wall-clock time (ms since the epoch) after which the page must not start the request. */
  deadline: number;
}

interface ApiStartedMessage {
  type: typeof API_STARTED;
}

export type ApiReply = RestResponse;

/** A message's `type`, when it is an object that has one (the service worker reads no more: no schema library in its bundle). */
const typeOf = (data: Outside) => (typeof data === 'object' && data !== null && 'type' in data ? data.type : undefined);

export function isApiRequest(data: Outside): data is ApiRequestMessage {
  return typeOf(data) === API_REQUEST;
}

export function isApiStarted(data: Outside): data is ApiStartedMessage {
  return typeOf(data) === API_STARTED;
}

/** A plain-text answer of our own (no lab, lab not answering), marked as coming from DFW Lab. */
export function textReply(status: number, text: string): ApiReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/** What the service worker answers when the deadline passed without the page's reply. */
export function timeoutReply(started: boolean): ApiReply {
  return started
    ? { ...textReply(202, 'DFW Lab: the lab is still working on this request; it may yet apply. Read the object again (GET) to see whether it did.\n'), headers: { 'content-type': 'text/plain; charset=utf-8', 'x-dfw-lab-request': 'still-running' } }
    : { ...textReply(504, 'DFW Lab: the lab did not take this request in time, so it was not run and nothing changed. Send it again.\n'), headers: { 'content-type': 'text/plain; charset=utf-8', 'x-dfw-lab-request': 'not-run' } };
}
