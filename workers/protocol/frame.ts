/**
 * Real Ethernet frames: Ethernet II carrying ARP or IPv4 with TCP, UDP or ICMP.
 * Guests build them, the switch forwards them, the kernel filters parse them and
 * pktcap-uw prints them. Offsets and checksums are the real ones.
 */
import { bytesToMac, intToIp, ipToInt, macToBytes } from './addresses';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;

const ETH_HEADER = 14;
const IPV4_HEADER = 20;
const TCP_HEADER = 20;
const UDP_HEADER = 8;
const ICMP_HEADER = 8;

interface L2Addresses {
  srcMac: string;
  dstMac: string;
}

interface Ipv4Fields extends L2Addresses {
  srcIp: string;
  dstIp: string;
  ttl?: number;
  /** IP identification, for fragments. */
  id?: number;
  /** Fragment offset in 8-byte units and the more-fragments flag. */
  fragmentOffset?: number;
  moreFragments?: boolean;
}

interface TcpFields extends Ipv4Fields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window?: number;
  payload?: Uint8Array;
}

interface UdpFields extends Ipv4Fields {
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array;
}

interface IcmpFields extends Ipv4Fields {
  type: number;
  code: number;
  /** Identifier and sequence for echo; for errors, the quoted datagram goes in payload. */
  id16?: number;
  seq16?: number;
  payload?: Uint8Array;
}

