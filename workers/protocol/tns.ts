/**
 * Oracle TNS packets as the guests' listener and clients (tnsping, sqlplus) write them and the
 * kernel's ALG reads them: an 8-byte header (length, checksum, type, flags, header checksum),
 * then a body per type. A CONNECT carries its connect descriptor at the offset it names; the
 * listener answers with REFUSE (a ping, an unknown service) or REDIRECT to the address that
 * serves the session; ACCEPT and DATA packets follow there.
 */

export const TNS_PORT = 1521;

export const TnsType = { Connect: 1, Accept: 2, Refuse: 4, Redirect: 5, Data: 6 } as const;

/** The version a 19c client announces (VSNNUM in descriptors). */
export const TNS_VSNNUM = 318767104;
const CONNECT_DATA_OFFSET = 58;
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);

function packet(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint16(0, out.length);
  out[4] = type;
  out.set(body, 8);
  return out;
}

/** A body that is a 2-byte length and text (REDIRECT), optionally after fixed bytes (REFUSE's two reasons). */
function textBody(text: string, before: number[] = []): Uint8Array {
  const data = latin1(text);
  const body = new Uint8Array(before.length + 2 + data.length);
  body.set(before, 0);
  new DataView(body.buffer).setUint16(before.length, data.length);
  body.set(data, before.length + 2);
  return body;
}

/** CONNECT with `descriptor` as its connect data (version 314, SDU 8192, as a 19c client sends). */
export function buildTnsConnect(descriptor: string): Uint8Array {
  const data = latin1(descriptor);
  const out = new Uint8Array(CONNECT_DATA_OFFSET + data.length);
  const d = new DataView(out.buffer);
  d.setUint16(0, out.length);
  out[4] = TnsType.Connect;
  d.setUint16(8, 314); // version
  d.setUint16(10, 300); // oldest version compatible
  d.setUint16(14, 8192); // SDU
  d.setUint16(16, 0xffff); // TDU
  d.setUint16(18, 0x7f08); // NT protocol characteristics
  d.setUint16(22, 1); // "value of 1 in hardware": byte order
  d.setUint16(24, data.length);
  d.setUint16(26, CONNECT_DATA_OFFSET);
  d.setUint32(28, 2048); // maximum receivable connect data
  out[32] = 0x41; // connect flags 0 and 1
  out[33] = 0x41;
  out.set(data, CONNECT_DATA_OFFSET);
  return out;
}

export function buildTnsAccept(): Uint8Array {
  const body = new Uint8Array(16);
  const d = new DataView(body.buffer);
  d.setUint16(0, 314);
  d.setUint16(4, 8192);
  d.setUint16(6, 0xffff);
  d.setUint16(8, 1);
  d.setUint16(12, 24); // connect data offset: none follows
  return packet(TnsType.Accept, body);
}

/** REFUSE with the listener's descriptor (ERR=0 answers a ping). */
export function buildTnsRefuse(descriptor: string): Uint8Array {
  return packet(TnsType.Refuse, textBody(descriptor, [0x22, 0]));
}

/** A TNS REDIRECT packet to ip:port. */
export function buildTnsRedirect(ip: string, port: number): Uint8Array {
  return packet(TnsType.Redirect, textBody(`(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=${ip})(PORT=${port})))`));
}

/** DATA: two flag bytes, then the payload (the lab's sessions carry short text). */
export function buildTnsData(text: string): Uint8Array {
  const data = latin1(text);
  const body = new Uint8Array(2 + data.length);
  body.set(data, 2);
  return packet(TnsType.Data, body);
}

interface TnsPacket {
  type: number;
  /** The connect data, redirect or refuse descriptor, or a DATA payload, as latin1 text. */
  text: string;
}

/** One TNS packet, or null when the bytes are not one. */
export function parseTnsPacket(bytes: Uint8Array): TnsPacket | null {
  if (bytes.length < 8) return null;
  const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = d.getUint16(0);
  if (length < 8 || length > bytes.length) return null;
  const type = bytes[4];
  const text = (from: number, len = length - from) => String.fromCharCode(...bytes.subarray(from, Math.min(length, from + len)));
  switch (type) {
    case TnsType.Connect: {
      if (length < 28) return null;
      return { type, text: text(d.getUint16(26), d.getUint16(24)) };
    }
    case TnsType.Redirect:
      return length < 10 ? null : { type, text: text(10, d.getUint16(8)) };
    case TnsType.Refuse:
      return length < 12 ? null : { type, text: text(12, d.getUint16(10)) };
    case TnsType.Data:
      return { type, text: text(10) };
    case TnsType.Accept:
      return { type, text: '' };
    default:
      return null;
  }
}

/** A `(NAME=value)` of a descriptor, case-insensitive, or undefined. */
export function tnsParam(descriptor: string, name: string): string | undefined {
  return new RegExp(`\\(${name}=([^()]*)\\)`, 'i').exec(descriptor)?.[1];
}
