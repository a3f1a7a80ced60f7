/**
 * libpcap savefiles ("pcap", not pcapng): the 24-byte global header (magic a1b2c3d4, version
 * 2.4, link type 1 = Ethernet) and a 16-byte record header per frame. Little-endian, as a
 * capture written on x86 is; Wireshark and tcpdump read both byte orders.
 */
import { concatBytes } from '../../protocol/bytes';

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const PCAP_SNAPLEN = 65535;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

interface PcapRecord {
  /** Lab time in microseconds since the epoch. */
  timeUs: number;
  frame: Uint8Array;
  /** The frame's length on the wire when `frame` was cut to the snap length. */
  origLen?: number;
}

export function pcapHeader(snaplen = PCAP_SNAPLEN): Uint8Array {
  const out = new Uint8Array(GLOBAL_HEADER);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, snaplen, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  return out;
}

export function pcapRecord(r: PcapRecord): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER + r.frame.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, Math.floor(r.timeUs / 1e6), true);
  v.setUint32(4, r.timeUs % 1e6, true);
  v.setUint32(8, r.frame.length, true);
  v.setUint32(12, r.origLen ?? r.frame.length, true);
  out.set(r.frame, RECORD_HEADER);
  return out;
}

export function writePcap(records: PcapRecord[], snaplen = PCAP_SNAPLEN): Uint8Array {
  return concatBytes([pcapHeader(snaplen), ...records.map(pcapRecord)]);
}

interface ParsedPcap {
  snaplen: number;
  linkType: number;
  records: PcapRecord[];
}

/** Reads a pcap savefile of either byte order; throws with the reason on anything else. */
export function readPcap(bytes: Uint8Array): ParsedPcap {
  if (bytes.length < GLOBAL_HEADER) throw new Error('not a pcap file: shorter than its 24-byte header');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = v.getUint32(0, true) === PCAP_MAGIC;
  if (!le && v.getUint32(0, false) !== PCAP_MAGIC) throw new Error('not a pcap file: bad magic number');
  const snaplen = v.getUint32(16, le);
  const linkType = v.getUint32(20, le);
  const records: PcapRecord[] = [];
  let at = GLOBAL_HEADER;
  while (at < bytes.length) {
    if (at + RECORD_HEADER > bytes.length) throw new Error(`truncated record header at byte ${at}`);
    const sec = v.getUint32(at, le);
    const usec = v.getUint32(at + 4, le);
    const incl = v.getUint32(at + 8, le);
    const orig = v.getUint32(at + 12, le);
    if (at + RECORD_HEADER + incl > bytes.length) throw new Error(`truncated record at byte ${at}`);
    records.push({ timeUs: sec * 1e6 + usec, frame: bytes.slice(at + RECORD_HEADER, at + RECORD_HEADER + incl), origLen: orig });
    at += RECORD_HEADER + incl;
  }
  return { snaplen, linkType, records };
}
