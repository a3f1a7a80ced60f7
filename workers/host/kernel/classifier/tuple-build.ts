/**
 * The compiled classifier's build: which merged tuple table and which bucket each row goes to
 * (see compiled.ts for the tuples and the lookup). Everything a row opens or joins lives in
 * typed arrays that grow by doubling, and buckets are found through one open-addressing hash
 * keyed by (table, masked src, masked dst, port key): 100k rows open ~100k buckets, and an
 * object, an array and a Map entry each were most of the 100k build's time and its garbage.
 */
import { prefixMask } from '../../../protocol/addresses';
import { prefixCover } from './address-space';
import { AddrKind, type RuleTable } from './rule-table';

const AddrKind_Any = AddrKind.Any;
const AddrKind_None = AddrKind.None;
const AddrKind_Prefix = AddrKind.Prefix;

/** The band of the leading tables (see TupleBuild.leadingTables): never one a row-by-row placement looks for. */
const LEADING = -1;
/** A leading table must hold a run of at least 1/LEADING_SHARE of the rows left (4 and 16 measured: ClassBench acl3/acl5 probe 2 tables more with 4; 16 trades tables for candidates on acl4). */
const LEADING_SHARE = 8;
/** Bucket size above which a row opens a more specific table instead. */
export const COLLISION_LIMIT = 40;
/**
 * The same for a table whose key keeps fewer than 16 bits (a few address bits, no port): nearly
 * every lookup that visits it lands in one of its few buckets and reads the run (ClassBench fw2:
 * 40 rows of /1–/15 prefixes in the /0-/0 bucket, 19 candidates a lookup → 5.6).
 */
const COARSE_LIMIT = 8;
/** Prefix-length grids a new table snaps to, coarsest first (1: the row's own lengths). */
const GRIDS = [16, 8, 4, 1];
/** A bucket longer than this (only exact-tuple tables allow it) makes the build use priority bands. */
const PILE_UP = 2 * COLLISION_LIMIT;
/** A side with more prefixes than this is indexed as a wildcard (rows are always fully checked). */
const MAX_SIDE_COVER = 16;
const MAX_ITEM_PRODUCT = 64;

/** One merged tuple: the prefix lengths its hash keeps and whether it keys the destination port. */
interface TupleTable {
  id: number;
  band: number;
  sl: number;
  dl: number;
  de: number;
  smask: number;
  dmask: number;
  /** The table's first row (rows are in priority order, so its best). */
  minRow: number;
  buckets: number;
}

/**
 * Two multiplies: the probe loop runs this once per table it visits. Low bits pick the slot, upper
 * bits a filter bit. Each side is folded (x ^ x >>> 15) first: a key masked to /8 has 24 zero low
 * bits, which a product keeps, and /8 tables probed 30-60 slots a lookup without the fold.
 */
