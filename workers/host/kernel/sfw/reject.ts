/**
 * Reject answers: a TCP RST for TCP, an ICMP destination-unreachable "administratively
 * prohibited" (type 3 code 13) quoting the offending header for everything else.
 */
import { bytesToMac, intToIp } from '../../../protocol/addresses';
import { buildIcmp, buildTcp, ICMP_UNREACHABLE, PROTO_ICMP, PROTO_TCP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../protocol/frame';
import { isIcmpError, type PacketHeader } from '../parse';

const ADMIN_PROHIBITED = 13;

export function buildRejectReply(frame: Uint8Array, h: PacketHeader): Uint8Array | undefined {
  const srcMac = bytesToMac(frame, 0); // the answer comes "from" the original destination
  const dstMac = bytesToMac(frame, 6);
  const srcIp = intToIp(h.dstIp >>> 0);
  const dstIp = intToIp(h.srcIp >>> 0);
  if (h.proto === PROTO_TCP) {
    if (h.tcpFlags & TCP_RST) return undefined; // never answer a reset
    if (h.tcpFlags & TCP_ACK) {
      return buildTcp({ srcMac, dstMac, srcIp, dstIp, srcPort: h.dstPort, dstPort: h.srcPort, seq: h.ack >>> 0, ack: 0, flags: TCP_RST, window: 0 });
    }
    let len = h.payloadLen;
    if (h.tcpFlags & TCP_SYN) len++;
    if (h.tcpFlags & TCP_FIN) len++;
    return buildTcp({ srcMac, dstMac, srcIp, dstIp, srcPort: h.dstPort, dstPort: h.srcPort, seq: 0, ack: ((h.seq >>> 0) + len) >>> 0, flags: TCP_RST | TCP_ACK, window: 0 });
  }
  if (h.proto === PROTO_ICMP && isIcmpError(h.icmpType)) return undefined; // no errors about errors
  const ipStart = 14;
  const ihl = (frame[ipStart] & 15) * 4;
  const quoted = frame.subarray(ipStart, Math.min(frame.length, ipStart + ihl + 8));
  return buildIcmp({ srcMac, dstMac, srcIp, dstIp, type: ICMP_UNREACHABLE, code: ADMIN_PROHIBITED, payload: quoted.slice() });
}
