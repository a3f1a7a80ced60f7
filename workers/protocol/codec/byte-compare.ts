/**
 * Where two byte strings start and stop agreeing, four bytes at a time. A host compares each
 * 10k-rule list it receives with the one it holds (half a megabyte each, 64 hosts per publish),
 * so the loops run over 32-bit words: typed-array words when both sides sit at the same offset
 * modulo 4 (the usual case: the same message layout), DataView reads when they do not. Nothing
 * is copied: fresh half-megabyte buffers cost more than the comparison itself.
 */

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  if (a.byteOffset % 4 === b.byteOffset % 4) {
    // Bytes up to the first word boundary, then aligned words.
    const lead = Math.min(n, (4 - (a.byteOffset % 4)) % 4);
    while (i < lead && a[i] === b[i]) i++;
    if (i < lead) return i;
    const count = (n - lead) >>> 2;
    let w = 0;
    if (count > 0) {
      const wa = new Int32Array(a.buffer, a.byteOffset + lead, count);
      const wb = new Int32Array(b.buffer, b.byteOffset + lead, count);
      while (w < count && wa[w] === wb[w]) w++;
    }
    i = lead + (w << 2);
  } else {
    const count = n >>> 2;
    const va = view(a);
    const vb = view(b);
    let w = 0;
    while (w < count && va.getInt32(w << 2) === vb.getInt32(w << 2)) w++;
    i = w << 2;
  }
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Length of the longest common suffix of `a` and `b`, at most `limit`. */
export function commonSuffix(a: Uint8Array, b: Uint8Array, limit = Math.min(a.length, b.length)): number {
  const max = Math.min(limit, a.length, b.length);
  const aEnd = a.byteOffset + a.length;
  const bEnd = b.byteOffset + b.length;
  let k = 0;
  if (aEnd % 4 === bEnd % 4) {
    // Bytes back to the last word boundary, then aligned words (word w ends 4w bytes before it).
    const trail = Math.min(max, aEnd % 4);
    while (k < trail && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
    if (k < trail) return k;
    const count = (max - trail) >>> 2;
    let w = 0;
    if (count > 0) {
      const wa = new Int32Array(a.buffer, aEnd - trail - count * 4, count);
      const wb = new Int32Array(b.buffer, bEnd - trail - count * 4, count);
      while (w < count && wa[count - 1 - w] === wb[count - 1 - w]) w++;
    }
    k = trail + (w << 2);
  } else {
    const count = max >>> 2;
    const va = view(a);
    const vb = view(b);
    let w = 0;
    while (w < count && va.getInt32(a.length - 4 - (w << 2)) === vb.getInt32(b.length - 4 - (w << 2))) w++;
    k = w << 2;
  }
  while (k < max && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && commonPrefix(a, b) === a.length;
}
