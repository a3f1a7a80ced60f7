/** One-line summaries of frames for traces, captures and logs. */
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP, parseFrame, tcpFlagsText } from './frame';

import type { PacketKind } from './trace';

/** A frame's summary and kind, as a trace record carries them. */
export function describeFrame(frame: Uint8Array): { packet: string; packetKind: PacketKind } {
  const p = parseFrame(frame);
  return { packet: summaryOf(p), packetKind: p.kind === 'ipv4' ? 'ip' : p.kind };
}

export function summarize(frame: Uint8Array): string {
  return summaryOf(parseFrame(frame));
}

function summaryOf(p: ReturnType<typeof parseFrame>): string {
  switch (p.kind) {
    case 'arp':
      return p.op === 1 ? `ARP who-has ${p.targetIp} tell ${p.senderIp}` : `ARP ${p.senderIp} is-at ${p.senderMac}`;
    case 'ipv4':
      if (p.proto === PROTO_TCP) return `TCP ${p.srcIp}:${p.srcPort} → ${p.dstIp}:${p.dstPort} [${tcpFlagsText(p.flags)}]`;
      if (p.proto === PROTO_UDP) return `UDP ${p.srcIp}:${p.srcPort} → ${p.dstIp}:${p.dstPort}`;
      if (p.proto === PROTO_ICMP) return `ICMP ${p.srcIp} → ${p.dstIp} type ${p.icmpType} code ${p.icmpCode}`;
      return `IP proto ${p.proto} ${p.srcIp} → ${p.dstIp}`;
    case 'other':
      return `ethertype 0x${p.ethertype.toString(16).padStart(4, '0')} ${p.srcMac} → ${p.dstMac}`;
    case 'malformed':
      return `malformed frame (${p.reason})`;
  }
}
