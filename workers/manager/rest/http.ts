/** HTTP shapes of the simulated NSX API and the helpers handlers answer with. */
import { ApiError } from '../errors';
import { buildXml, el, leaf, parseXml, XmlSyntaxError, type XmlNode } from '../xml';
import type { RestRequest, RestResponse } from '../../protocol/rest';

export type { RestRequest, RestResponse };

const XML_TYPE = 'application/xml';

export function xml(status: number, root: XmlNode, headers: Record<string, string> = {}): RestResponse {
  return { status, headers: { 'Content-Type': XML_TYPE, ...headers }, body: buildXml(root) };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): RestResponse {
  return { status, headers: { 'Content-Type': 'text/plain', ...headers }, body };
}

export function noContent(headers: Record<string, string> = {}): RestResponse {
  return { status: 204, headers, body: '' };
}

export function errorResponse(err: ApiError, extraHeaders: Record<string, string> = {}): RestResponse {
  return xml(err.status, el('error', {}, leaf('details', err.message), leaf('errorCode', err.code), leaf('moduleName', err.moduleName)), extraHeaders);
}

/** Header value by name, case-insensitively (`If-Match`, `If-match`, `if-match`). */
export function header(req: RestRequest, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** The request body as XML; malformed input is a 400 naming the problem. */
export function bodyXml(req: RestRequest): XmlNode {
  try {
    return parseXml(req.body);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new ApiError('badXml', `The request body could not be read as XML. ${e.message}`);
    throw e;
  }
}

/** Normalises an ETag or If-Match value: strips `W/` and quotes. */
function etagValue(v: string): string {
  return v.trim().replace(/^W\//i, '').replace(/^"(.*)"$/, '$1').trim();
}

/**
 * Checks If-Match against the current generation number. Clients send the ETag header value
 * or the generationNumber from the body (PowerNSX, go-vcloud-director); both are the same number.
 */
export function requireIfMatch(req: RestRequest, current: number, what: string): void {
  const sent = header(req, 'If-Match');
  if (sent === undefined || etagValue(sent) === '') {
    throw new ApiError('preconditionFailed', `If-Match header is required to change ${what}: send the ETag (generationNumber) you read with GET`);
  }
  const values = sent.split(',').map(etagValue);
  if (!values.includes('*') && !values.includes(String(current))) {
    throw new ApiError('preconditionFailed', `The ${what} has changed since it was read: If-Match ${etagValue(sent)} does not match the current generation ${current}; GET it again and retry`);
  }
}

export function etag(generation: number): Record<string, string> {
  return { ETag: String(generation) };
}

/**
 * A numeric NSX id from a path or query, read strictly: digits only, no sign, no decimals, no
 * spaces, no hex, so `+1003`, `1003.0` or `1003 ` never act on rule 1003.
 */
export function strictId(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^(?:0|[1-9]\d{0,14})$/.test(text)) return undefined;
  return Number(text);
}
