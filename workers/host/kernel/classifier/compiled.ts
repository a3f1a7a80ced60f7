/**
 * Priority-ordered tuple space search with merged tuples (after TupleMerge, Daly et al.).
 *
 * A tuple is (src prefix length, dst prefix length, dst port exact?). Each table hashes its rows
 * by the header bits its tuple keeps; a row may sit in a table whose tuple is coarser than its
 * own (the "merge"), so buckets hold candidate runs. A new table opens with a relaxed tuple
 * (lengths snapped down to a 16-bit grid, port left out), and when that one exists, an 8-, then a
 * 4-bit grid, then the row's own lengths, then with its destination port too (the per-port split
 * fw-like sets need: many rules share addresses and differ in port). Rows whose 16-grid key more
 * than COLLISION_LIMIT rows share, and that name one destination port, take port-keyed tables
 * from the start. A bucket takes at most COLLISION_LIMIT rows (8 in a table keeping fewer than
 * 16 bits), except in a table of the row's exact tuple (see tuple-build.ts). Before all that,
 * "leading" tables take TupleMerge's offline choice: the tuple holding the longest run of the
 * highest-priority rows left, while that run is at least an eighth of them (ClassBench fw2: 5574
 * of 9642 rows in one /14-/0 table, 6.75 tables a lookup → 1.38). Tables are probed in order of their best (lowest) line and the
 * walk stops once no later table can beat the match in hand. Each table has its own
 * open-addressing hash over an Int32Array and a small bit filter that turns away most misses in
 * cache; candidate records carry their line, ports, protocol and direction, so most candidates
 * are turned away without reading their row.
 *
 * Measured on ClassBench acl1/fw1 10k with corner traces: fewer, larger tables (no priority
 * bands unless buckets pile up, limit 40, 0/16/32 grid) probe 3.6 and 5.1 tables a lookup instead of 11.5 and 21.9.
 */
import { AddrKind, type RuleTable } from './rule-table';
import { slotHash, TupleBuild } from './tuple-build';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const AddrKind_Any = AddrKind.Any;
const AddrKind_Prefix = AddrKind.Prefix;

const STRIDE = 4;
/** Ints per candidate record. */
const CAND = 7;
/**
 * Set in a candidate's protocol word when the record decides the match alone: both sides a
 * plain prefix (or any), no negation, no ICMP type. Only other rows read their row in the table.
 */
const SELF_CONTAINED = 1 << 11;
/** Filter bits come from the hash's upper half, independent of the slot bits. */
const FILTER_SHIFT = 11;

interface ClassifierStats {
  tables: number;
  /** Tables that each hold a long run of the highest-priority rows (TupleMerge's offline choice). */
  leading: number;
  buckets: number;
  maxBucket: number;
  rowsIndexed: number;
}

