/**
 * Oracle TNS ALG: a listener (TCP/1521) that hands the client to a dedicated server answers
 * with a REDIRECT packet (TNS packet type 5) whose connect data names the new address,
 * `(ADDRESS=(PROTOCOL=tcp)(HOST=…)(PORT=…))`. The ALG expects the client there.
 */
import { ipToInt } from '../../../protocol/addresses';
import { TnsType } from '../../../protocol/tns';

const ADDRESS_RE = /\(ADDRESS=([^]*?)\)\)/i;
const HOST_RE = /\(HOST=([\d.]+)\)/i;
const PORT_RE = /\(PORT=(\d{1,5})\)/i;

export function scanTnsRedirect(bytes: Uint8Array, off: number, len: number): { ip: number; port: number } | null {
  if (len < 10 || bytes[off + 4] !== TnsType.Redirect) return null;
  let text = '';
  const end = Math.min(bytes.length, off + Math.min(len, 1024));
  for (let i = off + 8; i < end; i++) text += String.fromCharCode(bytes[i]);
  const address = ADDRESS_RE.exec(text)?.[1];
  if (!address) return null;
  const host = HOST_RE.exec(`${address})`)?.[1];
  const port = Number(PORT_RE.exec(`${address})`)?.[1]);
  if (!host || !(port > 0 && port <= 65535)) return null;
  try {
    return { ip: ipToInt(host) | 0, port };
  } catch {
    return null;
  }
}
