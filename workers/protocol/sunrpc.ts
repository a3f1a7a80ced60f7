/**
 * Sun RPC portmapper (program 100000, port 111) GETPORT calls and replies, as the guests'
 * rpcbind and clients write them and the kernel's ALG reads them. The call names the program
 * and the transport asked for; the reply announces the port, so the caller may then reach the
 * server on it. XDR as RFC 5531 / RFC 1833 (version 2).
 */

const PORTMAPPER_PROGRAM = 100000;
const PMAPPROC_GETPORT = 3;
const CALL = 0;
const REPLY = 1;

interface RpcGetportCall {
  xid: number;
  program: number;
  version: number;
  /** IP protocol asked for: 6 (TCP) or 17 (UDP). */
  protocol: number;
}

interface RpcGetportReply {
  xid: number;
  port: number;
}

/** Over TCP each record starts with a 4-byte record mark (RFC 5531 §11). */
function start(bytes: Uint8Array, off: number, len: number, tcp: boolean): DataView | null {
  const skip = tcp ? 4 : 0;
  if (len < skip + 8) return null;
  return new DataView(bytes.buffer, bytes.byteOffset + off + skip, len - skip);
}

/** A portmapper GETPORT call, or null for anything else. */
export function parseGetportCall(bytes: Uint8Array, off: number, len: number, tcp: boolean): RpcGetportCall | null {
  const d = start(bytes, off, len, tcp);
  if (!d || d.byteLength < 40) return null;
  if (d.getUint32(4) !== CALL || d.getUint32(8) !== 2 || d.getUint32(12) !== PORTMAPPER_PROGRAM || d.getUint32(20) !== PMAPPROC_GETPORT) return null;
  let p = 24;
  for (let i = 0; i < 2; i++) {
    // credential, then verifier: flavor, length, body padded to 4 bytes
    if (p + 8 > d.byteLength) return null;
    const n = d.getUint32(p + 4);
    if (n > 400) return null;
    p += 8 + Math.ceil(n / 4) * 4;
  }
  if (p + 16 > d.byteLength) return null;
  return { xid: d.getUint32(0), program: d.getUint32(p), version: d.getUint32(p + 4), protocol: d.getUint32(p + 8) };
}

/** An accepted, successful reply with a port (0 means "not registered"), or null. */
export function parseGetportReply(bytes: Uint8Array, off: number, len: number, tcp: boolean): RpcGetportReply | null {
  const d = start(bytes, off, len, tcp);
  if (!d || d.byteLength < 28) return null;
  if (d.getUint32(4) !== REPLY || d.getUint32(8) !== 0) return null; // MSG_ACCEPTED
  const verfLen = d.getUint32(16);
  if (verfLen > 400) return null;
  const p = 20 + Math.ceil(verfLen / 4) * 4;
  if (p + 8 > d.byteLength || d.getUint32(p) !== 0) return null; // SUCCESS
  const port = d.getUint32(p + 4);
  return port > 0 && port <= 65535 ? { xid: d.getUint32(0), port } : null;
}

/** Builds a GETPORT call (AUTH_NONE), as rpcinfo and the NFS client send it. */
export function buildGetportCall(xid: number, program: number, version: number, protocol: number, tcp: boolean): Uint8Array {
  const words = [xid, CALL, 2, PORTMAPPER_PROGRAM, 2, PMAPPROC_GETPORT, 0, 0, 0, 0, program, version, protocol, 0];
  return pack(words, tcp);
}

/** Builds the portmapper's answer to a GETPORT call. */
export function buildGetportReply(xid: number, port: number, tcp: boolean): Uint8Array {
  return pack([xid, REPLY, 0, 0, 0, 0, port], tcp);
}

function pack(words: number[], tcp: boolean): Uint8Array {
  const skip = tcp ? 4 : 0;
  const out = new Uint8Array(skip + words.length * 4);
  const d = new DataView(out.buffer);
  if (tcp) d.setUint32(0, 0x80000000 | (words.length * 4)); // last fragment, its length
  words.forEach((w, i) => d.setUint32(skip + i * 4, w >>> 0));
  return out;
}
