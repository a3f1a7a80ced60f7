/** IPv4 and MAC conversions between text and the integers and bytes the data path uses. */
import ipaddr from 'ipaddr.js';

export function ipToInt(ip: string): number {
  const bytes = ipaddr.IPv4.parse(ip).octets;
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

export function intToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** `172.16.10.0/24` → [network as u32, prefix length]; a bare address is a /32. */
function parseCidr(cidr: string): [network: number, prefix: number] {
  const [addr, len] = cidr.includes('/') ? ipaddr.IPv4.parseCIDR(cidr) : [ipaddr.IPv4.parse(cidr), 32];
  const prefix = Number(len);
  const mask = prefixMask(prefix);
  return [(ipToInt(addr.toString()) & mask) >>> 0, prefix];
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [net, prefix] = parseCidr(cidr);
  return ((ipToInt(ip) & prefixMask(prefix)) >>> 0) === net;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

export function macToBytes(mac: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 6; i++) out[offset + i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16);
}

export function bytesToMac(bytes: Uint8Array, offset: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i) s += ':';
    s += bytes[offset + i].toString(16).padStart(2, '0');
  }
  return s;
}
