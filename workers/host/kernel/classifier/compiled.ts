/**
 * Priority-ordered tuple space search with merged tuples (after TupleMerge, Daly et al.).
 *
 * A tuple is (src prefix length, dst prefix length, proto exact?, dst port exact?). Each table
 * hashes its rows by the header bits its tuple keeps; a row may sit in a table whose tuple is
 * coarser than its own (that is the "merge"), so buckets hold candidate lists that get the
 * full RuleTable check. A new table is opened with a relaxed tuple (lengths snapped down to
 * 0/8/16/24/32) and, when a bucket overflows, with the row's exact tuple. Tables are probed in
 * order of their best (lowest) line; the walk stops once no later table can beat the match
 * in hand. All tables share one open-addressing hash over an Int32Array and one CSR array of
 * candidate rows.
 */
import { prefixMask } from '../../../protocol/addresses';
import { prefixCover } from './address-space';
import { AddrKind, type RuleTable } from './rule-table';

/** Bucket size above which a row opens a more specific table instead. */
const COLLISION_LIMIT = 10;
/** A side with more prefixes than this is indexed as a wildcard (rows are always fully checked). */
const MAX_SIDE_COVER = 16;
const MAX_ITEM_PRODUCT = 64;
const STRIDE = 8;

interface BuildTable {
  sl: number;
  dl: number;
  pe: number;
  de: number;
  minLine: number;
  buckets: Map<string, { s: number; d: number; pd: number; rows: number[] }>;
}

function gridDown(len: number): number {
  return len >= 32 ? 32 : len - (len % 8);
}

export function tupleHash(t: number, s: number, d: number, pd: number): number {
  let h = Math.imul(t ^ 0x9e3779b1, 0x85ebca6b) ^ s;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35) ^ d;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ pd;
  h = Math.imul(h ^ (h >>> 16), 0x165667b1);
  return h ^ (h >>> 15);
}

function portKey(pe: number, de: number, proto: number, dport: number): number {
  return (pe ? (proto + 1) << 17 : 0) | (de ? dport + 1 : 0);
}

export interface ClassifierStats {
  tables: number;
  buckets: number;
  maxBucket: number;
  rowsIndexed: number;
}

export class CompiledClassifier {
  readonly builtForVersion: number;
  private readonly nTables: number;
  private readonly tSmask: Int32Array;
  private readonly tDmask: Int32Array;
  private readonly tPe: Uint8Array;
  private readonly tDe: Uint8Array;
  private readonly tMinLine: Int32Array;
  private readonly hash: Int32Array;
  private readonly hashMask: number;
  private readonly cand: Int32Array;
  private readonly info: ClassifierStats;

  constructor(readonly table: RuleTable) {
    this.builtForVersion = table.addressVersion;
    const tables = buildTables(table);
    tables.sort((a, b) => a.minLine - b.minLine);
    const n = tables.length;
    this.nTables = n;
    this.tSmask = new Int32Array(n);
    this.tDmask = new Int32Array(n);
    this.tPe = new Uint8Array(n);
    this.tDe = new Uint8Array(n);
    this.tMinLine = new Int32Array(n);
    let bucketCount = 0;
    let candCount = 0;
    let maxBucket = 0;
    for (let t = 0; t < n; t++) {
      const bt = tables[t];
      this.tSmask[t] = prefixMask(bt.sl) | 0;
      this.tDmask[t] = prefixMask(bt.dl) | 0;
      this.tPe[t] = bt.pe;
      this.tDe[t] = bt.de;
      this.tMinLine[t] = bt.minLine;
      bucketCount += bt.buckets.size;
      for (const b of bt.buckets.values()) {
        b.rows = [...new Set(b.rows)].sort((x, y) => x - y);
        candCount += b.rows.length;
        if (b.rows.length > maxBucket) maxBucket = b.rows.length;
      }
    }
    let cap = 16;
    while (cap < bucketCount * 2) cap <<= 1;
    this.hash = new Int32Array(cap * STRIDE);
    this.hashMask = cap - 1;
    this.cand = new Int32Array(candCount);
    let off = 0;
    for (let t = 0; t < n; t++) {
      for (const b of tables[t].buckets.values()) {
        let h = tupleHash(t + 1, b.s, b.d, b.pd) & this.hashMask;
        while (this.hash[h * STRIDE] !== 0) h = (h + 1) & this.hashMask;
        const base = h * STRIDE;
        this.hash[base] = t + 1;
        this.hash[base + 1] = b.s;
        this.hash[base + 2] = b.d;
        this.hash[base + 3] = b.pd;
        this.hash[base + 4] = off;
        this.hash[base + 5] = b.rows.length;
        for (const r of b.rows) this.cand[off++] = r;
      }
    }
    this.info = { tables: n, buckets: bucketCount, maxBucket, rowsIndexed: candCount };
  }

  stats(): ClassifierStats {
    return { ...this.info };
  }