export function slotHash(s: number, d: number, pd: number): number {
  const h = Math.imul(s ^ (s >>> 15) ^ Math.imul(d ^ (d >>> 15) ^ pd, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}

/** The port part of a bucket's key: the destination port + 1 when the table keys it, else 0. */
function portKey(de: number, dport: number): number {
  return de ? dport + 1 : 0;
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function gridDown(len: number, grid: number): number {
  return len >= 32 ? 32 : len - (len % grid);
}

/** How many rows a bucket of `bt` takes from rows of a longer tuple. */
function limitOf(bt: TupleTable): number {
  return bt.sl + bt.dl + (bt.de ? 16 : 0) < 16 ? COARSE_LIMIT : COLLISION_LIMIT;
}

/** A row cover's key in the coarsest grid (16), for counting crowded ones; different keys may share a number. */
function crowdKey(band: number, sNet: number, sl: number, dNet: number, dl: number): number {
  const gs = gridDown(sl, 16);
  const gd = gridDown(dl, 16);
  const h = Math.imul(slotHash(sNet & (prefixMask(gs) | 0), dNet & (prefixMask(gd) | 0), (((gs << 6) | gd) << 8) | band), 0xc2b2ae35);
  return h ^ (h >>> 15);
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

export class TupleBuild {
  readonly tables: TupleTable[] = [];
  /** Buckets by id: masked src, masked dst, port key, table id, row count, first and last link. */
  bS: Int32Array;
  bD: Int32Array;
  bPD: Int32Array;
  bTable: Int32Array;
  bCount: Int32Array;
  bFirst: Int32Array;
  bLast: Int32Array;
  buckets = 0;
  /** Links: a row and the next link of its bucket (-1 ends); a bucket's rows ascend, without repeats. */
  linkRow: Int32Array;
  linkNext: Int32Array;
  links = 0;
  /** How many of the tables are leading tables (see leadingTables), all made before the others. */
  leading = 0;
  /** Open addressing: bucket id + 1 per slot (0 = empty). */
  private hash: Int32Array;
  private hashMask: number;
  private readonly byTuple = new Map<string, TupleTable>();

  private constructor(rows: number) {
    const cap = Math.max(16, rows + 8);
    this.bS = new Int32Array(cap);
    this.bD = new Int32Array(cap);
    this.bPD = new Int32Array(cap);
    this.bTable = new Int32Array(cap);
    this.bCount = new Int32Array(cap);
    this.bFirst = new Int32Array(cap);
    this.bLast = new Int32Array(cap);
    this.linkRow = new Int32Array(cap);
    this.linkNext = new Int32Array(cap);
    let h = 32;
    while (h < cap * 2) h <<= 1;
    this.hash = new Int32Array(h);
    this.hashMask = h - 1;
  }

  /**
   * The tables and buckets for `t`: first the tables that each hold a long run of the
   * highest-priority rows left (see leadingTables), then the rest row by row, without priority
   * bands unless a bucket piles up past PILE_UP.
   */
  static of(t: RuleTable): TupleBuild {
    const build = new TupleBuild(t.count);
    const items = new Items(t);
    const remain = new Int32Array(items.n);
    for (let i = 0; i < items.n; i++) remain[i] = i;
    const count = build.leadingTables(t, items, remain, items.n);
    const mark = { tables: build.tables.length, buckets: build.buckets, links: build.links };
    if (!build.fill(t, items, remain, count, false)) {
      build.rollback(mark);
      build.fill(t, items, remain, count, true);
    }
    return build;
  }

  /** Drops the tables, buckets and links made after `mark` (a placement without bands that piled up). */
  private rollback(mark: { tables: number; buckets: number; links: number }): void {
    for (const bt of this.tables.splice(mark.tables)) this.byTuple.delete(`${bt.band}/${bt.sl}/${bt.dl}/${bt.de}`);
    this.buckets = mark.buckets;
    this.links = mark.links;
    this.hash.fill(0);
    for (let b = 0; b < this.buckets; b++) this.insertHash(b);
  }

  private find(table: number, s: number, d: number, pd: number): number {
    const mask = this.hashMask;
    const H = this.hash;
    for (let h = (slotHash(s, d, pd) ^ Math.imul(table + 1, 0x27d4eb2d)) & mask; ; h = (h + 1) & mask) {
      const b = H[h] - 1;
      if (b < 0) return -1;
      if (this.bS[b] === s && this.bD[b] === d && this.bPD[b] === pd && this.bTable[b] === table) return b;
    }
  }

  private insertHash(b: number): void {
    const mask = this.hashMask;
    const H = this.hash;
    let h = (slotHash(this.bS[b], this.bD[b], this.bPD[b]) ^ Math.imul(this.bTable[b] + 1, 0x27d4eb2d)) & mask;
    while (H[h] !== 0) h = (h + 1) & mask;
    H[h] = b + 1;
  }

  private open(bt: TupleTable, s: number, d: number, pd: number, row: number): void {
    if (this.buckets === this.bS.length) {
      const size = this.bS.length * 2;
      this.bS = grow(this.bS, size);
      this.bD = grow(this.bD, size);
      this.bPD = grow(this.bPD, size);
      this.bTable = grow(this.bTable, size);
      this.bCount = grow(this.bCount, size);
      this.bFirst = grow(this.bFirst, size);
      this.bLast = grow(this.bLast, size);
    }
    const b = this.buckets++;
    this.bS[b] = s;
    this.bD[b] = d;
    this.bPD[b] = pd;
    this.bTable[b] = bt.id;
    const link = this.link(row);
    this.bFirst[b] = link;
    this.bLast[b] = link;
    this.bCount[b] = 1;
    bt.buckets++;
    if (this.buckets * 2 > this.hash.length) {
      this.hash = new Int32Array(this.hash.length * 2);
      this.hashMask = this.hash.length - 1;
      for (let i = 0; i < this.buckets; i++) this.insertHash(i);
    } else this.insertHash(b);
  }

  private link(row: number): number {
    if (this.links === this.linkRow.length) {
      this.linkRow = grow(this.linkRow, this.links * 2);
      this.linkNext = grow(this.linkNext, this.links * 2);
    }
    const link = this.links++;
    this.linkRow[link] = row;
    this.linkNext[link] = -1;
    return link;
  }

  /** Adds `row` unless it is already the bucket's last (another cover of the same row); answers the bucket's size. */
  private add(b: number, row: number): number {
    if (this.linkRow[this.bLast[b]] === row) return this.bCount[b];
    const link = this.link(row);
    this.linkNext[this.bLast[b]] = link;
    this.bLast[b] = link;
    return ++this.bCount[b];
  }

  private newTable(band: number, sl: number, dl: number, de: number, row: number): TupleTable {
    const bt: TupleTable = { id: this.tables.length, band, sl, dl, de, smask: prefixMask(sl) | 0, dmask: prefixMask(dl) | 0, minRow: row, buckets: 0 };
    this.byTuple.set(`${band}/${sl}/${dl}/${de}`, bt);
    this.tables.push(bt);
    return bt;
  }

  /**
   * How many row covers share each 16-grid key. Where more than COLLISION_LIMIT do, the first
   * ones would fill a coarse bucket that every later header of those networks scans (ClassBench
   * acl4: 40-row /16-/16 buckets of one server pair's services, 40 candidates a lookup): rows
   * there that name one destination port are keyed by it instead.
   */
  private static crowds(t: RuleTable, items: Items, remain: Int32Array, count: number, banded: boolean): KeyCounts {
    const crowd = new KeyCounts(count);
    for (let i = 0; i < count; i++) {
      const it = remain[i];
      const band = banded ? bandOf(t.line[items.row[it]]) : 0;
      crowd.add(crowdKey(band, items.sNet[it], items.sLen[it], items.dNet[it], items.dLen[it]));
    }
    return crowd;
  }

  /** The table a row opens when none takes it: the coarsest grid's tuple not there yet, else its own tuple. */
  private newTableFor(band: number, sl: number, dl: number, de: number, portFirst: boolean, row: number): TupleTable {
    const pe = portFirst ? 1 : 0;
    for (const grid of GRIDS) {
      const gs = gridDown(sl, grid);
      const gd = gridDown(dl, grid);
      if (!this.byTuple.has(`${band}/${gs}/${gd}/${pe}`)) return this.newTable(band, gs, gd, pe, row);
    }
    return this.byTuple.get(`${band}/${sl}/${dl}/${de}`) ?? this.newTable(band, sl, dl, de, row);
  }

  /** Places the first `count` covers of `remain` row by row; false when, without bands, a bucket piles up past PILE_UP. */
  private fill(t: RuleTable, items: Items, remain: Int32Array, count: number, banded: boolean): boolean {
    const tables = this.tables;
    const crowd = TupleBuild.crowds(t, items, remain, count, banded);
    for (let i = 0; i < count; i++) {
      const it = remain[i];
      const row = items.row[it];
      const de = items.de[it];
      const dport = items.dport[it];
      const line = t.line[row];
      const band = banded ? bandOf(line) : 0;
      const sNet = items.sNet[it];
      const sl = items.sLen[it];
      const dNet = items.dNet[it];
      const dl = items.dLen[it];
      let placed = false;
      // Rows of a crowded key that name one port go to tables keyed by it (see crowds()).
      const portFirst = de === 1 && crowd.get(crowdKey(band, sNet, sl, dNet, dl)) > COLLISION_LIMIT;
      for (let k = 0; k < tables.length; k++) {
        const bt = tables[k];
        if (bt.band !== band || bt.sl > sl || bt.dl > dl || bt.de > de || (portFirst && bt.de === 0)) continue;
        const s = sNet & bt.smask;
        const d = dNet & bt.dmask;
        const pd = portKey(bt.de, dport);
        const bucket = this.find(k, s, d, pd);
        if (bucket >= 0) {
          const exact = bt.sl === sl && bt.dl === dl && bt.de === de;
          if (this.bCount[bucket] >= limitOf(bt) && !exact) continue;
          if (this.add(bucket, row) > PILE_UP && !banded) return false;
        } else this.open(bt, s, d, pd, row);
        if (row < bt.minRow) bt.minRow = row;
        placed = true;
        break;
      }
      if (placed) continue;
      const bt = this.newTableFor(band, sl, dl, de, portFirst, row);
      if (row < bt.minRow) bt.minRow = row;
      this.open(bt, sNet & bt.smask, dNet & bt.dmask, portKey(bt.de, dport), row);
    }
    return true;
  }

  /**
   * TupleMerge's offline build, while it pays: a table takes the tuple that holds the longest
   * run of the highest-priority rows left (then every later row that fits it), so a header
   * matching inside the run stops after that one table. Once the best run is shorter than an
   * eighth of the rows left (fw-like sets: wildcards every few rows), the rest are placed row by
   * row. Leaves the rows left at the front of `remain`; answers how many.
   */
  private leadingTables(t: RuleTable, items: Items, remain: Int32Array, count: number): number {
    while (count > 0) {
      const tuple = chooseTuple(items, remain, count);
      if (tuple.run * LEADING_SHARE < count) return count;
      const bt = this.newTable(LEADING, tuple.sl, tuple.dl, tuple.de, items.row[remain[0]]);
      this.leading++;
      const limit = limitOf(bt);
      const k = this.tables.length - 1;
      let left = 0;
      for (let i = 0; i < count; i++) {
        const it = remain[i];
        if (items.sLen[it] < bt.sl || items.dLen[it] < bt.dl || items.de[it] < bt.de) {
          remain[left++] = it;
          continue;
        }
        const s = items.sNet[it] & bt.smask;
        const d = items.dNet[it] & bt.dmask;
        const pd = portKey(bt.de, items.dport[it]);
        const row = items.row[it];
        const bucket = this.find(k, s, d, pd);
        if (bucket < 0) this.open(bt, s, d, pd, row);
        else if (this.bCount[bucket] < limit) this.add(bucket, row);
        else {
          remain[left++] = it;
          continue;
        }
        if (row < bt.minRow) bt.minRow = row;
      }
      count = left;
    }
    return 0;
  }
}

/** Counts by a 32-bit key (open addressing in typed arrays: a Map of 100k numbers was a fifth of the 100k build). */
class KeyCounts {
  private keys: Int32Array;
  private counts: Int32Array;
  private used = 0;

  constructor(expected: number) {
    let size = 64;
    while (size < expected * 2) size <<= 1;
    this.keys = new Int32Array(size);
    this.counts = new Int32Array(size);
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let h = key & mask;
    while (this.counts[h] !== 0 && this.keys[h] !== key) h = (h + 1) & mask;
    return h;
  }

  /** Counts one more `key`; answers its count. */
  add(key: number): number {
    const h = this.slot(key);
    if (this.counts[h]++ !== 0) return this.counts[h];
    this.keys[h] = key;
    if (++this.used * 2 <= this.keys.length) return 1;
    const { keys, counts } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.counts = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (counts[i] !== 0) {
      const to = this.slot(keys[i]);
      this.keys[to] = keys[i];
      this.counts[to] = counts[i];
    }
    return 1;
  }

  get(key: number): number {
    return this.counts[this.slot(key)];
  }

  /** Forgets every count, keeping the arrays (chooseTuple counts a dozen tuples a build: fresh ones were megabytes of garbage). */
  clear(): void {
    this.counts.fill(0);
    this.used = 0;
  }
}

/** A row's index covers on each side: the prefixes it can be hashed under (a wildcard when too many). */
class Covers {
  readonly sNet = new Int32Array(MAX_SIDE_COVER + 1);
  readonly sLen = new Int32Array(MAX_SIDE_COVER + 1);
  readonly dNet = new Int32Array(MAX_SIDE_COVER + 1);
  readonly dLen = new Int32Array(MAX_SIDE_COVER + 1);
  sn = 0;
  dn = 0;

  /** Fills both sides; false when a side is an empty address set (the row never matches). */
  of(t: RuleTable, row: number): boolean {
    this.sn = side(t, row, 0, this.sNet, this.sLen);
    this.dn = side(t, row, 1, this.dNet, this.dLen);
    if (this.sn === 0 || this.dn === 0) return false;
    if (this.sn * this.dn > MAX_ITEM_PRODUCT) {
      if (this.sn >= this.dn) this.sn = wildcard(this.sNet, this.sLen);
      else this.dn = wildcard(this.dNet, this.dLen);
    }
    return true;
  }
}

function wildcard(nets: Int32Array, lens: Int32Array): number {
  nets[0] = 0;
  lens[0] = 0;
  return 1;
}

/** One side's covers into nets/lens; answers how many (0: an empty set, nothing matches). */
function side(t: RuleTable, row: number, which: 0 | 1, nets: Int32Array, lens: Int32Array): number {
  const kind = which === 0 ? t.sKind[row] : t.dKind[row];
  const neg = (which === 0 ? t.sNeg[row] : t.dNeg[row]) === 1;
  if (kind === AddrKind_Any || neg) return wildcard(nets, lens);
  if (kind === AddrKind_None) return 0;
  if (kind === AddrKind_Prefix) {
    const mask = which === 0 ? t.sMask[row] : t.dMask[row];
    nets[0] = which === 0 ? t.sNet[row] : t.dNet[row];
    lens[0] = mask === 0 ? 0 : Math.clz32(~mask); // leading ones
    return 1;
  }
  const iv = t.sideIntervals(row, which);
  const out: [number, number][] = [];
  for (let i = 0; i < iv.lo.length; i++) if (!prefixCover(iv.lo[i], iv.hi[i], out, MAX_SIDE_COVER)) return wildcard(nets, lens);
  for (let i = 0; i < out.length; i++) {
    nets[i] = out[i][0] | 0;
    lens[i] = out[i][1];
  }
  return out.length;
}

/** Every row's covers in line order, each with its own tuple (a row with set sides has several). */
class Items {
  row: Int32Array;
  sNet: Int32Array;
  sLen: Int32Array;
  dNet: Int32Array;
  dLen: Int32Array;
  de: Int32Array;
  dport: Int32Array;
  n = 0;

  constructor(t: RuleTable) {
    const cap = t.count + 8;
    this.row = new Int32Array(cap);
    this.sNet = new Int32Array(cap);
    this.sLen = new Int32Array(cap);
    this.dNet = new Int32Array(cap);
    this.dLen = new Int32Array(cap);
    this.de = new Int32Array(cap);
    this.dport = new Int32Array(cap);
    const covers = new Covers();
    for (let row = 0; row < t.count; row++) {
      if (!covers.of(t, row)) continue; // an empty address set: the row can never match
      const de = t.dpLo[row] === t.dpHi[row] ? 1 : 0;
      for (let i = 0; i < covers.sn; i++) for (let j = 0; j < covers.dn; j++) this.push(row, covers.sNet[i], covers.sLen[i], covers.dNet[j], covers.dLen[j], de, t.dpLo[row]);
    }
  }

  private push(row: number, sNet: number, sLen: number, dNet: number, dLen: number, de: number, dport: number): void {
    if (this.n === this.row.length) {
      const size = this.n * 2;
      this.row = grow(this.row, size);
      this.sNet = grow(this.sNet, size);
      this.sLen = grow(this.sLen, size);
      this.dNet = grow(this.dNet, size);
      this.dLen = grow(this.dLen, size);
      this.de = grow(this.de, size);
      this.dport = grow(this.dport, size);
    }
    const i = this.n++;
    this.row[i] = row;
    this.sNet[i] = sNet;
    this.sLen[i] = sLen;
    this.dNet[i] = dNet;
    this.dLen[i] = dLen;
    this.de[i] = de;
    this.dport[i] = dport;
  }
}

/**
 * The tuple for the next leading table. The running minimum of the rows' tuples, in line order,
 * gives a chain of ever coarser tuples, each fitting every row up to the next change (its end).
 * A coarser tuple's buckets only fill sooner, so "a bucket overflows before the end" holds from
 * some tuple of the chain on: a binary search finds it, and the longest run is that tuple's
 * (up to its overflow) or the one's before it (its whole run).
 */
function chooseTuple(items: Items, remain: Int32Array, count: number): { sl: number; dl: number; de: number; run: number } {
  const chain: number[] = []; // sl, dl, de, end per tuple
  let sl = 33;
  let dl = 33;
  let de = 2;
  const { sLen, dLen, de: itemDe } = items;
  for (let i = 0; i < count; i++) {
    const it = remain[i];
    if (sLen[it] >= sl && dLen[it] >= dl && itemDe[it] >= de) continue;
    if (chain.length) chain[chain.length - 1] = i;
    sl = Math.min(sl, sLen[it]);
    dl = Math.min(dl, dLen[it]);
    de = Math.min(de, itemDe[it]);
    chain.push(sl, dl, de, count);
  }
  const counts = new KeyCounts(Math.min(count, 1 << 16));
  const overflowAt = (k: number) => firstOverflow(items, remain, chain[k * 4 + 3], chain[k * 4], chain[k * 4 + 1], chain[k * 4 + 2], counts);
  let lo = 0;
  let hi = chain.length / 4 - 1;
  let hiOut = overflowAt(hi);
  if (hiOut === chain[hi * 4 + 3]) return { sl: chain[hi * 4], dl: chain[hi * 4 + 1], de: chain[hi * 4 + 2], run: hiOut };
  // chain[hi] overflows; find the first that does.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const out = overflowAt(mid);
    if (out < chain[mid * 4 + 3]) {
      hi = mid;
      hiOut = out;
    } else lo = mid + 1;
  }
  const before = hi > 0 ? chain[(hi - 1) * 4 + 3] : 0;
  const k = before > hiOut ? hi - 1 : hi;
  return { sl: chain[k * 4], dl: chain[k * 4 + 1], de: chain[k * 4 + 2], run: Math.max(before, hiOut) };
}

/** The index (in `remain`, below `end`) of the first cover whose bucket under this tuple is already full; `end` when none. */
function firstOverflow(items: Items, remain: Int32Array, end: number, sl: number, dl: number, de: number, counts: KeyCounts): number {
  const smask = prefixMask(sl) | 0;
  const dmask = prefixMask(dl) | 0;
  const limit = sl + dl + (de ? 16 : 0) < 16 ? COARSE_LIMIT : COLLISION_LIMIT;
  const { sNet, dNet, dport } = items;
  counts.clear();
  for (let i = 0; i < end; i++) {
    const it = remain[i];
    if (counts.add(slotHash(sNet[it] & smask, dNet[it] & dmask, portKey(de, dport[it]))) > limit) return i;
  }
  return end;
}
