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
 * of 9642 rows in one /14-/0 table, 6.75 tables a lookup → 1.38). Tables are probed in order of their best (lowest) row and the
 * walk stops once no later table can beat the match in hand. Each table has its own
 * open-addressing hash over an Int32Array and a small bit filter that turns away most misses in
 * cache; candidate records carry their row, ports, protocol, direction and nets, so most
 * candidates are decided without reading their row in the table. A slot carries its bucket's first row (most buckets
 * have one), and a long bucket of a table without a port key sends its single-port rows to port
 * groups hashed in the same table (see port-groups.ts).
 *
 * Measured on ClassBench acl1/fw1 10k with corner traces: fewer, larger tables (no priority
 * bands unless buckets pile up, limit 40, 0/16/32 grid) probe 3.6 and 5.1 tables a lookup instead of 11.5 and 21.9.
 */
import { AddrKind, type RuleTable } from './rule-table';
import { splitBuckets } from './port-groups';
import { slotHash, TupleBuild } from './tuple-build';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const AddrKind_Any = AddrKind.Any;
const AddrKind_Prefix = AddrKind.Prefix;

/**
 * Ints per slot (32 bytes, one cache line): source and destination of the key, port key, remainder
 * offset (0 = empty slot), then the bucket's first row, its destination ports, source ports and
 * protocol word. The key's addresses are the first row's own nets when its record decides its
 * match (SELF_CONTAINED; they mask to the key), so one slot serves both the probe and the check.
 */
const STRIDE = 8;
/** Ints per remainder row: row, destination ports, source ports, protocol word, source net, destination net. */
const REC = 6;
/** The shared remainder of buckets of one row: no rows. */
const NO_REST = 1;
/**
 * Past every row: an entry whose first row is this holds no row of its own. Rows are in priority
 * order (a line's rows are consecutive), so the lowest matching row is the first match.
 */
const NO_ROW = 0x7fffffff;
/**
 * Set in a candidate's protocol word when the record decides the match alone: both sides a
 * plain prefix (or any), no negation, no ICMP type. Only other rows read their row in the table.
 */
const SELF_CONTAINED = 1 << 11;
/**
 * Entries above which a table's slots are sized for a load of up to 0.8 rather than 0.5: such a
 * table's slots leave the cache either way, and fewer bytes mean fewer misses (ClassBench acl1
 * 100k: one table of 100k one-row buckets, 8 → 4 MB of slots, lookups 1.6× faster).
 */
const DENSE_ENTRIES = 16384;
/** Filter bits come from the hash's upper half, independent of the slot bits. */
const FILTER_SHIFT = 11;

/** A port range as one int: low port | (high - low) << 16, so `inSpan` needs one unsigned compare. */
function portSpan(lo: number, hi: number): number {
  return lo | ((hi - lo) << 16);
}

