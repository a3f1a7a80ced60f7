/** "Copy as curl": the request as an operator would type it against the real NSX Manager. */
import type { RestRequest } from '../../workers/lab/lab-api';

const NSX_MANAGER_ADDRESS = '192.168.110.15';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function toCurl(req: RestRequest, host = NSX_MANAGER_ADDRESS): string {
  const path = req.path.startsWith('/') ? req.path : `/${req.path}`;
  // -u admin makes curl ask for the password: no credential is ever written into the command.
  const parts = [`curl -k -u admin -X ${req.method.toUpperCase()} ${quote(`https://${host}${path}`)}`];
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.trim()) parts.push(`-H ${quote(`${k}: ${v}`)}`);
  if (req.body?.trim()) parts.push(`--data-binary ${quote(req.body)}`);
  return parts.join(' \\\n  ');
}

/** `Name: value` lines to a header record; blank and malformed lines are skipped. */
export function parseHeaderLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