  /** Row index of the best (lowest-line) matching row after line `afterLine`, or -1. */
  classify(dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number, afterLine = -1): number {
    const table = this.table;
    const line = table.line;
    const H = this.hash;
    const cand = this.cand;
    const mask = this.hashMask;
    const nT = this.nTables;
    let best = 0x7fffffff;
    let bestRow = -1;
    for (let t = 0; t < nT; t++) {
      if (this.tMinLine[t] >= best) break;
      const s = src & this.tSmask[t];
      const d = dst & this.tDmask[t];
      const pd = (this.tPe[t] !== 0 ? (proto + 1) << 17 : 0) | (this.tDe[t] !== 0 ? dport + 1 : 0);
      const tk = t + 1;
      let h = tupleHash(tk, s, d, pd) & mask;
      for (;;) {
        const base = h * STRIDE;
        const k = H[base];
        if (k === 0) break;
        if (k === tk && H[base + 1] === s && H[base + 2] === d && H[base + 3] === pd) {
          const end = H[base + 4] + H[base + 5];
          for (let i = H[base + 4]; i < end; i++) {
            const row = cand[i];
            const ln = line[row];
            if (ln >= best) break;
            if (ln <= afterLine) continue;
            if (table.matches(row, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode)) {
              best = ln;
              bestRow = row;
              break;
            }
          }
          break;
        }
        h = (h + 1) & mask;
      }
    }
    return bestRow;
  }
}

/** Index covers of one side: prefixes the row can be hashed under (wildcard when too many). */
function sideCovers(t: RuleTable, row: number, side: 0 | 1): [number, number][] | null {
  const kind = side === 0 ? t.sKind[row] : t.dKind[row];
  const neg = (side === 0 ? t.sNeg[row] : t.dNeg[row]) === 1;
  if (kind === AddrKind.Any) return [[0, 0]];
  if (kind === AddrKind.None) return neg ? [[0, 0]] : null;
  if (neg) return [[0, 0]];
  if (kind === AddrKind.Prefix) {
    const mask = side === 0 ? t.sMask[row] : t.dMask[row];
    const net = side === 0 ? t.sNet[row] : t.dNet[row];
    return [[net >>> 0, 32 - Math.clz32(~mask >>> 0 === 0 ? 0 : ~mask) === 32 ? popcount(mask) : popcount(mask)]];
  }
  const iv = t.sideIntervals(row, side);
  const out: [number, number][] = [];
  for (let i = 0; i < iv.lo.length; i++) if (!prefixCover(iv.lo[i], iv.hi[i], out, MAX_SIDE_COVER)) return [[0, 0]];
  return out;
}

function popcount(x: number): number {
  let v = x >>> 0;
  let c = 0;
  while (v) {
    v &= v - 1;
    c++;
  }
  return c;
}

function buildTables(t: RuleTable): BuildTable[] {
  const tables: BuildTable[] = [];
  const byTuple = new Map<string, BuildTable>();
  for (let row = 0; row < t.count; row++) {
    let src = sideCovers(t, row, 0);
    let dst = sideCovers(t, row, 1);
    if (!src || !dst) continue; // an empty address set: the row can never match
    if (src.length * dst.length > MAX_ITEM_PRODUCT) {
      if (src.length >= dst.length) src = [[0, 0]];
      else dst = [[0, 0]];
    }
    const proto = t.proto[row];
    const pe = proto >= 0 ? 1 : 0;
    const de = t.dpLo[row] === t.dpHi[row] ? 1 : 0;
    const dport = t.dpLo[row];
    const line = t.line[row];
    for (const [sNet, sl] of src) for (const [dNet, dl] of dst) {
      let placed = false;
      for (const bt of tables) {
        if (bt.sl > sl || bt.dl > dl || bt.pe > pe || bt.de > de) continue;
        const s = (sNet & prefixMask(bt.sl)) | 0;
        const d = (dNet & prefixMask(bt.dl)) | 0;
        const pd = portKey(bt.pe, bt.de, proto, dport);
        const key = `${s},${d},${pd}`;
        const bucket = bt.buckets.get(key);
        const exact = bt.sl === sl && bt.dl === dl && bt.pe === pe && bt.de === de;
        if (bucket && bucket.rows.length >= COLLISION_LIMIT && !exact) continue;
        if (bucket) bucket.rows.push(row);
        else bt.buckets.set(key, { s, d, pd, rows: [row] });
        if (line < bt.minLine) bt.minLine = line;
        placed = true;
        break;
      }
      if (placed) continue;
      let tuple = [gridDown(sl), gridDown(dl), pe, de];
      if (byTuple.has(tuple.join('/'))) tuple = [sl, dl, pe, de];
      const bt: BuildTable = { sl: tuple[0], dl: tuple[1], pe, de, minLine: line, buckets: new Map() };
      byTuple.set(tuple.join('/'), bt);
      tables.push(bt);
      const s = (sNet & prefixMask(bt.sl)) | 0;
      const d = (dNet & prefixMask(bt.dl)) | 0;
      const pd = portKey(pe, de, proto, dport);
      bt.buckets.set(`${s},${d},${pd}`, { s, d, pd, rows: [row] });
    }
  }
  return tables;
}
