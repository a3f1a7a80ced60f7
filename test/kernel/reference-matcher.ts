/**
 * A deliberately naive first-match evaluator written straight from the rule-line semantics
 * (strings, ipaddr-based CIDR checks, no compilation). Tests compare both classifiers with it.
 */
import { cidrContains, ipToInt, isIpv4 } from '../../workers/protocol/addresses';
import type { AddressMatch, AddressSets, L3RuleLine } from '../../workers/protocol/ruleset';

export interface RefPacket {
  dir: 'in' | 'out';
  proto: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  icmpType: number;
  icmpCode: number;
}

function entryContains(entry: string, ip: string): boolean {
  if (entry.includes('-')) {
    const [a, b] = entry.split('-').map((x) => x.trim());
    if (!isIpv4(a) || !isIpv4(b)) return false;
    const x = ipToInt(ip);
    return Math.min(ipToInt(a), ipToInt(b)) <= x && x <= Math.max(ipToInt(a), ipToInt(b));
  }
  const addr = entry.split('/')[0];
  if (!isIpv4(addr)) return false;
  return cidrContains(entry, ip);
}

function sideMatches(m: AddressMatch, ip: string, sets: AddressSets): boolean {
  if (m.sets.length === 0 && m.cidrs.length === 0) return true;
  const members = [...m.sets.flatMap((s) => sets[s] ?? []), ...m.cidrs];
  const inside = members.some((e) => entryContains(e, ip));
  return m.negate ? !inside : inside;
}

export function referenceFirstMatch(lines: readonly L3RuleLine[], sets: AddressSets, p: RefPacket, afterLine = -1): number {
  for (let i = afterLine + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.packetType === 'ipv6') continue;
    if (l.direction !== 'inout' && l.direction !== p.dir) continue;
    if (l.protocol !== 'any' && l.protocol !== p.proto) continue;
    const inRanges = (ranges: readonly (readonly [number, number])[], port: number) => ranges.length === 0 || ranges.some(([lo, hi]) => lo <= port && port <= hi);
    if (!inRanges(l.srcPorts, p.sport) || !inRanges(l.dstPorts, p.dport)) continue;
    if (l.protocol === 1 && l.icmpType !== undefined) {
      if (l.icmpType !== p.icmpType) continue;
      if (l.icmpCode !== undefined && l.icmpCode !== p.icmpCode) continue;
    }
    if (!sideMatches(l.src, p.src, sets) || !sideMatches(l.dst, p.dst, sets)) continue;
    return i;
  }
  return -1;
}

export const toInt = (ip: string) => ipToInt(ip) | 0;
