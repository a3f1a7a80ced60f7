/**
 * Node HTTP glue for the lab's API from outside the page: reads an incoming `/api/` request
 * into the RestRequest shape the lab answers, writes a RestResponse back, and refuses what
 * must not reach a lab (a Host that is not this machine, an oversized body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestRequest, RestResponse } from '../../workers/lab/lab-api';
import { nsxError } from '../../src/pwa/nsx-error.ts';

/** NSX Manager answers large configurations; 10k rules are a few MB of XML. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Headers about this HTTP hop (and the page's session cookie), not about the request NSX Manager reads. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'cookie']);

export function isApiPath(url: string | undefined): boolean {
  return !!url && /^\/+api(\/|$|\?)/.test(url);
}

/** Only this machine's names: a page elsewhere cannot reach the lab by rebinding a DNS name to 127.0.0.1. */
export function isLocalHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
}

/** The request as the lab reads it, or `tooLarge` when its body is over the limit. */
export async function readRestRequest(req: IncomingMessage): Promise<RestRequest | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { tooLarge: true };
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = Buffer.concat(chunks).toString('utf8');
  return { method, path: req.url ?? '/', headers, body: method === 'GET' || method === 'HEAD' || body === '' ? undefined : body };
}

export function writeRestResponse(res: ServerResponse, reply: RestResponse): void {
  const nullBody = reply.status === 204 || reply.status === 304;
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Cache-Control', 'no-store');
  res.end(nullBody ? undefined : (reply.body ?? ''));
}

export const tooLargeReply = () => nsxError(413, 'tooLarge', `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);

export const notLocalReply = () => nsxError(403, 'forbidden', 'The DFW Lab API answers requests to localhost only');