/** Per-table fields in `meta`, one cache line per table. */
const M_SMASK = 0;
const M_DMASK = 1;
/** Non-zero when the table's key includes the destination port. */
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
   * SELF_CONTAINED | source prefix length << 12 | destination prefix length << 18, source net,
   * destination net; a side matches when clz32(ip ^ net) >= its length), so most candidates are
   * decided without reading their row (one cache miss fewer a lookup on ClassBench sets).
   */
  private readonly cand: Int32Array;
  private readonly info: ClassifierStats;

  constructor(readonly table: RuleTable) {
    this.builtForVersion = table.addressVersion;
    const build = TupleBuild.of(table);
    const tables = [...build.tables].sort((a, b) => a.minLine - b.minLine);
    const n = tables.length;
    this.nTables = n;
    const meta = (this.meta = new Int32Array(n * META));
    /** Table id → its meta offset (tables in order of their best line). */
    const metaOf = new Int32Array(n);
    let slotInts = 0;
    let filterWords = 0;
    for (let t = 0; t < n; t++) {
      const bt = tables[t];
      const m = t * META;
      metaOf[bt.id] = m;
      let cap = 4;
      while (cap < bt.buckets * 2) cap <<= 1;
      let bits = 64;
      while (bits < bt.buckets * 8) bits <<= 1;
      meta[m + M_SMASK] = bt.smask;
      meta[m + M_DMASK] = bt.dmask;
      meta[m + M_PDSEL] = bt.de ? 2 : 0;
      meta[m + M_MINLINE] = bt.minLine;
      meta[m + M_HBASE] = slotInts;
      meta[m + M_HMASK] = cap - 1;
      meta[m + M_FBASE] = filterWords;
      meta[m + M_FMASK] = bits - 1;
      slotInts += cap * STRIDE;
      filterWords += bits >>> 5;
    }
    const nb = build.buckets;
    const C = (this.cand = new Int32Array(1 + nb + build.links * CAND));
    const H = (this.slots = new Int32Array(slotInts));
    const F = (this.filters = new Int32Array(filterWords));
    const { bS, bD, bPD, bTable, bCount, bFirst, linkRow, linkNext } = build;
    const { line, dpLo, dpHi, spLo, spHi, proto, dirMask, sKind, dKind, sNet, sMask, dNet, dMask } = table;
    let maxBucket = 0;
    let off = 1;
    for (let b = 0; b < nb; b++) {
      const m = metaOf[bTable[b]];
      const bs = bS[b];
      const bd = bD[b];
      const bpd = bPD[b];
      const full = slotHash(bs, bd, bpd);
      const fb = (full >>> FILTER_SHIFT) & meta[m + M_FMASK];
      const fbase = meta[m + M_FBASE];
      F[fbase + (fb >>> 5)] |= 1 << (fb & 31);
      const hbase = meta[m + M_HBASE];
      const mask = meta[m + M_HMASK];
      let h = full & mask;
      while (H[hbase + h * STRIDE + 3] !== 0) h = (h + 1) & mask;
      const at = hbase + h * STRIDE;
      H[at] = bs;
      H[at + 1] = bd;
      H[at + 2] = bpd;
      H[at + 3] = off;
      const rows = bCount[b];
      if (rows > maxBucket) maxBucket = rows;
      C[off++] = rows;
      for (let link = bFirst[b]; link >= 0; link = linkNext[link]) {
        const r = linkRow[link];
        const sPrefix = sKind[r] === AddrKind_Prefix;
        const dPrefix = dKind[r] === AddrKind_Prefix;
        C[off] = line[r];
        C[off + 1] = r;
        C[off + 2] = dpLo[r] | (dpHi[r] << 16);
        C[off + 3] = spLo[r] | (spHi[r] << 16);
        const sLen = sPrefix ? Math.clz32(~sMask[r]) : 0; // leading ones
        const dLen = dPrefix ? Math.clz32(~dMask[r]) : 0;
        C[off + 4] = (proto[r] + 1) | (dirMask[r] << 9) | (selfContained(table, r) ? SELF_CONTAINED : 0) | (sLen << 12) | (dLen << 18);
        C[off + 5] = sPrefix ? sNet[r] : 0;
        C[off + 6] = dPrefix ? dNet[r] : 0;
        off += CAND;
      }
    }
    this.info = { tables: n, leading: build.leading, buckets: nb, maxBucket, rowsIndexed: build.links };
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
    const pdPort = dport + 1;
    let best = 0x7fffffff;
    let bestRow = -1;
    for (let m = 0; m < end; m += META) {
      if (meta[m + M_MINLINE] >= best) break;
      const s = src & meta[m + M_SMASK];
      const d = dst & meta[m + M_DMASK];
      const pd = meta[m + M_PDSEL] !== 0 ? pdPort : 0;
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
            if (Math.clz32(src ^ cand[i + 5]) < ((pdir >>> 12) & 63) || Math.clz32(dst ^ cand[i + 6]) < pdir >>> 18) {
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
  return t.icmpType[row] < 0 && plainSide(t.sKind[row], t.sNeg[row], t.sNet[row], t.sMask[row]) && plainSide(t.dKind[row], t.dNeg[row], t.dNet[row], t.dMask[row]);
}

function plainSide(kind: number, neg: number, net: number, mask: number): boolean {
  // A prefix whose net has bits past its mask matches nothing; the length check would let it through.
  return neg === 0 && (kind === AddrKind_Any || (kind === AddrKind_Prefix && (net & mask) === net));
}
