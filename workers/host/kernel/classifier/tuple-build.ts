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
  minLine: number;
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

  /** The tables and buckets for `t`: without priority bands unless a bucket piles up past PILE_UP. */
  static of(t: RuleTable): TupleBuild {
    return new TupleBuild(t.count).fill(t, false) ?? new TupleBuild(t.count).fill(t, true)!;
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

  private newTable(band: number, sl: number, dl: number, de: number, line: number): TupleTable {
    const bt: TupleTable = { id: this.tables.length, band, sl, dl, de, smask: prefixMask(sl) | 0, dmask: prefixMask(dl) | 0, minLine: line, buckets: 0 };
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
  private static crowds(t: RuleTable, banded: boolean): KeyCounts {
    const covers = new Covers();
    const crowd = new KeyCounts(t.count);
    for (let row = 0; row < t.count; row++) {
      if (!covers.of(t, row)) continue;
      const band = banded ? bandOf(t.line[row]) : 0;
      for (let i = 0; i < covers.sn; i++) for (let j = 0; j < covers.dn; j++) crowd.add(crowdKey(band, covers.sNet[i], covers.sLen[i], covers.dNet[j], covers.dLen[j]));
    }
    return crowd;
  }

  /** The table a row opens when none takes it: the coarsest grid's tuple not there yet, else its own tuple. */
  private newTableFor(band: number, sl: number, dl: number, de: number, portFirst: boolean, line: number): TupleTable {
    const pe = portFirst ? 1 : 0;
    for (const grid of GRIDS) {
      const gs = gridDown(sl, grid);
      const gd = gridDown(dl, grid);
      if (!this.byTuple.has(`${band}/${gs}/${gd}/${pe}`)) return this.newTable(band, gs, gd, pe, line);
    }
    return this.byTuple.get(`${band}/${sl}/${dl}/${de}`) ?? this.newTable(band, sl, dl, de, line);
  }

  /** Places every row; null when, without bands, a bucket piles up past PILE_UP. */
  private fill(t: RuleTable, banded: boolean): TupleBuild | null {
    const covers = new Covers();
    const tables = this.tables;
    const crowd = TupleBuild.crowds(t, banded);
    for (let row = 0; row < t.count; row++) {
      if (!covers.of(t, row)) continue; // an empty address set: the row can never match
      const de = t.dpLo[row] === t.dpHi[row] ? 1 : 0;
      const dport = t.dpLo[row];
      const line = t.line[row];
      const band = banded ? bandOf(line) : 0;
      for (let i = 0; i < covers.sn; i++) for (let j = 0; j < covers.dn; j++) {
        const sNet = covers.sNet[i];
        const sl = covers.sLen[i];
        const dNet = covers.dNet[j];
        const dl = covers.dLen[j];
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
            if (this.add(bucket, row) > PILE_UP && !banded) return null;
          } else this.open(bt, s, d, pd, row);
          if (line < bt.minLine) bt.minLine = line;
          placed = true;
          break;
        }
        if (placed) continue;
        const bt = this.newTableFor(band, sl, dl, de, portFirst, line);
        this.open(bt, sNet & bt.smask, dNet & bt.dmask, portKey(bt.de, dport), row);
      }
    }
    return this;
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

  add(key: number): void {
    const h = this.slot(key);
    if (this.counts[h]++ !== 0) return;
    this.keys[h] = key;
    if (++this.used * 2 <= this.keys.length) return;
    const { keys, counts } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.counts = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (counts[i] !== 0) {
      const to = this.slot(keys[i]);
      this.keys[to] = keys[i];
      this.counts[to] = counts[i];
    }
  }

  get(key: number): number {
    return this.counts[this.slot(key)];
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
