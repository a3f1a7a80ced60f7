/**
 * `{{NAME.status}}`, `{{NAME.header.etag}}`, `{{NAME.body}}`, `{{NAME.xml:a/b[2]/c}}`,
 * `{{NAME.xml:a/b/@id}}`, `{{NAME.text}}`: values of earlier results, substituted into the
 * string fields of an action or check. One pass: a substituted value is never expanded again.
 */
import type { Results, RecordedResult } from './results';
import { xmlPath, XmlPathError } from './xml-path';

export class TemplateError extends Error {}

const REF = /\{\{([^{}]*)\}\}/g;

function headerOf(r: RecordedResult & { kind: 'api' }, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(r.response.headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

function bodyOf(r: RecordedResult): string {
  if (r.kind === 'api') return r.response.body;
  if (r.kind === 'text') return r.text;
  return r.detail;
}

/** The value of one reference such as `r.header.etag`. */
function resolveReference(ref: string, results: Results): string {
  const expr = ref.trim();
  const m = /^([A-Za-z_][A-Za-z0-9_-]*)\.(.+)$/s.exec(expr);
  if (!m) throw new TemplateError(`{{${expr}}} is not a reference: write {{NAME.status}}, {{NAME.header.X}}, {{NAME.body}}, {{NAME.xml:path}} or {{NAME.text}}`);
  const [, name, what] = m;
  const r = results.get(name);
  if (!r) {
    const known = [...results.keys()];
    throw new TemplateError(`{{${expr}}}: no result named "${name}" has been recorded${known.length ? ` (recorded: ${known.join(', ')})` : ''}`);
  }
  if (what === 'status') {
    if (r.kind === 'api') return String(r.response.status);
    if (r.kind === 'traffic') return r.verdict;
    throw new TemplateError(`{{${expr}}}: "${name}" is command output, which has no status; use {{${name}.text}}`);
  }
  if (what === 'body') return bodyOf(r);
  if (what === 'text') return bodyOf(r);
  if (what.startsWith('header.')) {
    if (r.kind !== 'api') throw new TemplateError(`{{${expr}}}: "${name}" is not a REST response, it has no headers`);
    const h = headerOf(r, what.slice('header.'.length));
    if (h === undefined) {
      throw new TemplateError(`{{${expr}}}: the response has no ${what.slice(7)} header (it has: ${Object.keys(r.response.headers).join(', ') || 'none'})`);
    }
    return h;
  }
  if (what.startsWith('xml:')) {
    try {
      return xmlPath(bodyOf(r), what.slice(4));
    } catch (err) {
      if (err instanceof XmlPathError) throw new TemplateError(`{{${expr}}}: ${err.message}`);
      throw err;
    }
  }
  throw new TemplateError(`{{${expr}}}: unknown part "${what}"; use status, header.NAME, body, xml:PATH or text`);
}

/** Substitutes every `{{…}}` in a string; throws TemplateError for the first that cannot be resolved. */
export function expand(s: string, results: Results): string {
  return s.replace(REF, (_m, ref: string) => resolveReference(ref, results));
}

/** The fields the spec templates: path, header values, body, cmd, contains (and a check's header values). */
const TEMPLATED = new Set(['path', 'body', 'cmd', 'contains']);

/** A copy of an action or check with its templated fields expanded. */
export function expandFields<T extends object>(item: T, results: Results): T {
  const out: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string' && TEMPLATED.has(k)) out[k] = expand(v, results);
    else if ((k === 'headers' || k === 'header') && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, string>).map(([hk, hv]) => [hk, expand(hv, results)]));
    }
  }
  return out as T;
}
