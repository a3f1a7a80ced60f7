/**
 * Priority-ordered tuple space search with merged tuples (after TupleMerge, Daly et al.).
 *
 * A tuple is (src prefix length, dst prefix length, dst port exact?). Each table hashes its rows
 * by the header bits its tuple keeps; a row may sit in a table whose tuple is coarser than its
 * own (the "merge"), so buckets hold candidate runs. A new table opens with a relaxed tuple
 * (lengths snapped down to 0/16/32, port left out), and when that one exists, with the row's own
 * lengths, then with its destination port too (the per-port split fw-like sets need: many rules
 * share addresses and differ in port). A bucket takes at most COLLISION_LIMIT rows, except in a
 * table of the row's exact tuple. Tables are probed in order of their best (lowest) line and the
 * walk stops once no later table can beat the match in hand. Each table has its own
 * open-addressing hash over an Int32Array and a small bit filter that turns away most misses in
 * cache; candidate records carry their line, ports, protocol and direction, so most candidates
 * are turned away without reading their row.
 *
 * Measured on ClassBench acl1/fw1 10k with corner traces: fewer, larger tables (no priority
 * bands unless buckets pile up, limit 40, 0/16/32 grid) probe 3.6 and 5.1 tables a lookup instead of 11.5 and 21.9.
 */
import { prefixMask } from '../../../protocol/addresses';
import { prefixCover } from './address-space';
import { AddrKind, type RuleTable } from './rule-table';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const AddrKind_Any = AddrKind.Any;
const AddrKind_None = AddrKind.None;
const AddrKind_Prefix = AddrKind.Prefix;

/** Bucket size above which a row opens a more specific table instead. */
const COLLISION_LIMIT = 40;
/** A bucket longer than this (only exact-tuple tables allow it) makes the build use priority bands. */
const PILE_UP = 2 * COLLISION_LIMIT;
/** A side with more prefixes than this is indexed as a wildcard (rows are always fully checked). */
const MAX_SIDE_COVER = 16;
const MAX_ITEM_PRODUCT = 64;
const STRIDE = 4;
/** Ints per candidate record. */
const CAND = 9;
/**
 * Set in a candidate's protocol word when the record decides the match alone: both sides a
 * plain prefix (or any), no negation, no ICMP type. Only other rows read their row in the table.
 */
const SELF_CONTAINED = 1 << 11;
/** Filter bits come from the hash's upper half, independent of the slot bits. */
const FILTER_SHIFT = 11;

interface BuildTable {
  band: number;
  sl: number;
  dl: number;
  /** prefixMask(sl) and prefixMask(dl), read for every row the build offers this table. */
  smask: number;
  dmask: number;
  pe: number;
  de: number;
  minLine: number;
  /** Bucket ids in the order they opened. */
  buckets: number[];
  /** slotHash → first bucket id with that hash, the rest chained by Buckets.next. */
  byHash: Map<number, number>;
}

/**
 * Every bucket of a build as parallel arrays (a bucket is an id), its rows a linked list of
 * links: 100k rows open ~100k buckets, and an object plus an array each was most of the build's
 * garbage-collector time.
 */
