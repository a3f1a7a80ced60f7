/**
 * Path routing for the NSX API. Paths are matched after tidying what clients send: a full URL
 * is cut to its path, repeated slashes collapse (`/api//4.0/...`), a trailing slash is dropped
 * (SpoofGuard's POST needs one, others do not) and the query string is parsed separately.
 * A known path with an unsupported method answers 405 with an Allow header, and a JSON body
 * 415 (NSX-V reads XML bodies only; `application/xml` with or without a charset is fine).
 */
import { ApiError } from '../errors';
import { errorResponse, header, type RestRequest, type RestResponse } from './http';

export interface RouteRequest {
  req: RestRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
}

type Handler = (r: RouteRequest) => RestResponse;
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

interface Route {
  segments: string[];
  handlers: Partial<Record<Method, Handler>>;
}

function normalisePath(raw: string): { path: string; query: URLSearchParams } {
  let p = raw.trim().replace(/^[a-z]+:\/\/[^/]+/i, '');
  const q = p.indexOf('?');
  const query = new URLSearchParams(q >= 0 ? p.slice(q + 1) : '');
  if (q >= 0) p = p.slice(0, q);
  p = p.replace(/\/{2,}/g, '/');
  if (!p.startsWith('/')) p = `/${p}`;
  if (p.length > 1) p = p.replace(/\/$/, '');
  return { path: p, query };
}

/** A body NSX-V would not read: JSON, whatever the charset. */
function refusedMediaType(req: RestRequest): ApiError | undefined {
  if (!req.body?.trim()) return undefined;
  const type = header(req, 'Content-Type')?.split(';')[0]!.trim().toLowerCase();
  if (!type || !(type === 'application/json' || type === 'text/json' || type.endsWith('+json'))) return undefined;
  return new ApiError('unsupportedMediaType', `Content-Type ${type} is not supported here: NSX Manager reads XML request bodies. Send the body as XML with Content-Type: application/xml`, 'core-services');
}

export class Router {
  private readonly routes: Route[] = [];

  /** Registers handlers for a pattern such as `/api/4.0/firewall/globalroot-0/config/:layer/:id`. */
  on(pattern: string, handlers: Partial<Record<Method, Handler>>): this {
    this.routes.push({ segments: pattern.split('/').filter(Boolean), handlers });
    return this;
  }

  private match(path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    // Literal segments win over parameters, so `/securitygroup/scope/x` is not `/securitygroup/:id/...`.
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i]!;
        if (seg.startsWith(':')) params[seg.slice(1)] = parts[i]!;
        else if (seg.toLowerCase() === parts[i]!.toLowerCase()) literals++;
        else ok = false;
      }
      if (ok && (!best || literals > best.literals)) best = { route, params, literals };
    }
    return best;
  }

  handle(req: RestRequest): RestResponse {
    const { path, query } = normalisePath(req.path);
    const found = this.match(path);
    if (!found) return errorResponse(new ApiError('notFound', `No API resource at ${path}`, 'core-services'));
    const method = req.method.toUpperCase() as Method;
    const handler = found.route.handlers[method];
    if (!handler) {
      const allow = Object.keys(found.route.handlers).join(', ');
      return errorResponse(new ApiError('methodNotAllowed', `Method ${method} is not supported on ${path}; allowed: ${allow}`, 'core-services'), { Allow: allow });
    }
    const refused = refusedMediaType(req);
    if (refused) return errorResponse(refused);
    try {
      return handler({ req, params: found.params, query, path });
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e);
      // A bug must not take the manager down: answer like a server would, the transaction rolls back.
      const internal = new ApiError('badRequest', `Internal server error: ${(e as Error).message}`, 'core-services');
      return { ...errorResponse(internal), status: 500 };
    }
  }
}
