/**
 * Who may reach the lab through `/api/`: only the lab's own pages. A service worker sees every
 * navigation into its scope, so a page on another site could otherwise drive the lab with a
 * plain HTML form (`enctype=text/plain` makes a usable XML body) or a link. The rule:
 *
 * - requests another site started are refused (`Sec-Fetch-Site` or `Origin` say so, when the
 *   browser lets the service worker see them);
 * - navigations (links, forms, the address bar, frames) are refused: they carry no lab, and a
 *   cross-site form cannot be told apart from a same-site one when the referrer is hidden;
 * - `no-cors` writes are refused (a write must be a normal fetch, which the browser keeps
 *   same-origin or gates with CORS);
 * - everything else is answered only by the lab in the tab that made the request, never by
 *   another open window.
 */

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ApiRequestFacts {
  method: string;
  mode: RequestMode | string;
  /** Header lookup (lower-case names), as `Headers.get`. */
  header(name: string): string | null;
  /** The lab's origin (the service worker's scope). */
  origin: string;
}

export type ApiAccess = { allowed: true } | { allowed: false; status: 403; reason: string };

const refuse = (reason: string): ApiAccess => ({ allowed: false, status: 403, reason: `DFW Lab refused this request: ${reason}\n` });

export function apiAccess(req: ApiRequestFacts): ApiAccess {
  const method = req.method.toUpperCase();
  const site = req.header('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return refuse(`it came from ${site === 'none' ? 'outside any page' : `a ${site} page`}; the lab answers /api/ only to its own pages.`);
  const origin = req.header('origin');
  if (origin !== null && origin !== req.origin) return refuse(`it came from ${origin}; the lab answers /api/ only to ${req.origin}.`);
  if (req.mode === 'navigate' || req.mode === 'nested-navigate')
    return refuse('a link, form or address-bar visit cannot reach the lab. Send the request with fetch() from the lab page, the REST API screen, or curl through the lab relay.');
  if (req.mode === 'no-cors' && !SAFE_METHODS.has(method)) return refuse(`a no-cors ${method} cannot change the lab; send it as a normal fetch() from the lab page.`);
  return { allowed: true };
}
