/**
 * Where two byte strings start and stop agreeing, four bytes at a time. A host compares each
 * 10k-rule list it receives with the one it holds (half a megabyte each, 64 hosts per publish),
 * so the loops run over 32-bit words: typed-array words where both sides are aligned, DataView
 * reads where they are not. Nothing is copied: fresh half-megabyte buffers cost more than the
 * comparison itself.
 */

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  const count = n >>> 2;
  let w = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const wa = new Int32Array(a.buffer, a.byteOffset, count);
    const wb = new Int32Array(b.buffer, b.byteOffset, count);
    while (w < count && wa[w] === wb[w]) w++;
  } else {
    const va = view(a);
    const vb = view(b);
    while (w < count && va.getInt32(w << 2) === vb.getInt32(w << 2)) w++;
  }
  let i = w << 2;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Length of the longest common suffix of `a` and `b`, at most `limit`. */
export function commonSuffix(a: Uint8Array, b: Uint8Array, limit = Math.min(a.length, b.length)): number {
  const max = Math.min(limit, a.length, b.length);
  const count = max >>> 2;
  // Word w covers the bytes 4w+1 … 4w+4 from the end.
  const aEnd = a.byteOffset + a.length;
  const bEnd = b.byteOffset + b.length;
  let w = 0;
  if (aEnd % 4 === 0 && bEnd % 4 === 0) {
    const wa = new Int32Array(a.buffer, aEnd - count * 4, count);
    const wb = new Int32Array(b.buffer, bEnd - count * 4, count);
    while (w < count && wa[count - 1 - w] === wb[count - 1 - w]) w++;
  } else {
    const va = view(a);
    const vb = view(b);
    while (w < count && va.getInt32(a.length - 4 - (w << 2)) === vb.getInt32(b.length - 4 - (w << 2))) w++;
  }
  let k = w << 2;
  while (k < max && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && commonPrefix(a, b) === a.length;
}
