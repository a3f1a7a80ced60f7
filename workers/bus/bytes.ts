/** Byte helpers for the bus: exact-size buffers for the wire, base64 for snapshots, hex for the sniffer. */
import { base64Decode, base64Encode } from '@bufbuild/protobuf/wire';

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

/** A 64-bit content hash (cyrb53's mixing, both halves kept) of some bytes: equal bytes, equal signature; a collision is negligible. */
export function bytesSignature(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h2 >>> 0).toString(36)}-${(h1 >>> 0).toString(36)}`;
}
