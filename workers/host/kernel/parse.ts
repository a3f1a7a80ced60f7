/**
 * Hot-path frame parser: reads an Ethernet frame into one reusable numeric header record.
 * No strings, no allocation; malformed input sets `status` instead of throwing.
 * IPv4 addresses are kept as signed int32 (`x | 0`) so comparisons and hashing stay in Smi range.
 */
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, PROTO_ICMP, PROTO_TCP, PROTO_UDP, TCP_SYN } from '../../protocol/frame';

export const enum ParseStatus {
  Ipv4 = 0,
  Arp = 1,
  /** Any other ethertype (IPv6, LLDP, RARP…): only L2 rules apply. */
  OtherL2 = 2,
  Short = 3,
  BadOffset = 4,
  Fragment = 5,
  BadVersion = 6,
}

const ETH = 14;

/** ICMP query types that may create state, and the reply type each expects. */
export function icmpReplyType(queryType: number): number {
  switch (queryType) {
    case 8:
      return 0; // echo
    case 13:
      return 14; // timestamp
    case 15:
      return 16; // information
    case 17:
      return 18; // address mask
    default:
      return -1;
  }
}

/** Query type a reply answers, or -1. */
export function icmpQueryOfReply(replyType: number): number {
  switch (replyType) {
    case 0:
      return 8;
    case 14:
      return 13;
    case 16:
      return 15;
    case 18:
      return 17;
    default:
      return -1;
  }
}

export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

export class PacketHeader {
  status: ParseStatus = ParseStatus.Short;
  frameLen = 0;
  ethertype = 0;
  /** MACs split into the top 16 bits and the low 32 bits (signed). */
  srcMacHi = 0;
  srcMacLo = 0;
  dstMacHi = 0;
  dstMacLo = 0;
  srcIp = 0;
  dstIp = 0;
  proto = 0;
  /** IPv4 total length (what dfwpktlogs prints as the packet length). */
  ipLen = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  win = 0;
  /** Window-scale option of a SYN, -1 when absent. */
  wscale = -1;
  payloadOff = 0;
  payloadLen = 0;
  icmpType = 0;
  icmpCode = 0;
  icmpId = 0;
  arpOp = 0;
  arpSenderIp = 0;
  arpSenderMacHi = 0;
  arpSenderMacLo = 0;
  arpTargetIp = 0;
  /** ICMP errors: the quoted datagram's 5-tuple (ports hold the ICMP id/type for quoted queries). */
  innerValid = false;
  innerSrc = 0;
  innerDst = 0;
  innerProto = 0;
  innerSport = 0;
  innerDport = 0;
}

/** Connection-tracker ports of an ICMP query/reply: originator side carries the id, responder side the query type. */
export const ICMP_PORT_FAMILY_FLAG = 0x8000;

function readQuoted(b: Uint8Array, off: number, end: number, h: PacketHeader): void {
  h.innerValid = false;
  if (end - off < 20) return;
  const ihl = (b[off] & 15) * 4;
  if (b[off] >>> 4 !== 4 || ihl < 20 || end - off < ihl + 8) return;
  h.innerProto = b[off + 9];
  h.innerSrc = (b[off + 12] << 24) | (b[off + 13] << 16) | (b[off + 14] << 8) | b[off + 15];
  h.innerDst = (b[off + 16] << 24) | (b[off + 17] << 16) | (b[off + 18] << 8) | b[off + 19];
  const l4 = off + ihl;
  if (h.innerProto === PROTO_TCP || h.innerProto === PROTO_UDP) {
    h.innerSport = (b[l4] << 8) | b[l4 + 1];
    h.innerDport = (b[l4 + 2] << 8) | b[l4 + 3];
  } else if (h.innerProto === PROTO_ICMP) {
    const t = b[l4];
    const id = (b[l4 + 4] << 8) | b[l4 + 5];
    if (icmpReplyType(t) < 0) return;
    h.innerSport = id;
    h.innerDport = ICMP_PORT_FAMILY_FLAG | t;
  } else {
    h.innerSport = 0;
    h.innerDport = 0;
  }
  h.innerValid = true;
}

function readWscale(b: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const kind = b[i];
    if (kind === 0) return -1;
    if (kind === 1) {
      i++;
      continue;
    }
    if (i + 1 >= to) return -1;
    const len = b[i + 1];
    if (kind === 3 && len === 3 && i + 2 < to) return Math.min(b[i + 2], 14);
    i += len < 2 ? 2 : len;
  }
  return -1;
}

