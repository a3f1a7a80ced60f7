/**
 * `tcpdump-uw -r FILE`: ESXi's tcpdump reading a pcap the host wrote, one line per packet in
 * tcpdump's default layout (time, protocol, endpoints, TCP flags in brackets). Reads the file
 * with the same pcap reader the tests use, so what the console shows is what a download holds.
 */
import { parseFrame, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../protocol/frame';
import { readPcap } from './pcap';

const ICMP_NAMES: Record<number, string> = { 0: 'echo reply', 3: 'unreachable', 8: 'echo request', 11: 'time exceeded' };

/** tcpdump's flag letters: S, F, P, R, U, then `.` for ACK. */
function tcpdumpFlags(flags: number): string {
  let s = '';
  if (flags & 0x02) s += 'S';
  if (flags & 0x01) s += 'F';
  if (flags & 0x08) s += 'P';
  if (flags & 0x04) s += 'R';
  if (flags & 0x20) s += 'U';
  if (flags & 0x10) s += '.';
  return s || 'none';
}

function tcpdumpLine(timeUs: number, frame: Uint8Array, withEthernet: boolean): string {
  const time = `${new Date(Math.floor(timeUs / 1000)).toISOString().slice(11, 19)}.${String(timeUs % 1e6).padStart(6, '0')}`;
  const p = parseFrame(frame);
  const eth = (type: string) => (withEthernet && p.kind !== 'malformed' ? `${p.srcMac} > ${p.dstMac}, ethertype ${type}, length ${frame.length}: ` : '');
  switch (p.kind) {
    case 'arp':
      return `${time} ${eth('ARP (0x0806)')}ARP, ${p.op === 1 ? `Request who-has ${p.targetIp} tell ${p.senderIp}` : `Reply ${p.senderIp} is-at ${p.senderMac}`}, length 28`;
    case 'ipv4': {
      const head = `${time} ${eth('IPv4 (0x0800)')}IP `;
      if (p.proto === PROTO_TCP) return `${head}${p.srcIp}.${p.srcPort} > ${p.dstIp}.${p.dstPort}: Flags [${tcpdumpFlags(p.flags)}], seq ${p.seq}, ${p.flags & 0x10 ? `ack ${p.ack}, ` : ''}win ${p.window}, length ${p.payload.length}`;
      if (p.proto === PROTO_UDP) return `${head}${p.srcIp}.${p.srcPort} > ${p.dstIp}.${p.dstPort}: UDP, length ${p.payload.length}`;
      if (p.proto === PROTO_ICMP) {
        const name = ICMP_NAMES[p.icmpType] ?? `type ${p.icmpType}`;
        const idSeq = p.icmpType === 0 || p.icmpType === 8 ? `, id ${p.icmpId}, seq ${p.icmpSeq}` : '';
        return `${head}${p.srcIp} > ${p.dstIp}: ICMP ${name}${idSeq}, length ${p.payload.length + 8}`;
      }
      return `${head}${p.srcIp} > ${p.dstIp}: ip-proto-${p.proto}`;
    }
    case 'other':
      return `${time} ${eth(`Unknown (0x${p.ethertype.toString(16).padStart(4, '0')})`)}ethertype 0x${p.ethertype.toString(16).padStart(4, '0')}, length ${frame.length}`;
    case 'malformed':
      return `${time} [|ether] (${p.reason})`;
  }
}

export function tcpdumpRead(name: string, bytes: Uint8Array, withEthernet: boolean): string {
  let parsed;
  try {
    parsed = readPcap(bytes);
  } catch (err) {
    return `tcpdump-uw: ${name}: ${(err as Error).message}`;
  }
  return [`reading from file ${name}, link-type EN10MB (Ethernet)`, ...parsed.records.map((r) => tcpdumpLine(r.timeUs, r.frame, withEthernet))].join('\n');
}
