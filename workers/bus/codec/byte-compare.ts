/**
 * Where two byte strings start and stop agreeing, four bytes at a time. A host compares each
 * 10k-rule list it receives with the one it holds (half a megabyte each, 64 hosts per publish),
 * so the loop runs over 32-bit words when both sides allow it.
 *
 * Word views need 4-byte-aligned offsets: `commonPrefix` reads words when both sides start
 * aligned (callers keep their bytes in copies of their own, `ownedCopy`, at offset 0);
 * `commonSuffix` copies both tails into end-aligned buffers (native copies cost far less than
 * a byte loop).
 */

/** A copy of `bytes` in a buffer of its own, at offset 0 (so it can be read as words). */
export function ownedCopy(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

function words(b: Uint8Array, fromByte: number, count: number): Int32Array | null {
  const at = b.byteOffset + fromByte;
  return at % 4 === 0 ? new Int32Array(b.buffer, at, count) : null;
}

/** Length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  const count = n >>> 2;
  const wa = words(a, 0, count);
  const wb = words(b, 0, count);
  if (wa && wb) {
    let w = 0;
    while (w < count && wa[w] === wb[w]) w++;
    i = w << 2;
  }
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Length of the longest common suffix of `a` and `b`, at most `limit`. */
export function commonSuffix(a: Uint8Array, b: Uint8Array, limit = Math.min(a.length, b.length)): number {
  const max = Math.min(limit, a.length, b.length);
  // Copies of both tails that end on a word boundary, so they compare word by word from the end.
  const ta = endAligned(a, max);
  const tb = endAligned(b, max);
  const wa = new Int32Array(ta.buffer);
  const wb = new Int32Array(tb.buffer);
  let w = wa.length - 1;
  while (w >= 0 && wa[w] === wb[w]) w--;
  let k = Math.min(max, (wa.length - 1 - w) * 4);
  while (k < max && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

/** The last `n` bytes of `b`, copied to the end of a buffer of whole words (zero-padded in front). */
function endAligned(b: Uint8Array, n: number): Uint8Array {
  const pad = (4 - (n % 4)) % 4;
  const out = new Uint8Array(pad + n);
  out.set(b.subarray(b.length - n), pad);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && commonPrefix(a, b) === a.length;
}