export function parseHeader(b: Uint8Array, h: PacketHeader): void {
  const n = b.length;
  h.frameLen = n;
  h.innerValid = false;
  h.wscale = -1;
  h.srcPort = 0;
  h.dstPort = 0;
  h.tcpFlags = 0;
  h.payloadLen = 0;
  h.icmpType = 0;
  h.icmpCode = 0;
  h.icmpId = 0;
  if (n < ETH) {
    h.status = ParseStatus.Short;
    h.ethertype = 0;
    return;
  }
  h.dstMacHi = (b[0] << 8) | b[1];
  h.dstMacLo = (b[2] << 24) | (b[3] << 16) | (b[4] << 8) | b[5];
  h.srcMacHi = (b[6] << 8) | b[7];
  h.srcMacLo = (b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11];
  const et = (b[12] << 8) | b[13];
  h.ethertype = et;
  if (et === ETHERTYPE_ARP) {
    if (n < ETH + 28) {
      h.status = ParseStatus.Short;
      return;
    }
    const a = ETH;
    h.arpOp = (b[a + 6] << 8) | b[a + 7];
    h.arpSenderMacHi = (b[a + 8] << 8) | b[a + 9];
    h.arpSenderMacLo = (b[a + 10] << 24) | (b[a + 11] << 16) | (b[a + 12] << 8) | b[a + 13];
    h.arpSenderIp = (b[a + 14] << 24) | (b[a + 15] << 16) | (b[a + 16] << 8) | b[a + 17];
    h.arpTargetIp = (b[a + 24] << 24) | (b[a + 25] << 16) | (b[a + 26] << 8) | b[a + 27];
    h.status = ParseStatus.Arp;
    return;
  }
  if (et !== ETHERTYPE_IPV4) {
    h.status = ParseStatus.OtherL2;
    return;
  }
  const ip = ETH;
  if (n < ip + 20) {
    h.status = ParseStatus.Short;
    return;
  }
  if (b[ip] >>> 4 !== 4) {
    h.status = ParseStatus.BadVersion;
    return;
  }
  const ihl = (b[ip] & 15) * 4;
  const total = (b[ip + 2] << 8) | b[ip + 3];
  h.ipLen = total;
  h.proto = b[ip + 9];
  h.srcIp = (b[ip + 12] << 24) | (b[ip + 13] << 16) | (b[ip + 14] << 8) | b[ip + 15];
  h.dstIp = (b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19];
  if (ihl < 20 || total < ihl) {
    h.status = ParseStatus.BadOffset;
    return;
  }
  if (ip + total > n) {
    h.status = ParseStatus.Short;
    return;
  }
  const frag = (b[ip + 6] << 8) | b[ip + 7];
  if ((frag & 0x3fff) !== 0) {
    h.status = ParseStatus.Fragment;
    return;
  }
  const l4 = ip + ihl;
  const end = ip + total;
  const avail = end - l4;
  const proto = h.proto;
  if (proto === PROTO_TCP) {
    if (avail < 20) {
      h.status = ParseStatus.Short;
      return;
    }
    const off = (b[l4 + 12] >>> 4) * 4;
    if (off < 20 || off > avail) {
      h.status = ParseStatus.BadOffset;
      return;
    }
    h.srcPort = (b[l4] << 8) | b[l4 + 1];
    h.dstPort = (b[l4 + 2] << 8) | b[l4 + 3];
    h.seq = (b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7];
    h.ack = (b[l4 + 8] << 24) | (b[l4 + 9] << 16) | (b[l4 + 10] << 8) | b[l4 + 11];
    h.tcpFlags = b[l4 + 13];
    h.win = (b[l4 + 14] << 8) | b[l4 + 15];
    if (off > 20 && (h.tcpFlags & TCP_SYN) !== 0) h.wscale = readWscale(b, l4 + 20, l4 + off);
    h.payloadOff = l4 + off;
    h.payloadLen = avail - off;
  } else if (proto === PROTO_UDP) {
    if (avail < 8) {
      h.status = ParseStatus.Short;
      return;
    }
    h.srcPort = (b[l4] << 8) | b[l4 + 1];
    h.dstPort = (b[l4 + 2] << 8) | b[l4 + 3];
    h.payloadOff = l4 + 8;
    h.payloadLen = avail - 8;
  } else if (proto === PROTO_ICMP) {
    if (avail < 8) {
      h.status = ParseStatus.Short;
      return;
    }
    h.icmpType = b[l4];
    h.icmpCode = b[l4 + 1];
    h.icmpId = (b[l4 + 4] << 8) | b[l4 + 5];
    h.payloadOff = l4 + 8;
    h.payloadLen = avail - 8;
    if (isIcmpError(h.icmpType)) readQuoted(b, l4 + 8, end, h);
  } else {
    h.payloadOff = l4;
    h.payloadLen = avail;
  }
  h.status = ParseStatus.Ipv4;
}

/** MAC text → the split integer form PacketHeader uses. */
export function macToHiLo(mac: string): [hi: number, lo: number] {
  const p = mac.split(':').map((x) => parseInt(x, 16));
  return [(p[0] << 8) | p[1], (p[2] << 24) | (p[3] << 16) | (p[4] << 8) | p[5]];
}