class Buckets {
  readonly s: number[] = [];
  readonly d: number[] = [];
  readonly pd: number[] = [];
  /** Next bucket id with the same slot hash in the table, or -1. */
  readonly next: number[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  readonly count: number[] = [];
  /** Links: a row and the next link of its bucket (-1 ends), rows ascending and without repeats. */
  readonly linkRow: number[] = [];
  readonly linkNext: number[] = [];

  find(bt: BuildTable, s: number, d: number, pd: number): number {
    const h = slotHash(s, d, pd);
    for (let b = bt.byHash.get(h) ?? -1; b >= 0; b = this.next[b]) if (this.s[b] === s && this.d[b] === d && this.pd[b] === pd) return b;
    return -1;
  }

  open(bt: BuildTable, s: number, d: number, pd: number, row: number): void {
    const b = this.s.length;
    const h = slotHash(s, d, pd);
    this.s.push(s);
    this.d.push(d);
    this.pd.push(pd);
    this.next.push(bt.byHash.get(h) ?? -1);
    bt.byHash.set(h, b);
    bt.buckets.push(b);
    const link = this.linkRow.length;
    this.linkRow.push(row);
    this.linkNext.push(-1);
    this.first.push(link);
    this.last.push(link);
    this.count.push(1);
  }

  /** Adds `row` unless it is already the bucket's last (another cover of the same row); answers the bucket's size. */
  add(b: number, row: number): number {
    if (this.linkRow[this.last[b]] === row) return this.count[b];
    const link = this.linkRow.length;
    this.linkRow.push(row);
    this.linkNext.push(-1);
    this.linkNext[this.last[b]] = link;
    this.last[b] = link;
    return ++this.count[b];
  }
}

function gridDown(len: number): number {
  return len >= 32 ? 32 : len - (len % 16);
}

/** Two multiplies: the probe loop runs this once per table it visits. Low bits pick the slot, bits from FILTER_SHIFT up the filter bit. */
function slotHash(s: number, d: number, pd: number): number {
  const h = Math.imul(s ^ Math.imul(d ^ pd, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}

function portKey(pe: number, de: number, proto: number, dport: number): number {
  return (pe ? (proto + 1) << 17 : 0) | (de ? dport + 1 : 0);
}

interface ClassifierStats {
  tables: number;
  buckets: number;
  maxBucket: number;
  rowsIndexed: number;
}

/** Per-table fields in `meta`, one cache line per table. */
const M_SMASK = 0;
const M_DMASK = 1;
/** Bit 0: the port key includes the protocol; bit 1: it includes the destination port. */
const M_PDSEL = 2;
const M_MINLINE = 3;
/** Offset of the table's slots in `slots` (in ints). */
const M_HBASE = 4;
const M_HMASK = 5;
/** Offset of the table's filter in `filters` (in words). */
const M_FBASE = 6;
const M_FMASK = 7;
const META = 8;

export class CompiledClassifier {
  readonly builtForVersion: number;
  private readonly nTables: number;
  /** META ints per table, tables in order of their best line. */
  private readonly meta: Int32Array;
  /**
   * Every table's open-addressing slots of 4 ints (masked src, masked dst, port key, candidate
   * offset; offset 0 = empty), one table after another.
   */
  private readonly slots: Int32Array;
  /**
   * Per table a small bit filter of its bucket hashes, sized to stay in cache: most probes are
   * for tables the header has no bucket in, and this answers those without touching the slots.
   */
  private readonly filters: Int32Array;
  /**
   * Candidate runs: cand[off] = length, then that many records of CAND ints in line order (line,
   * row, destination ports lo | hi << 16, source ports likewise, protocol + 1 | direction << 9 |
   * SELF_CONTAINED, source net and mask, destination net and mask), so most candidates are
   * decided without reading their row (one cache miss fewer a lookup on ClassBench sets).
   */
  private readonly cand: Int32Array;
  private readonly info: ClassifierStats;

  constructor(readonly table: RuleTable) {
    this.builtForVersion = table.addressVersion;
    const build = buildTables(table, false) ?? buildTables(table, true)!;
    const { tables, buckets: B } = build;
    tables.sort((a, b) => a.minLine - b.minLine);
    const n = tables.length;
    this.nTables = n;
    this.meta = new Int32Array(n * META);
    let bucketCount = 0;
    let candCount = 1;
    let maxBucket = 0;
    let slotInts = 0;
    let filterWords = 0;
    const caps: number[] = [];
    const bitsOf: number[] = [];
    for (const bt of tables) {
      bucketCount += bt.buckets.length;
      for (const b of bt.buckets) {
        const rows = B.count[b];
        candCount += rows * CAND + 1;
        if (rows > maxBucket) maxBucket = rows;
      }
      let cap = 4;
      while (cap < bt.buckets.length * 2) cap <<= 1;
      let bits = 64;
      while (bits < bt.buckets.length * 8) bits <<= 1;
      caps.push(cap);
      bitsOf.push(bits);
      slotInts += cap * STRIDE;
      filterWords += bits >>> 5;
    }
    this.cand = new Int32Array(candCount);
    this.slots = new Int32Array(slotInts);
    this.filters = new Int32Array(filterWords);
    const H = this.slots;
    const F = this.filters;
    let off = 1;
    let hbase = 0;
    let fbase = 0;
    for (let t = 0; t < n; t++) {
      const bt = tables[t];
      const m = t * META;
      const cap = caps[t];
      const mask = cap - 1;
      const fmask = bitsOf[t] - 1;
      this.meta[m + M_SMASK] = bt.smask;
      this.meta[m + M_DMASK] = bt.dmask;
      this.meta[m + M_PDSEL] = (bt.pe ? 1 : 0) | (bt.de ? 2 : 0);
      this.meta[m + M_MINLINE] = bt.minLine;
      this.meta[m + M_HBASE] = hbase;
      this.meta[m + M_HMASK] = mask;
      this.meta[m + M_FBASE] = fbase;
      this.meta[m + M_FMASK] = fmask;
      const C = this.cand;
      for (const b of bt.buckets) {
        const bs = B.s[b];
        const bd = B.d[b];
        const bpd = B.pd[b];
        const full = slotHash(bs, bd, bpd);
        const fb = (full >>> FILTER_SHIFT) & fmask;
        F[fbase + (fb >>> 5)] |= 1 << (fb & 31);
        let h = full & mask;
        while (H[hbase + h * STRIDE + 3] !== 0) h = (h + 1) & mask;
        const at = hbase + h * STRIDE;
        H[at] = bs;
        H[at + 1] = bd;
        H[at + 2] = bpd;
        H[at + 3] = off;
        C[off++] = B.count[b];
        for (let link = B.first[b]; link >= 0; link = B.linkNext[link]) {
          const r = B.linkRow[link];
          const sPrefix = table.sKind[r] === AddrKind_Prefix;
          const dPrefix = table.dKind[r] === AddrKind_Prefix;
          C[off] = table.line[r];
          C[off + 1] = r;
          C[off + 2] = table.dpLo[r] | (table.dpHi[r] << 16);
          C[off + 3] = table.spLo[r] | (table.spHi[r] << 16);
          C[off + 4] = (table.proto[r] + 1) | (table.dirMask[r] << 9) | (selfContained(table, r) ? SELF_CONTAINED : 0);
          C[off + 5] = sPrefix ? table.sNet[r] : 0;
          C[off + 6] = sPrefix ? table.sMask[r] : 0;
          C[off + 7] = dPrefix ? table.dNet[r] : 0;
          C[off + 8] = dPrefix ? table.dMask[r] : 0;
          off += CAND;
        }
      }
      hbase += cap * STRIDE;
      fbase += bitsOf[t] >>> 5;
    }
    this.info = { tables: n, buckets: bucketCount, maxBucket, rowsIndexed: (candCount - 1 - bucketCount) / CAND };
  }

  stats(): ClassifierStats {
    return { ...this.info };
  }

  /** Bytes of the index's typed arrays (the rule table's are counted by the table). */
  byteLength(): number {
    return this.meta.byteLength + this.slots.byteLength + this.filters.byteLength + this.cand.byteLength;
  }

  /** Row index of the best (lowest-line) matching row after line `afterLine`, or -1. */
  classify(dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number, afterLine = -1): number {
    const table = this.table;
    const cand = this.cand;
    const meta = this.meta;
    const H = this.slots;
    const F = this.filters;
    const end = this.nTables * META;
    const pdProto = (proto + 1) << 17;
    const pdPort = dport + 1;
    let best = 0x7fffffff;
    let bestRow = -1;
    for (let m = 0; m < end; m += META) {
      if (meta[m + M_MINLINE] >= best) break;
      const s = src & meta[m + M_SMASK];
      const d = dst & meta[m + M_DMASK];
      const sel = meta[m + M_PDSEL];
      const pd = ((sel & 1) !== 0 ? pdProto : 0) | ((sel & 2) !== 0 ? pdPort : 0);
      const full = slotHash(s, d, pd);
      const fb = (full >>> FILTER_SHIFT) & meta[m + M_FMASK];
      if ((F[meta[m + M_FBASE] + (fb >>> 5)] & (1 << (fb & 31))) === 0) continue;
      const base = meta[m + M_HBASE];
      const mask = meta[m + M_HMASK];
      let h = full & mask;
      for (;;) {
        const at = base + (h << 2);
        const off = H[at + 3];
        if (off === 0) break;
        if (H[at] === s && H[at + 1] === d && H[at + 2] === pd) {
          const stop = off + 1 + cand[off] * CAND;
          for (let i = off + 1; i < stop; i += CAND) {
            const ln = cand[i];
            if (ln >= best) break;
            if (ln <= afterLine) continue;
            const dp = cand[i + 2];
            if (dport < (dp & 0xffff) || dport > dp >>> 16) continue;
            const sp = cand[i + 3];
            if (sport < (sp & 0xffff) || sport > sp >>> 16) continue;
            const pdir = cand[i + 4];
            if ((pdir >>> 9 & dirBit) === 0) continue;
            const rp = (pdir & 511) - 1;
            if (rp >= 0 && rp !== proto) continue;
            if ((src & cand[i + 6]) !== cand[i + 5] || (dst & cand[i + 8]) !== cand[i + 7]) {
              if ((pdir & SELF_CONTAINED) !== 0) continue;
            }
            const row = cand[i + 1];
            if ((pdir & SELF_CONTAINED) !== 0 || table.matches(row, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode)) {
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

/** The candidate record's fields decide this row: prefix or any on both sides, not negated, no ICMP type. */
function selfContained(t: RuleTable, row: number): boolean {
  return t.icmpType[row] < 0 && plainSide(t.sKind[row], t.sNeg[row]) && plainSide(t.dKind[row], t.dNeg[row]);
}

function plainSide(kind: number, neg: number): boolean {
  return neg === 0 && (kind === AddrKind_Any || kind === AddrKind_Prefix);
}

/** Index covers of one side: prefixes the row can be hashed under (wildcard when too many). */
function sideCovers(t: RuleTable, row: number, side: 0 | 1): [number, number][] | null {
  const kind = side === 0 ? t.sKind[row] : t.dKind[row];
  const neg = (side === 0 ? t.sNeg[row] : t.dNeg[row]) === 1;
  if (kind === AddrKind_Any) return [[0, 0]];
  if (kind === AddrKind_None) return neg ? [[0, 0]] : null;
  if (neg) return [[0, 0]];
  if (kind === AddrKind_Prefix) {
    const mask = side === 0 ? t.sMask[row] : t.dMask[row];
    const net = side === 0 ? t.sNet[row] : t.dNet[row];
    return [[net >>> 0, popcount(mask)]];
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

/**
 * Priority bands: with them tables never mix rows from different bands (the first 256 lines,
 * then 4× as many each), so a bucket of rows no hash can tell apart (same addresses, different
 * ports or protocols) is cut into short runs and a lookup that matches high stops early. They
 * double the tables a lookup probes on sets whose buckets stay short (ClassBench acl1 and fw1),
 * so they are used only when a build without them piles more than PILE_UP rows in one bucket
 * (the lab's generated firewall-shaped sets: many any-to-any rules on different services).
 */
function bandOf(line: number): number {
  let band = 0;
  for (let limit = 256; line >= limit; limit *= 4) band++;
  return band;
}

/** The tables for `t` and their buckets; without bands, null as soon as a bucket piles up past PILE_UP. */
function buildTables(t: RuleTable, banded: boolean): { tables: BuildTable[]; buckets: Buckets } | null {
  const tables: BuildTable[] = [];
  const B = new Buckets();
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
    // Protocol stays out of the tuple: it is checked on candidates, and hashing it doubled the tables.
    const pe = 0;
    const de = t.dpLo[row] === t.dpHi[row] ? 1 : 0;
    const dport = t.dpLo[row];
    const line = t.line[row];
    const band = banded ? bandOf(line) : 0;
    for (const [sNet, sl] of src) for (const [dNet, dl] of dst) {
      let placed = false;
      for (const bt of tables) {
        if (bt.band !== band || bt.sl > sl || bt.dl > dl || bt.pe > pe || bt.de > de) continue;
        const s = sNet & bt.smask;
        const d = dNet & bt.dmask;
        const pd = portKey(bt.pe, bt.de, proto, dport);
        const bucket = B.find(bt, s, d, pd);
        if (bucket >= 0) {
          const exact = bt.sl === sl && bt.dl === dl && bt.pe === pe && bt.de === de;
          if (B.count[bucket] >= COLLISION_LIMIT && !exact) continue;
          if (B.add(bucket, row) > PILE_UP && !banded) return null;
        } else B.open(bt, s, d, pd, row);
        if (line < bt.minLine) bt.minLine = line;
        placed = true;
        break;
      }
      if (placed) continue;
      // The relaxed tuple first, then the row's own lengths without and with its destination port.
      const tuple = [[band, gridDown(sl), gridDown(dl), pe, 0], [band, sl, dl, pe, 0], [band, sl, dl, pe, de]].find((x) => !byTuple.has(x.join('/'))) ?? [band, sl, dl, pe, de];
      const bt: BuildTable = { band, sl: tuple[1], dl: tuple[2], smask: prefixMask(tuple[1]) | 0, dmask: prefixMask(tuple[2]) | 0, pe, de: tuple[4], minLine: line, buckets: [], byHash: new Map() };
      byTuple.set(tuple.join('/'), bt);
      tables.push(bt);
      B.open(bt, sNet & bt.smask, dNet & bt.dmask, portKey(pe, bt.de, proto, dport), row);
    }
  }
  return { tables, buckets: B };
}
