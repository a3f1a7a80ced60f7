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
/** How long the service worker waits for the page's answer, unless the request asks otherwise (below). */
const API_TIMEOUT_MS = 30_000;
/** The longest wait a request may ask for: Chromium ends a service worker's fetch event after 5 minutes. */
const API_MAX_WAIT_S = 120;
/** Past the deadline the service worker waits this much longer for a "started" already sent. */
export const API_STARTED_GRACE_MS = 2_000;

/**
 * How long to wait for the page: RFC 7240's `Prefer: wait=N` (seconds) if the request sends it,
 * else 30 s. A script that would rather hear "not run" after 5 s than 30 sends `wait=5`; one that
 * runs long edits may ask for more, up to 120 s (0 counts as 1). `applied` is the answer's
 * `Preference-Applied` value; a preference that is not a number of seconds is ignored, as the RFC
 * asks, and the answer then has no `Preference-Applied`.
 */
export function apiWait(prefer: string | null): { ms: number; applied?: string } {
  for (const preference of (prefer ?? '').split(',')) {
    const [name, value] = (preference.split(';')[0] ?? '').split('=').map((part) => part.trim());
    if (name?.toLowerCase() !== 'wait' || value === undefined) continue;
    const digits = /^"?(\d{1,9})"?$/.exec(value)?.[1];
    if (digits === undefined) break;
    const seconds = Math.min(Math.max(Number(digits), 1), API_MAX_WAIT_S);
    return { ms: seconds * 1000, applied: `wait=${seconds}` };
  }
  return { ms: API_TIMEOUT_MS };
}

/** The reply with `Preference-Applied` when the request's wait was taken (RFC 7240 §3). */
export function withPreferenceApplied(reply: ApiReply, applied: string | undefined): ApiReply {
  return applied ? { ...reply, headers: { ...reply.headers, 'preference-applied': applied } } : reply;
}

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