function inSpan(port: number, span: number): boolean {
  return (port - (span & 0xffff)) >>> 0 <= span >>> 16;
}

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
/** The table's first (best) row. */
const M_MINROW = 3;
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
  /** META ints per table, tables in order of their best row. */
  private readonly meta: Int32Array;
  /**
   * Every table's open-addressing slots of STRIDE ints, one table after another. A slot holds its
   * bucket's key and its first row, so a bucket of one row (most of them on ClassBench acl sets)
   * is decided by one cache line (acl1 100k: one line a lookup where a slot and its first row's
   * side array had been two).
   */
  private readonly slots: Int32Array;
  /**
   * Per table a small bit filter of its bucket hashes, sized to stay in cache: most probes are
   * for tables the header has no bucket in, and this answers those without touching the slots.
   */
  private readonly filters: Int32Array;
  /**
   * The rest of each bucket's rows (after its first), in row order: rest[off] = k, then k records
   * of REC ints (row, destination ports, source ports as portSpan, protocol word, source net,
   * destination net). The protocol word is protocol + 1 | direction << 9 | SELF_CONTAINED |
   * source prefix length << 12 | destination prefix length << 18; a side matches when
   * clz32(ip ^ net) >= its length. Candidates turned away by ports (most of them on ClassBench
   * acl sets: rows of one address pair and different services) read only their first three ints.
   */
  private readonly rest: Int32Array;
  private readonly info: ClassifierStats;

  constructor(readonly table: RuleTable) {
    this.builtForVersion = table.addressVersion;
    const build = TupleBuild.of(table);
    const tables = [...build.tables].sort((a, b) => a.minRow - b.minRow);
    const n = tables.length;
    this.nTables = n;
    const splits = splitBuckets(build, table, (id) => build.tables[id].de === 1);
    const { bS, bD, bPD, bTable, bCount, bFirst, linkRow, linkNext } = build;
    const nb = build.buckets;
    /** Slots each table needs (table id → its buckets and port groups), and the ints of every bucket's rest. */
    const entries = new Int32Array(n);
    let restInts = NO_REST + 1;
    for (let b = 0; b < nb; b++) {
      const split = splits.get(b);
      entries[bTable[b]] += 1 + (split ? split.byPort.size : 0);
      if (!split) restInts += restSize(bCount[b]);
      else {
        restInts += restSize(split.ranged.length);
        for (const rows of split.byPort.values()) restInts += restSize(rows.length);
      }
    }
    const meta = (this.meta = new Int32Array(n * META));
    /** Table id → its meta offset (tables in order of their best row). */
    const metaOf = new Int32Array(n);
    let slotInts = 0;
    let filterWords = 0;
    for (let t = 0; t < n; t++) {
      const bt = tables[t];
      const m = t * META;
      metaOf[bt.id] = m;
      let cap = 4;
      const slotsPerEntry = entries[bt.id] > DENSE_ENTRIES ? 1.25 : 2;
      while (cap < entries[bt.id] * slotsPerEntry) cap <<= 1;
      let bits = 64;
      while (bits < bt.buckets * 8) bits <<= 1;
      meta[m + M_SMASK] = bt.smask;
      meta[m + M_DMASK] = bt.dmask;
      meta[m + M_PDSEL] = bt.de ? 2 : 0;
      meta[m + M_MINROW] = bt.minRow;
      meta[m + M_HBASE] = slotInts;
      meta[m + M_HMASK] = cap - 1;
      meta[m + M_FBASE] = filterWords;
      meta[m + M_FMASK] = bits - 1;
      slotInts += cap * STRIDE;
      filterWords += bits >>> 5;
    }
    this.slots = new Int32Array(slotInts);
    this.rest = new Int32Array(restInts);
    const F = (this.filters = new Int32Array(filterWords));
    const writer = new EntryWriter(table, meta, this.slots, this.rest);
    let maxBucket = 0;
    let rows = new Int32Array(64);
    for (let b = 0; b < nb; b++) {
      const m = metaOf[bTable[b]];
      const full = slotHash(bS[b], bD[b], bPD[b]);
      const fb = (full >>> FILTER_SHIFT) & meta[m + M_FMASK];
      F[meta[m + M_FBASE] + (fb >>> 5)] |= 1 << (fb & 31);
      const count = bCount[b];
      if (count > maxBucket) maxBucket = count;
      if (count > rows.length) rows = new Int32Array(count * 2);
      const split = splits.get(b);
      if (split) {
        // Copied into `rows`: write() then reads one kind of array (number[] beside Int32Array doubled the 10k build).
        rows.set(split.ranged);
        writer.write(m, bS[b], bD[b], bPD[b], rows, split.ranged.length, true);
        for (const [port, group] of split.byPort) {
          rows.set(group);
          writer.write(m, bS[b], bD[b], port + 1, rows, group.length, false);
        }
        continue;
      }
      for (let link = bFirst[b], i = 0; link >= 0; link = linkNext[link]) rows[i++] = linkRow[link];
      writer.write(m, bS[b], bD[b], bPD[b], rows, count, false);
    }
    this.info = { tables: n, leading: build.leading, buckets: nb, maxBucket, rowsIndexed: build.links };
  }

  stats(): ClassifierStats {
    return { ...this.info };
  }

  /** Bytes of the index's typed arrays (the rule table's are counted by the table). */
  byteLength(): number {
    return this.meta.byteLength + this.slots.byteLength + this.filters.byteLength + this.rest.byteLength;
  }

  /** Row index of the first matching row after line `afterLine` (rows ascend by line), or -1. */
  classify(dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number, afterLine = -1): number {
    const meta = this.meta;
    const H = this.slots;
    const F = this.filters;
    const end = this.nTables * META;
    const pdPort = dport + 1;
    const afterRow = afterLine < 0 ? -1 : lastRowOfLine(this.table.line, this.table.count, afterLine);
    let best = NO_ROW;
    for (let m = 0; m < end; m += META) {
      if (meta[m + M_MINROW] >= best) break;
      const sm = meta[m + M_SMASK];
      const dm = meta[m + M_DMASK];
      const s = src & sm;
      const d = dst & dm;
      const pd = meta[m + M_PDSEL] !== 0 ? pdPort : 0;
      const full = slotHash(s, d, pd);
      const fb = (full >>> FILTER_SHIFT) & meta[m + M_FMASK];
      if ((F[meta[m + M_FBASE] + (fb >>> 5)] & (1 << (fb & 31))) === 0) continue;
      const at = this.find(meta[m + M_HBASE], meta[m + M_HMASK], full, sm, dm, s, d, pd);
      if (at < 0) continue;
      best = this.scan(at, best, afterRow, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode);
      if (H[at + 3] > 0) continue;
      // A split bucket: the rows naming just this destination port are hashed under it.
      const group = this.find(meta[m + M_HBASE], meta[m + M_HMASK], slotHash(s, d, pdPort), sm, dm, s, d, pdPort);
      if (group >= 0) best = this.scan(group, best, afterRow, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode);
    }
    return best === NO_ROW ? -1 : best;
  }

  /** The slot of key (s, d, pd) in the table at `base` (whose masks are sm, dm), or -1. */
  private find(base: number, mask: number, full: number, sm: number, dm: number, s: number, d: number, pd: number): number {
    const H = this.slots;
    for (let h = full & mask; ; h = (h + 1) & mask) {
      const at = base + h * STRIDE;
      if (H[at + 3] === 0) return -1;
      if ((H[at] & sm) === s && (H[at + 1] & dm) === d && H[at + 2] === pd) return at;
    }
  }

  /** The first row of the entry at slot `at` that matches, after `afterRow` and before `best`; `best` when none. */
  private scan(at: number, best: number, afterRow: number, dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number): number {
    const H = this.slots;
    const R = this.rest;
    const table = this.table;
    const first = H[at + 4];
    if (first >= best) return best; // the rest of the entry comes later still
    if (first > afterRow && inSpan(dport, H[at + 5]) && inSpan(sport, H[at + 6]) && candidateMatches(table, H[at + 7], H[at], H[at + 1], first, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode)) return first;
    const off = Math.abs(H[at + 3]);
    const end = off + 1 + R[off] * REC;
    for (let i = off + 1; i < end; i += REC) {
      const row = R[i];
      if (row >= best) break;
      if (row <= afterRow || !inSpan(dport, R[i + 1]) || !inSpan(sport, R[i + 2])) continue;
      if (candidateMatches(table, R[i + 3], R[i + 4], R[i + 5], row, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode)) return row;
    }
    return best;
  }
}

