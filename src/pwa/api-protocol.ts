/**
 * The messages between the service worker and the page for `/api/*`: the service worker
 * holds no lab, so it hands each request to the tab that made it, over a MessageChannel.
 */
import type { RestRequest, RestResponse } from '../../workers/lab/lab-api';

export const API_REQUEST = 'dfw-lab/api-request';

export interface ApiRequestMessage {
  type: typeof API_REQUEST;
  request: RestRequest;
}

export type ApiReply = RestResponse;

export function isApiRequest(data: unknown): data is ApiRequestMessage {
  return (data as { type?: unknown } | null)?.type === API_REQUEST;
}

/** A plain-text answer of our own (no lab, lab not answering), marked as coming from DFW Lab. */
export function textReply(status: number, text: string): ApiReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}
