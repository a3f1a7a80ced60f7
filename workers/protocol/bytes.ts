import { base64Decode, base64Encode } from '@bufbuild/protobuf/wire';

/** Joins byte arrays with one allocation and one copy per part. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte helpers for the bus: exact-size buffers for the wire, base64 for snapshots, hex for the sniffer. */

/** A standalone ArrayBuffer holding exactly these bytes (messages between workers carry ArrayBuffers). */
export function toBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

export function toBase64(bytes: Uint8Array): string {
  return base64Encode(bytes);
}

export function fromBase64(text: string): Uint8Array {
  return base64Decode(text);
}

/** `0a 0b 68 6f …` in rows of 16, offset first, as a packet sniffer prints them. */
export function hexDump(bytes: Uint8Array, limit = 512): string {
  const rows: string[] = [];
  const shown = Math.min(bytes.length, limit);
  for (let off = 0; off < shown; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, shown));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${off.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > shown) rows.push(`… ${bytes.length - shown} more bytes`);
  return rows.join('\n');
}