interface ArpFields extends L2Addresses {
  op: 1 | 2;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function textPayload(text: string): Uint8Array {
  return encoder.encode(text);
}

export function payloadText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function writeEthernet(buf: Uint8Array, l2: L2Addresses, ethertype: number): void {
  macToBytes(l2.dstMac, buf, 0);
  macToBytes(l2.srcMac, buf, 6);
  buf[12] = ethertype >>> 8;
  buf[13] = ethertype & 255;
}

function checksum(buf: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  for (let i = start; i < end - 1; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if ((end - start) & 1) sum += buf[end - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeaderSum(src: number, dst: number, proto: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
}

function buildIpv4(f: Ipv4Fields, proto: number, l4Length: number): { buf: Uint8Array; view: DataView; l4: number } {
  const buf = new Uint8Array(ETH_HEADER + IPV4_HEADER + l4Length);
  const view = new DataView(buf.buffer);
  writeEthernet(buf, f, ETHERTYPE_IPV4);
  const ip = ETH_HEADER;
  buf[ip] = 0x45;
  view.setUint16(ip + 2, IPV4_HEADER + l4Length);
  view.setUint16(ip + 4, f.id ?? 0);
  const fragment = ((f.moreFragments ? 1 : 0) << 13) | (f.fragmentOffset ?? 0);
  view.setUint16(ip + 6, fragment || (f.id === undefined ? 0x4000 : 0)); // DF unless fragmenting
  buf[ip + 8] = f.ttl ?? 64;
  buf[ip + 9] = proto;
  view.setUint32(ip + 12, ipToInt(f.srcIp));
  view.setUint32(ip + 16, ipToInt(f.dstIp));
  view.setUint16(ip + 10, checksum(buf, ip, ip + IPV4_HEADER));
  return { buf, view, l4: ip + IPV4_HEADER };
}

function finishL4Checksum(buf: Uint8Array, view: DataView, l4: number, proto: number, at: number): void {
  const ip = ETH_HEADER;
  const sum = pseudoHeaderSum(view.getUint32(ip + 12), view.getUint32(ip + 16), proto, buf.length - l4);
  view.setUint16(l4 + at, checksum(buf, l4, buf.length, sum));
}

export function buildTcp(f: TcpFields): Uint8Array {
  const payload = f.payload ?? EMPTY;
  const { buf, view, l4 } = buildIpv4(f, PROTO_TCP, TCP_HEADER + payload.length);
  view.setUint16(l4, f.srcPort);
  view.setUint16(l4 + 2, f.dstPort);
  view.setUint32(l4 + 4, f.seq >>> 0);
  view.setUint32(l4 + 8, f.ack >>> 0);
  buf[l4 + 12] = (TCP_HEADER / 4) << 4;
  buf[l4 + 13] = f.flags;
  view.setUint16(l4 + 14, f.window ?? 64240);
  buf.set(payload, l4 + TCP_HEADER);
  finishL4Checksum(buf, view, l4, PROTO_TCP, 16);
  return buf;
}

export function buildUdp(f: UdpFields): Uint8Array {
  const payload = f.payload ?? EMPTY;
  const { buf, view, l4 } = buildIpv4(f, PROTO_UDP, UDP_HEADER + payload.length);
  view.setUint16(l4, f.srcPort);
  view.setUint16(l4 + 2, f.dstPort);
  view.setUint16(l4 + 4, UDP_HEADER + payload.length);
  buf.set(payload, l4 + UDP_HEADER);
  finishL4Checksum(buf, view, l4, PROTO_UDP, 6);
  return buf;
}

export function buildIcmp(f: IcmpFields): Uint8Array {
  const payload = f.payload ?? EMPTY;
  const { buf, view, l4 } = buildIpv4(f, PROTO_ICMP, ICMP_HEADER + payload.length);
  buf[l4] = f.type;
  buf[l4 + 1] = f.code;
  view.setUint16(l4 + 4, f.id16 ?? 0);
  view.setUint16(l4 + 6, f.seq16 ?? 0);
  buf.set(payload, l4 + ICMP_HEADER);
  view.setUint16(l4 + 2, checksum(buf, l4, buf.length));
  return buf;
}

export function buildArp(f: ArpFields): Uint8Array {
  const buf = new Uint8Array(ETH_HEADER + 28);
  const view = new DataView(buf.buffer);
  writeEthernet(buf, f, ETHERTYPE_ARP);
  const a = ETH_HEADER;
  view.setUint16(a, 1); // Ethernet
  view.setUint16(a + 2, ETHERTYPE_IPV4);
  buf[a + 4] = 6;
  buf[a + 5] = 4;
  view.setUint16(a + 6, f.op);
  macToBytes(f.senderMac, buf, a + 8);
  view.setUint32(a + 14, ipToInt(f.senderIp));
  macToBytes(f.targetMac, buf, a + 18);
  view.setUint32(a + 24, ipToInt(f.targetIp));
  return buf;
}

/** A frame decoded into readable fields: for guests, the switch and captures, not the hot path. */
export type ParsedFrame =
  | { kind: 'arp'; srcMac: string; dstMac: string; op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string }
  | {
      kind: 'ipv4';
      srcMac: string;
      dstMac: string;
      srcIp: string;
      dstIp: string;
      ttl: number;
      proto: number;
      fragment: boolean;
      srcPort: number;
      dstPort: number;
      seq: number;
      ack: number;
      flags: number;
      window: number;
      icmpType: number;
      icmpCode: number;
      icmpId: number;
      icmpSeq: number;
      payload: Uint8Array;
    }
  | { kind: 'other'; srcMac: string; dstMac: string; ethertype: number }
  | { kind: 'malformed'; reason: 'short' | 'bad-offset'; srcMac: string; dstMac: string };

export function parseFrame(buf: Uint8Array): ParsedFrame {
  if (buf.length < ETH_HEADER) return { kind: 'malformed', reason: 'short', srcMac: '', dstMac: '' };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dstMac = bytesToMac(buf, 0);
  const srcMac = bytesToMac(buf, 6);
  const ethertype = view.getUint16(12);
  if (ethertype === ETHERTYPE_ARP) {
    if (buf.length < ETH_HEADER + 28) return { kind: 'malformed', reason: 'short', srcMac, dstMac };
    const a = ETH_HEADER;
    return {
      kind: 'arp',
      srcMac,
      dstMac,
      op: view.getUint16(a + 6),
      senderMac: bytesToMac(buf, a + 8),
      senderIp: intToIp(view.getUint32(a + 14)),
      targetMac: bytesToMac(buf, a + 18),
      targetIp: intToIp(view.getUint32(a + 24)),
    };
  }
  if (ethertype !== ETHERTYPE_IPV4) return { kind: 'other', srcMac, dstMac, ethertype };
  const ip = ETH_HEADER;
  if (buf.length < ip + IPV4_HEADER) return { kind: 'malformed', reason: 'short', srcMac, dstMac };
  const ihl = (buf[ip] & 15) * 4;
  const total = view.getUint16(ip + 2);
  if (ihl < IPV4_HEADER || total < ihl || ip + total > buf.length) return { kind: 'malformed', reason: 'bad-offset', srcMac, dstMac };
  const frag = view.getUint16(ip + 6);
  const fragment = (frag & 0x2000) !== 0 || (frag & 0x1fff) !== 0;
  const proto = buf[ip + 9];
  const l4 = ip + ihl;
  const end = ip + total;
  const base = {
    kind: 'ipv4' as const,
    srcMac,
    dstMac,
    srcIp: intToIp(view.getUint32(ip + 12)),
    dstIp: intToIp(view.getUint32(ip + 16)),
    ttl: buf[ip + 8],
    proto,
    fragment,
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    icmpType: 0,
    icmpCode: 0,
    icmpId: 0,
    icmpSeq: 0,
    payload: EMPTY,
  };
  if (fragment && (frag & 0x1fff) !== 0) return base;
  if (proto === PROTO_TCP) {
    if (end - l4 < TCP_HEADER) return { kind: 'malformed', reason: 'short', srcMac, dstMac };
    const off = (buf[l4 + 12] >>> 4) * 4;
    if (off < TCP_HEADER || l4 + off > end) return { kind: 'malformed', reason: 'bad-offset', srcMac, dstMac };
    return {
      ...base,
      srcPort: view.getUint16(l4),
      dstPort: view.getUint16(l4 + 2),
      seq: view.getUint32(l4 + 4),
      ack: view.getUint32(l4 + 8),
      flags: buf[l4 + 13],
      window: view.getUint16(l4 + 14),
      payload: buf.subarray(l4 + off, end),
    };
  }
  if (proto === PROTO_UDP) {
    if (end - l4 < UDP_HEADER) return { kind: 'malformed', reason: 'short', srcMac, dstMac };
    return { ...base, srcPort: view.getUint16(l4), dstPort: view.getUint16(l4 + 2), payload: buf.subarray(l4 + UDP_HEADER, end) };
  }
  if (proto === PROTO_ICMP) {
    if (end - l4 < ICMP_HEADER) return { kind: 'malformed', reason: 'short', srcMac, dstMac };
    return {
      ...base,
      icmpType: buf[l4],
      icmpCode: buf[l4 + 1],
      icmpId: view.getUint16(l4 + 4),
      icmpSeq: view.getUint16(l4 + 6),
      payload: buf.subarray(l4 + ICMP_HEADER, end),
    };
  }
  return { ...base, payload: buf.subarray(l4, end) };
}

export function tcpFlagsText(flags: number): string {
  let s = '';
  if (flags & TCP_SYN) s += 'S';
  if (flags & TCP_ACK) s += 'A';
  if (flags & TCP_PSH) s += 'P';
  if (flags & TCP_URG) s += 'U';
  if (flags & TCP_FIN) s += 'F';
  if (flags & TCP_RST) s += 'R';
  return s;
}

/** `"SA"` → SYN|ACK, as scenario files write flags. */
export function parseTcpFlags(text: string): number {
  const map: Record<string, number> = { S: TCP_SYN, A: TCP_ACK, P: TCP_PSH, U: TCP_URG, F: TCP_FIN, R: TCP_RST };
  let flags = 0;
  for (const ch of text.toUpperCase()) {
    const bit = map[ch];
    if (bit === undefined) throw new Error(`unknown TCP flag '${ch}' in "${text}"`);
    flags |= bit;
  }
  return flags;
}
