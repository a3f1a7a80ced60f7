/**
 * dfwpktlogs.log lines in the NSX-V 6.2.3+ layout: timestamp, filter hash, AF, reason,
 * action, ruleset/rule, direction, length, protocol, endpoints, TCP flags, optional tag;
 * TERM records at session end carry in/out packets and bytes instead of length and flags.
 */
import { intToIp } from '../../protocol/addresses';
import { PROTO_TCP, PROTO_UDP, tcpFlagsText } from '../../protocol/frame';

export const PKTLOG_FILE = '/var/log/dfwpktlogs.log';
/** Lines kept in memory for `pktlog()`; older lines live only in the event log. */
const PKTLOG_KEEP = 5000;

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function protoText(proto: number): string {
  return proto === PROTO_TCP ? 'TCP' : proto === PROTO_UDP ? 'UDP' : `PROTO ${proto}`;
}

export function endpointsText(proto: number, src: number, sport: number, dst: number, dport: number): string {
  if (proto === PROTO_TCP || proto === PROTO_UDP) return `${intToIp(src >>> 0)}/${sport}->${intToIp(dst >>> 0)}/${dport}`;
  return `${intToIp(src >>> 0)}->${intToIp(dst >>> 0)}`;
}

interface MatchLine {
  time: number;
  filterHash: number;
  reason: string;
  action: string;
  ruleset: string;
  ruleId: number;
  dirIn: boolean;
  length: number;
  proto: number;
  src: number;
  sport: number;
  dst: number;
  dport: number;
  tcpFlags: number;
  tag?: string;
}

export function formatMatch(l: MatchLine): string {
  const flags = l.proto === PROTO_TCP ? ` ${tcpFlagsText(l.tcpFlags)}` : '';
  const tag = l.tag ? ` ${l.tag}` : '';
  return `${isoTime(l.time)} ${l.filterHash} INET ${l.reason} ${l.action} ${l.ruleset}/${l.ruleId} ${l.dirIn ? 'IN' : 'OUT'} ${l.length} ${protoText(l.proto)} ${endpointsText(l.proto, l.src, l.sport, l.dst, l.dport)}${flags}${tag}`;
}

interface L2MatchLine {
  time: number;
  filterHash: number;
  action: string;
  ruleset: string;
  ruleId: number;
  dirIn: boolean;
  length: number;
  ethertype: number;
  srcMacHi: number;
  srcMacLo: number;
  dstMacHi: number;
  dstMacLo: number;
  tag?: string;
}

function macText(hi: number, lo: number): string {
  const hex = (n: number, bytes: number) => (n >>> 0).toString(16).padStart(bytes * 2, '0');
  return (hex(hi, 2) + hex(lo, 4)).match(/../g)!.join(':');
}

/** A logged L2 rule on a frame that is not IPv4: no public sample exists; the lab prints the ethertype and MACs. */
export function formatL2Match(l: L2MatchLine): string {
  const tag = l.tag ? ` ${l.tag}` : '';
  return `${isoTime(l.time)} ${l.filterHash} ETHER match ${l.action} ${l.ruleset}/${l.ruleId} ${l.dirIn ? 'IN' : 'OUT'} ${l.length} ETHERTYPE 0x${l.ethertype.toString(16).padStart(4, '0')} ${macText(l.srcMacHi, l.srcMacLo)}->${macText(l.dstMacHi, l.dstMacLo)}${tag}`;
}

interface TermLine {
  time: number;
  filterHash: number;
  ruleset: string;
  ruleId: number;
  dirIn: boolean;
  proto: number;
  termReason: 'RST' | 'FIN' | 'TIMEOUT';
  src: number;
  sport: number;
  dst: number;
  dport: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
  tag?: string;
}

export function formatTerm(l: TermLine): string {
  const tag = l.tag ? ` ${l.tag}` : '';
  return `${isoTime(l.time)} ${l.filterHash} INET TERM ${l.ruleset}/${l.ruleId} ${l.dirIn ? 'IN' : 'OUT'} ${protoText(l.proto)} ${l.termReason} ${endpointsText(l.proto, l.src, l.sport, l.dst, l.dport)} ${l.inPkts}/${l.outPkts} ${l.inBytes}/${l.outBytes}${tag}`;
}

/** The host's dfwpktlogs.log: a bounded in-memory tail plus a hook that mirrors lines to the lab log. */
export class PktLog {
  lines: string[] = [];
  constructor(private readonly onLine: (line: string) => void = () => {}) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > PKTLOG_KEEP) this.lines.splice(0, this.lines.length - PKTLOG_KEEP);
    this.onLine(line);
  }
}

/** Filter hash as `vsipioctl getfilters` prints it: a small stable number derived from the filter name. */
export function filterHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 60000) + 1000;
}
