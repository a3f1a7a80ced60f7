/**
 * A goal in the learner's words. A check's `label` is the author's sentence; without one, a
 * sentence is made from the check in plain words. Whatever the file holds, the learner never
 * sees a template (`{{…}}`), `undefined`, `[object …]` or XML: a value that carries one of those
 * is left out of the sentence (the raw check stays available in the goal's details).
 */
import type { Check } from '../../workers/scenario/schema';

/** Text that must never reach the learner as a goal's headline. */
const UNFIT = /\{\{|\}\}|undefined|\[object|[<>]/i;

export function fitForLearner(s: string): boolean {
  return !UNFIT.test(s);
}

/** Shortens at a word boundary (never mid-word), with an ellipsis; the caller shows the full value on hover. */
export function shorten(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const cut = one.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/** A value fit to quote in a sentence, or null when it is not (template, XML, empty, too odd). */
function quotable(s: string | undefined, max = 40): string | null {
  if (s === undefined) return null;
  const one = s.replace(/\s+/g, ' ').trim();
  if (!one || !fitForLearner(one)) return null;
  return shorten(one, max);
}

/** A VM or host name as given, or a neutral phrase when the name itself is unfit. */
const named = (s: string, fallback: string) => quotable(s, 40) ?? fallback;

const WELL_KNOWN: Record<number, string> = { 22: 'SSH', 53: 'DNS', 80: 'HTTP', 443: 'HTTPS', 3306: 'MySQL', 1433: 'SQL Server', 21: 'FTP', 8080: 'HTTP', 5432: 'PostgreSQL' };

function service(proto: string, port: number | undefined): string {
  if (proto === 'icmp') return 'with ping (ICMP)';
  const p = proto.toUpperCase();
  if (port === undefined) return `over ${p}`;
  const known = WELL_KNOWN[port];
  return known ? `on ${p} ${port} (${known})` : `on ${p} port ${port}`;
}

const STATUS_WORDS: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  204: '204 No Content',
  400: '400 Bad Request',
  403: '403 Forbidden',
  404: '404 Not Found',
  409: '409 Conflict',
  412: '412 Precondition Failed (the If-Match did not match)',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};
const statusWords = (n: number) => STATUS_WORDS[n] ?? String(n);

/** What an NSX REST path is about, in words; never the path itself. */
function subject(path: string): string {
  const p = path.toLowerCase();
  if (p.includes('/excludelist')) return 'the exclusion list';
  if (p.includes('/spoofguard')) return 'SpoofGuard';
  if (p.includes('/firewall/') && p.includes('/drafts')) return 'the saved firewall configurations';
  if (p.includes('/firewall/') && p.includes('/sections/')) return 'a firewall section';
  if (p.includes('/firewall/') && p.includes('/config')) return 'the firewall configuration';
  if (p.includes('/securitytag')) return 'the security tags';
  if (p.includes('/securitygroup')) return 'the security groups';
  if (p.includes('/policy')) return 'Service Composer';
  if (p.includes('/ipset')) return 'the IP sets';
  if (p.includes('/threshold')) return 'the firewall thresholds';
  return 'NSX Manager';
}

const METHOD_WORDS: Record<string, string> = { GET: 'reading', PUT: 'updating', POST: 'adding to', DELETE: 'deleting', PATCH: 'changing', HEAD: 'checking' };

function trafficSentence(c: Extract<Check, { check: 'traffic' }>): string {
  const from = named(c.from, 'the source VM');
  const to = named(c.to, 'the destination');
  const svc = service(c.proto, c.port);
  let why = '';
  if (c.by === 'spoofguard') why = ', stopped by SpoofGuard';
  else if (c.by === 'excluded') why = c.expect === 'allowed' ? ', because the VM is excluded from the firewall' : '';
  else if (c.by === 'state') why = ', decided by the connection table';
  else if (c.by === 'no-filter') why = ', with no firewall filter in the way';
  if (c.rule !== undefined) why += `${why ? ',' : ','} by rule ${c.rule}`;
  if (c.expect === 'allowed') return `${from} can reach ${to} ${svc}${why}`;
  return `${from} can no longer reach ${to} ${svc}${why}`;
}

function generated(c: Check): string {
  switch (c.check) {
    case 'traffic':
      return trafficSentence(c);
    case 'session':
      return c.expect === 'alive' ? 'The open connection is still alive' : 'The open connection has been cut';
    case 'response': {
      const parts: string[] = [];
      if (c.status !== undefined) parts.push(`answered ${statusWords(c.status)}`);
      const q = quotable(c.contains);
      if (c.contains !== undefined) parts.push(q ? `mentions “${q}”` : 'holds what was asked for');
      if (c.header && Object.keys(c.header).length) parts.push('carries the expected headers');
      return parts.length ? `Your REST request ${parts.join(' and ')}` : 'Your REST request was sent';
    }
    case 'api': {
      const what = subject(c.path);
      const verb = METHOD_WORDS[c.method] ?? 'asking';
      const q = quotable(c.contains);
      const status = c.status !== undefined ? ` answers ${statusWords(c.status)}` : ' answers';
      const holds = c.contains !== undefined ? (q ? ` and shows “${q}”` : ' with the expected content') : '';
      return `NSX Manager, ${verb} ${what},${status}${holds}`;
    }
    case 'output': {
      const q = quotable(c.contains);
      if (c.contains !== undefined) return q ? `The command’s output shows “${q}”` : 'The command’s output shows what was asked for';
      return 'The command’s output looks as expected';
    }
    case 'event': {
      const q = quotable(c.contains, 50);
      const from = c.source !== undefined ? quotable(c.source, 30) : null;
      return `The event log shows ${q ? `“${q}”` : 'the expected event'}${from ? ` from ${from}` : ''}`;
    }
    case 'reach': {
      const app = c.app === 'vcenter' ? 'vCenter' : 'NSX Manager';
      return c.expect === 'up' ? `The ${app} screens open from the admin workstation` : `The ${app} screens no longer open from the admin workstation`;
    }
  }
}

/** The goal's headline: the author's label when it is fit, else a sentence made from the check. */
export function goalSentence(c: Check): string {
  if (c.label !== undefined && fitForLearner(c.label) && c.label.trim()) return c.label.trim();
  return generated(c);
}
