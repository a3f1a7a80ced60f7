/**
 * FTP application-level gateway: reads PORT / EPRT commands and 227 / 229 replies on an
 * allowed control session: the data endpoint each announces (expectations.ts expects it).
 */
import { ipToInt } from '../../../protocol/addresses';

const PORT_RE = /(?:^|\r?\n)PORT\s+(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/i;
const PASV_RE = /(?:^|\r?\n)227[ -][^(\r\n]*\(?\s*(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/;
const EPRT_RE = /(?:^|\r?\n)EPRT\s+\|1\|([\d.]+)\|(\d+)\|/i;
const EPSV_RE = /(?:^|\r?\n)229[ -][^(\r\n]*\(\|\|\|(\d+)\|\)/;

function latin1(bytes: Uint8Array, off: number, len: number): string {
  let s = '';
  const end = Math.min(bytes.length, off + Math.min(len, 512));
  for (let i = off; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function octets(m: RegExpMatchArray, from: number): number | null {
  const parts = [1, 2, 3, 4].map((i) => Number(m[from + i - 1]));
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) | 0;
}

/**
 * The data endpoint announced in this control-session payload, if any.
 * `sender` is the announcing side's address (EPSV replies carry only a port).
 */
export function scanFtpPayload(frame: Uint8Array, off: number, len: number, sender: number): { ip: number; port: number } | null {
  if (len <= 0) return null;
  const text = latin1(frame, off, len);
  let m = text.match(PORT_RE) ?? text.match(PASV_RE);
  if (m) {
    const ip = octets(m, 1);
    const port = Number(m[5]) * 256 + Number(m[6]);
    return ip === null || port > 65535 ? null : { ip, port };
  }
  m = text.match(EPRT_RE);
  if (m) {
    try {
      return { ip: ipToInt(m[1]) | 0, port: Number(m[2]) & 0xffff };
    } catch {
      return null;
    }
  }
  m = text.match(EPSV_RE);
  if (m) return { ip: sender, port: Number(m[1]) & 0xffff };
  return null;
}
