/**
 * IPv4 address arithmetic on unsigned numbers, compile time only: text → intervals,
 * interval merging, and the minimal prefix cover of an interval (for indexing).
 */
import { isIpv4, ipToInt, prefixMask } from '../../../protocol/addresses';

export interface Intervals {
  lo: Uint32Array;
  hi: Uint32Array;
}

/** `10.0.0.1`, `10.0.0.0/24` or `10.0.0.1-10.0.0.9` → [lo, hi]; IPv6 and junk → null. */
export function parseAddressEntry(text: string): [number, number] | null {
  const fast = plainPrefix(text);
  if (fast) return fast;
  const t = text.trim();
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = t.slice(0, dash).trim();
    const b = t.slice(dash + 1).trim();
    if (!isIpv4(a) || !isIpv4(b)) return null;
    const lo = ipToInt(a);
    const hi = ipToInt(b);
    return lo <= hi ? [lo, hi] : [hi, lo];
  }
  const slash = t.indexOf('/');
  const addr = slash >= 0 ? t.slice(0, slash) : t;
  if (!isIpv4(addr)) return null;
  const len = slash >= 0 ? Number(t.slice(slash + 1)) : 32;
  if (!Number.isInteger(len) || len < 0 || len > 32) return null;
  const mask = prefixMask(len);
  const lo = (ipToInt(addr) & mask) >>> 0;
  return [lo, lo + (2 ** (32 - len) - 1)];
}

export function mergeIntervals(list: [number, number][]): Intervals {
  list.sort((x, y) => x[0] - y[0]);
  const lo: number[] = [];
  const hi: number[] = [];
  for (const [a, b] of list) {
    const last = lo.length - 1;
    if (last >= 0 && a <= hi[last] + 1) {
      if (b > hi[last]) hi[last] = b;
    } else {
      lo.push(a);
      hi.push(b);
    }
  }
  return { lo: Uint32Array.from(lo), hi: Uint32Array.from(hi) };
}

/** Smallest list of prefixes covering [lo, hi] exactly. Stops early once `limit` is exceeded. */
export function prefixCover(lo: number, hi: number, out: [number, number][], limit: number): boolean {
  let cur = lo;
  while (cur <= hi) {
    let len = 32;
    // Grow the block while it stays aligned at `cur` and inside [cur, hi].
    while (len > 0) {
      const size = 2 ** (33 - len);
      if (cur % size !== 0 || cur + size - 1 > hi) break;
      len--;
    }
    out.push([cur, len]);
    if (out.length > limit) return false;
    cur += 2 ** (32 - len);
  }
  return true;
}

/** The interval is exactly one prefix: return its length, else -1. */
export function singlePrefixLength(lo: number, hi: number): number {
  const size = hi - lo + 1;
  const len = 32 - Math.log2(size);
  if (!Number.isInteger(len)) return -1;
  return lo % size === 0 ? len : -1;
}

export function inIntervals(lo: Uint32Array, hi: Uint32Array, ip: number): boolean {
  const x = ip >>> 0;
  let a = 0;
  let b = lo.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    if (lo[m] > x) b = m - 1;
    else if (hi[m] < x) a = m + 1;
    else return true;
  }
  return false;
}

/**
 * The usual entry, a plain dotted quad with an optional /len, read without the address
 * library: a 10k-rule table parses 20k of them when it is first compiled. Anything else
 * (spaces, ranges, leading zeros, IPv6) returns null and takes the library's path.
 */
function plainPrefix(t: string): [number, number] | null {
  let ip = 0;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (t.charCodeAt(i) !== 46 /* . */) return null;
      i++;
    }
    const start = i;
    let v = 0;
    while (i < t.length && i - start < 3) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    if (i === start || v > 255 || (i - start > 1 && t.charCodeAt(start) === 48)) return null;
    ip = ip * 256 + v;
  }
  let len = 32;
  if (i < t.length) {
    if (t.charCodeAt(i) !== 47 /* / */ || i + 1 === t.length || t.length - i > 3) return null;
    len = 0;
    for (let k = i + 1; k < t.length; k++) {
      const c = t.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return null;
      len = len * 10 + c;
    }
    if (len > 32) return null;
  }
  const lo = (ip & prefixMask(len)) >>> 0;
  return [lo, lo + (2 ** (32 - len) - 1)];
}