/** The last row whose line is at most `line` (rows ascend by line), or -1. */
function lastRowOfLine(lines: Int32Array, count: number, line: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid] <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Ints an entry of `rows` rows takes in `rest` (its first row sits in its slot). */
function restSize(rows: number): number {
  return rows > 1 ? 1 + (rows - 1) * REC : 0;
}

/** Writes entries (a bucket, or a port group of a split one) into a table's slots and `rest`. */
class EntryWriter {
  private readonly fields: RowFields;
  /** Next free int in `rest`. */
  private off = NO_REST + 1;

  constructor(
    table: RuleTable,
    private readonly meta: Int32Array,
    private readonly slots: Int32Array,
    private readonly rest: Int32Array,
  ) {
    this.fields = new RowFields(table);
  }

  /** An entry of the table at meta offset `m`: key (s, d, pd), the first `count` of `rows` (in row order); `split` marks a bucket whose single-port rows are in port groups. */
  write(m: number, s: number, d: number, pd: number, rows: Int32Array, count: number, split: boolean): void {
    const { meta, slots: H, rest: R, fields } = this;
    const base = meta[m + M_HBASE];
    const mask = meta[m + M_HMASK];
    let h = slotHash(s, d, pd) & mask;
    while (H[base + h * STRIDE + 3] !== 0) h = (h + 1) & mask;
    const at = base + h * STRIDE;
    const off = count > 1 ? this.off : NO_REST;
    H[at] = s;
    H[at + 1] = d;
    H[at + 2] = pd;
    H[at + 3] = split ? -off : off;
    // A split bucket may keep no row of its own: its first row then never beats a match.
    H[at + 4] = NO_ROW;
    if (count === 0) return;
    fields.of(rows[0]);
    if ((fields.pdir & SELF_CONTAINED) !== 0) {
      H[at] = fields.sNet;
      H[at + 1] = fields.dNet;
    }
    H[at + 4] = rows[0];
    H[at + 5] = fields.dp;
    H[at + 6] = fields.sp;
    H[at + 7] = fields.pdir;
    if (count === 1) return;
    const k = count - 1;
    R[off] = k;
    for (let j = 0, o = off + 1; j < k; j++, o += REC) {
      const r = rows[j + 1];
      fields.of(r);
      R[o] = r;
      R[o + 1] = fields.dp;
      R[o + 2] = fields.sp;
      R[o + 3] = fields.pdir;
      R[o + 4] = fields.sNet;
      R[o + 5] = fields.dNet;
    }
    this.off = off + restSize(count);
  }
}

/** A row's fields as the index stores them (see CompiledClassifier.rest). */
class RowFields {
  dp = 0;
  sp = 0;
  pdir = 0;
  sNet = 0;
  dNet = 0;

  constructor(private readonly t: RuleTable) {}

  of(r: number): void {
    const t = this.t;
    const sPrefix = t.sKind[r] === AddrKind_Prefix;
    const dPrefix = t.dKind[r] === AddrKind_Prefix;
    const sLen = sPrefix ? Math.clz32(~t.sMask[r]) : 0; // leading ones
    const dLen = dPrefix ? Math.clz32(~t.dMask[r]) : 0;
    this.dp = portSpan(t.dpLo[r], t.dpHi[r]);
    this.sp = portSpan(t.spLo[r], t.spHi[r]);
    this.pdir = (t.proto[r] + 1) | (t.dirMask[r] << 9) | (selfContained(t, r) ? SELF_CONTAINED : 0) | (sLen << 12) | (dLen << 18);
    this.sNet = sPrefix ? t.sNet[r] : 0;
    this.dNet = dPrefix ? t.dNet[r] : 0;
  }
}

/** The rest of a candidate's check once its ports fit: direction, protocol, then addresses from its record or, unless self-contained, its row. */
function candidateMatches(table: RuleTable, pdir: number, sNet: number, dNet: number, row: number, dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number): boolean {
  if (((pdir >>> 9) & dirBit) === 0) return false;
  const rp = (pdir & 511) - 1;
  if (rp >= 0 && rp !== proto) return false;
  if ((pdir & SELF_CONTAINED) === 0) return table.matches(row, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode);
  return Math.clz32(src ^ sNet) >= ((pdir >>> 12) & 63) && Math.clz32(dst ^ dNet) >= pdir >>> 18;
}

/** The candidate record's fields decide this row: prefix or any on both sides, not negated, no ICMP type. */
function selfContained(t: RuleTable, row: number): boolean {
  return t.icmpType[row] < 0 && plainSide(t.sKind[row], t.sNeg[row], t.sNet[row], t.sMask[row]) && plainSide(t.dKind[row], t.dNeg[row], t.dNet[row], t.dMask[row]);
}

function plainSide(kind: number, neg: number, net: number, mask: number): boolean {
  // A prefix whose net has bits past its mask matches nothing; the length check would let it through.
  return neg === 0 && (kind === AddrKind_Any || (kind === AddrKind_Prefix && (net & mask) === net));
}
