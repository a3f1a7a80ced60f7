/**
 * The L3 rule table as struct-of-arrays: one row ("entry") per rule line × port-range
 * combination, in priority order. Both classifiers read it; neither owns a copy.
 *
 * Address sides are resolved at compile time into one of: any, a single prefix (checked as
 * `(ip & mask) === net`), a set of intervals (binary search), or none (an empty address set,
 * which matches nothing — the IP-discovery gap the lab teaches). Sides built from address
 * sets remember their set names so an address-set update rewrites only those fields,
 * without recompiling the rows.
 */
import type { AddressMatch, AddressSets } from '../../../protocol/ruleset';
import { inIntervals, mergeIntervals, parseAddressEntry, singlePrefixLength, type Intervals } from './address-space';
import { prefixMask } from '../../../protocol/addresses';

export const enum AddrKind {
  Any = 0,
  Prefix = 1,
  Set = 2,
  None = 3,
}

type AddressSpec = { prefix: [net: number, len: number]; negate?: boolean } | { match: AddressMatch };

export interface EntrySpec {
  /** Priority: position of the rule line in the table (0 = first). */
  line: number;
  /** 1 = in, 2 = out, 3 = inout. */
  dirMask: number;
  /** IP protocol, -1 = any. */
  proto: number;
  sport: [number, number];
  dport: [number, number];
  icmpType: number;
  icmpCode: number;
  src: AddressSpec;
  dst: AddressSpec;
}

export const DIR_IN = 1;
const ROW = 16;
export const DIR_OUT = 2;

/**
 * What a new table keeps of an old one: its first `head` rows, and its rows from `tailFrom` on
 * with their lines moved by `shift` (rules inserted or removed in between). The old table is
 * used up: when the new one has as many rows at the same lines, it takes over its arrays.
 */
export interface TableBase {
  table: RuleTable;
  head: number;
  tailFrom: number;
  shift: number;
}

interface SideMatcher {
  key: string;
  match: AddressMatch;
  kind: AddrKind;
  net: number;
  mask: number;
  intervals: Intervals;
}

const EMPTY_INTERVALS: Intervals = { lo: new Uint32Array(0), hi: new Uint32Array(0) };

export class RuleTable {
  readonly count: number;
  readonly line: Int32Array;
  readonly dirMask: Uint8Array;
  readonly proto: Int16Array;
  readonly spLo: Uint16Array;
  readonly spHi: Uint16Array;
  readonly dpLo: Uint16Array;
  readonly dpHi: Uint16Array;
  readonly icmpType: Int16Array;
  readonly icmpCode: Int16Array;
  readonly sKind: Uint8Array;
  readonly sNeg: Uint8Array;
  readonly sNet: Int32Array;
  readonly sMask: Int32Array;
  /** Matcher id for Set sides (index into setLo/setHi), -1 otherwise. */
  readonly sSet: Int32Array;
  readonly dKind: Uint8Array;
  readonly dNeg: Uint8Array;
  readonly dNet: Int32Array;
  readonly dMask: Int32Array;
  readonly dSet: Int32Array;
  /**
   * The same rows packed 16 ints each, so checking a candidate touches one cache line:
   * line, dirMask, proto, spLo, spHi, dpLo, dpHi, icmpType, icmpCode, sKind|sNeg<<4, sNet, sMask,
   * dKind|dNeg<<4, dNet, dMask, (spare).
   */
  readonly rows: Int32Array;
  setLo: Uint32Array[] = [];
  setHi: Uint32Array[] = [];
  /** Bumped whenever address fields change, so an index built on the old ones knows to rebuild. */
  addressVersion = 0;
  private readonly matchers: SideMatcher[] = [];
  private readonly matcherByKey = new Map<string, number>();
  /** Rows whose src (bit 0) / dst (bit 1) side uses matcher id. */
  private readonly matcherUsers: [row: number, side: number][][] = [];

  /**
   * `positions`, when given, are the entries' lines (priority) in place of their specs' `line`.
   * With `base`, the table is `base.table` with `specs` in place of the rows between its kept
   * head and tail (see TableBase): a publish that changes a few of 10k rules copies the rest.
   */
  /** Set once a newer table took this one's rows or arrays (RuleTable.from): it must not be built on again. */
  private spent = false;

  /**
   * A new table from `previous` (see TableBase), which it uses up: `previous` may hand its arrays
   * over, so building from it a second time would share rows with the first successor. That
   * second use throws.
   */
  static from(previous: RuleTable, specs: readonly EntrySpec[], sets: AddressSets, positions: readonly number[] | undefined, keep: Omit<TableBase, 'table'>): RuleTable {
    return new RuleTable(specs, sets, positions, { table: previous, ...keep });
  }

  /** Whether a newer table has used this one up. */
  get usedUp(): boolean {
    return this.spent;
  }

  constructor(specs: readonly EntrySpec[], sets: AddressSets = {}, positions?: readonly number[], base?: TableBase) {
    if (base?.table.spent) throw new Error('RuleTable: this table was used up by a newer one; build from the newest table');
    const head = base ? base.head : 0;
    const tail = base ? base.table.count - base.tailFrom : 0;
    const n = head + specs.length + tail;
    this.count = n;
    // A table with as many rows, at the same lines, is taken over rather than copied: half a
    // megabyte of fresh memory per filter and publish costs more than the rows it rewrites.
    const same = base && base.table.count === n && base.shift === 0 ? base.table : null;
    this.line = same?.line ?? new Int32Array(n);
    this.dirMask = same?.dirMask ?? new Uint8Array(n);
    this.proto = same?.proto ?? new Int16Array(n);
    this.spLo = same?.spLo ?? new Uint16Array(n);
    this.spHi = same?.spHi ?? new Uint16Array(n);
    this.dpLo = same?.dpLo ?? new Uint16Array(n);
    this.dpHi = same?.dpHi ?? new Uint16Array(n);
    this.icmpType = same?.icmpType ?? new Int16Array(n);
    this.icmpCode = same?.icmpCode ?? new Int16Array(n);
    this.sKind = same?.sKind ?? new Uint8Array(n);
    this.sNeg = same?.sNeg ?? new Uint8Array(n);
    this.sNet = same?.sNet ?? new Int32Array(n);
    this.sMask = same?.sMask ?? new Int32Array(n);
    this.sSet = same?.sSet ?? new Int32Array(n).fill(-1);
    this.dKind = same?.dKind ?? new Uint8Array(n);
    this.dNeg = same?.dNeg ?? new Uint8Array(n);
    this.dNet = same?.dNet ?? new Int32Array(n);
    this.dMask = same?.dMask ?? new Int32Array(n);
    this.dSet = same?.dSet ?? new Int32Array(n).fill(-1);
    this.rows = same?.rows ?? new Int32Array(n * ROW);
    if (base) {
      this.copyKept(base, specs.length, same !== null);
      base.table.spent = true;
    }
    for (let i = 0; i < specs.length; i++) {
      const e = head + i;
      const s = specs[i];
      const line = positions ? positions[i] : s.line;
      if (e > 0 && line < this.line[e - 1]) throw new Error('rule table entries must be in priority order');
      this.line[e] = line;
      this.dirMask[e] = s.dirMask;
      this.proto[e] = s.proto;
      this.spLo[e] = s.sport[0];
      this.spHi[e] = s.sport[1];
      this.dpLo[e] = s.dport[0];
      this.dpHi[e] = s.dport[1];
      this.icmpType[e] = s.icmpType;
      this.icmpCode[e] = s.icmpCode;
      const o = e * ROW;
      this.rows[o] = line;
      this.rows[o + 1] = s.dirMask;
      this.rows[o + 2] = s.proto;
      this.rows[o + 3] = s.sport[0];
      this.rows[o + 4] = s.sport[1];
      this.rows[o + 5] = s.dport[0];
      this.rows[o + 6] = s.dport[1];
      this.rows[o + 7] = s.icmpType;
      this.rows[o + 8] = s.icmpCode;
      this.setSide(e, 0, s.src, sets);
      this.setSide(e, 1, s.dst, sets);
    }
    if (base) {
      if (tail > 0 && n > tail && this.line[n - tail] < this.line[n - tail - 1]) throw new Error('rule table entries must be in priority order');
      this.collectMatcherUsers();
    }
  }

  /** Copies the base table's head and tail rows (the tail's lines shifted), unless its arrays were taken over, and its matchers. */
  private copyKept(base: TableBase, middle: number, tookArrays: boolean): void {
    const { table: b, head, tailFrom, shift } = base;
    const tailAt = head + middle;
    if (!tookArrays) this.copyRows(b, head, tailFrom, tailAt, shift);
    // Matchers are mutable (address-set updates re-resolve them): the new table gets its own.
    for (const m of b.matchers) {
      this.matchers.push({ ...m });
      this.setLo.push(m.intervals.lo);
      this.setHi.push(m.intervals.hi);
      this.matcherUsers.push([]);
    }
    for (const [key, id] of b.matcherByKey) this.matcherByKey.set(key, id);
  }

  private copyRows(b: RuleTable, head: number, tailFrom: number, tailAt: number, shift: number): void {
    const columns = ['line', 'dirMask', 'proto', 'spLo', 'spHi', 'dpLo', 'dpHi', 'icmpType', 'icmpCode', 'sKind', 'sNeg', 'sNet', 'sMask', 'sSet', 'dKind', 'dNeg', 'dNet', 'dMask', 'dSet'] as const;
    for (const c of columns) {
      const to = this[c] as Int32Array;
      const from = b[c] as Int32Array;
      to.set(from.subarray(0, head));
      to.set(from.subarray(tailFrom), tailAt);
    }
    this.rows.set(b.rows.subarray(0, head * ROW));
    this.rows.set(b.rows.subarray(tailFrom * ROW), tailAt * ROW);
    if (shift !== 0) {
      for (let e = tailAt; e < this.count; e++) {
        this.line[e] += shift;
        this.rows[e * ROW] += shift;
      }
    }
  }

  /**
   * After a patch: drops matchers only the replaced rows used (renumbering the rest) and lists
   * each remaining set matcher's rows again, in row order.
   */
  private collectMatcherUsers(): void {
    const used = new Uint8Array(this.matchers.length);
    for (let e = 0; e < this.count; e++) {
      if (this.sSet[e] >= 0) used[this.sSet[e]] = 1;
      if (this.dSet[e] >= 0) used[this.dSet[e]] = 1;
    }
    const renumber = new Int32Array(this.matchers.length);
    let next = 0;
    for (let id = 0; id < this.matchers.length; id++) {
      renumber[id] = used[id] ? next : -1;
      if (!used[id]) continue;
      this.matchers[next] = this.matchers[id];
      this.setLo[next] = this.setLo[id];
      this.setHi[next] = this.setHi[id];
      next++;
    }
    if (next < this.matchers.length) {
      this.matchers.length = this.setLo.length = this.setHi.length = next;
      this.matcherByKey.clear();
      this.matchers.forEach((m, id) => this.matcherByKey.set(m.key, id));
      for (let e = 0; e < this.count; e++) {
        if (this.sSet[e] >= 0) this.sSet[e] = renumber[this.sSet[e]];
        if (this.dSet[e] >= 0) this.dSet[e] = renumber[this.dSet[e]];
      }
    }
    this.matcherUsers.length = 0;
    for (let id = 0; id < next; id++) this.matcherUsers.push([]);
    for (let e = 0; e < this.count; e++) {
      const s = this.sSet[e];
      const d = this.dSet[e];
      if (s >= 0 && this.matchers[s].match.sets.length) this.matcherUsers[s].push([e, 0]);
      if (d >= 0 && this.matchers[d].match.sets.length) this.matcherUsers[d].push([e, 1]);
    }
  }

  /** Full check of one row against a header: the only definition of "matches" both classifiers use. */
  matches(e: number, dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number): boolean {
    const r = this.rows;
    const o = e * ROW;
    if ((r[o + 1] & dirBit) === 0) return false;
    const p = r[o + 2];
    if (p >= 0 && p !== proto) return false;
    if (sport < r[o + 3] || sport > r[o + 4] || dport < r[o + 5] || dport > r[o + 6]) return false;
    const it = r[o + 7];
    if (it >= 0) {
      if (it !== icmpType) return false;
      const ic = r[o + 8];
      if (ic >= 0 && ic !== icmpCode) return false;
    }
    const sk = r[o + 9];
    if (sk !== AddrKind.Any) {
      const kind = sk & 15;
      const ok = kind === AddrKind.Prefix ? (src & r[o + 11]) === r[o + 10] : kind === AddrKind.Set ? inIntervals(this.setLo[this.sSet[e]], this.setHi[this.sSet[e]], src) : false;
      if (ok === sk > 15) return false;
    }
    const dk = r[o + 12];
    if (dk !== AddrKind.Any) {
      const kind = dk & 15;
      const ok = kind === AddrKind.Prefix ? (dst & r[o + 14]) === r[o + 13] : kind === AddrKind.Set ? inIntervals(this.setLo[this.dSet[e]], this.setHi[this.dSet[e]], dst) : false;
      if (ok === dk > 15) return false;
    }
    return true;
  }

  /** The intervals a row side matches before negation (for index covers). */
  sideIntervals(e: number, side: 0 | 1): Intervals {
    const id = side === 0 ? this.sSet[e] : this.dSet[e];
    return id >= 0 ? { lo: this.setLo[id], hi: this.setHi[id] } : EMPTY_INTERVALS;
  }

  /** Bytes of the table's typed arrays, address-set intervals included. */
  byteLength(): number {
    const columns = [this.line, this.dirMask, this.proto, this.spLo, this.spHi, this.dpLo, this.dpHi, this.icmpType, this.icmpCode, this.sKind, this.sNeg, this.sNet, this.sMask, this.sSet, this.dKind, this.dNeg, this.dNet, this.dMask, this.dSet, this.rows];
    let bytes = 0;
    for (const c of columns) bytes += c.byteLength;
    for (let id = 0; id < this.setLo.length; id++) bytes += this.setLo[id].byteLength + this.setHi[id].byteLength;
    return bytes;
  }

  /** Names of address sets any row refers to. */
  referencedSets(): Set<string> {
    const out = new Set<string>();
    for (const m of this.matchers) for (const s of m.match.sets) out.add(s);
    return out;
  }

  /**
   * Address sets changed: re-resolve only the sides that name a changed set.
   * Returns true when some row's address fields changed (the index must follow).
   */
  updateSets(sets: AddressSets, changed: ReadonlySet<string>): boolean {
    let touched = false;
    for (let id = 0; id < this.matchers.length; id++) {
      const m = this.matchers[id];
      if (!m.match.sets.some((s) => changed.has(s))) continue;
      this.resolve(m, sets);
      this.setLo[id] = m.intervals.lo;
      this.setHi[id] = m.intervals.hi;
      for (const [row, side] of this.matcherUsers[id]) this.writeSide(row, side, id);
      touched = true;
    }
    if (touched) this.addressVersion++;
    return touched;
  }

  private setSide(e: number, side: number, spec: AddressSpec, sets: AddressSets): void {
    if ('prefix' in spec) {
      const [net, len] = spec.prefix;
      const neg = spec.negate === true && len > 0;
      this.writeFields(e, side, len === 0 ? AddrKind.Any : AddrKind.Prefix, neg, net | 0, prefixMask(len) | 0, -1);
      return;
    }
    const m = spec.match;
    if (m.sets.length === 0 && m.cidrs.length === 0) {
      this.writeFields(e, side, AddrKind.Any, false, 0, 0, -1);
      return;
    }
    if (m.sets.length === 0) {
      // Literals only: a single prefix (or nothing) needs no matcher; it never follows set updates.
      const lit = literalSide(m);
      if (lit.kind !== AddrKind.Set) {
        this.writeFields(e, side, lit.kind, m.negate, lit.net, lit.mask, -1);
        return;
      }
    }
    const key = matchKey(m);
    let id = this.matcherByKey.get(key);
    if (id === undefined) {
      const matcher: SideMatcher = { key, match: m, kind: AddrKind.None, net: 0, mask: 0, intervals: EMPTY_INTERVALS };
      if (m.sets.length) this.resolve(matcher, sets);
      else Object.assign(matcher, literalSide(m));
      id = this.matchers.length;
      this.matchers.push(matcher);
      this.matcherByKey.set(key, id);
      this.matcherUsers.push([]);
      this.setLo.push(matcher.intervals.lo);
      this.setHi.push(matcher.intervals.hi);
    }
    if (m.sets.length) this.matcherUsers[id].push([e, side]); // only sides naming sets follow set updates
    this.writeSide(e, side, id);
  }

  private writeSide(e: number, side: number, id: number): void {
    const m = this.matchers[id];
    this.writeFields(e, side, m.kind, m.match.negate, m.net, m.mask, id);
  }

  private writeFields(e: number, side: number, kind: AddrKind, neg: boolean, net: number, mask: number, setId: number): void {
    const o = e * ROW + (side === 0 ? 9 : 12);
    this.rows[o] = kind | (neg ? 16 : 0);
    this.rows[o + 1] = net;
    this.rows[o + 2] = mask;
    if (side === 0) {
      this.sKind[e] = kind;
      this.sNeg[e] = neg ? 1 : 0;
      this.sNet[e] = net;
      this.sMask[e] = mask;
      this.sSet[e] = setId;
    } else {
      this.dKind[e] = kind;
      this.dNeg[e] = neg ? 1 : 0;
      this.dNet[e] = net;
      this.dMask[e] = mask;
      this.dSet[e] = setId;
    }
  }

  private resolve(m: SideMatcher, sets: AddressSets): void {
    Object.assign(m, resolveSide(m.match, sets));
  }
}

type ResolvedSide = Pick<SideMatcher, 'kind' | 'net' | 'mask' | 'intervals'>;

/** What a side matches, from its sets' current members and its literals. */
function resolveSide(match: AddressMatch, sets: AddressSets): ResolvedSide {
  const list: [number, number][] = [];
  for (const name of match.sets) for (const entry of sets[name] ?? []) {
    const r = parseAddressEntry(entry);
    if (r) list.push(r);
  }
  for (const c of match.cidrs) {
    const r = parseAddressEntry(c);
    if (r) list.push(r);
  }
  if (list.length === 1) {
    // The common side, one address or prefix: no interval arrays to allocate (a Set side needs them, a prefix does not).
    const len = singlePrefixLength(list[0]![0], list[0]![1]);
    if (len >= 0) return { kind: AddrKind.Prefix, net: list[0]![0] | 0, mask: prefixMask(len) | 0, intervals: EMPTY_INTERVALS };
  }
  const intervals = mergeIntervals(list);
  const n = intervals.lo.length;
  if (n === 0) return { kind: AddrKind.None, net: 0, mask: 0, intervals };
  if (n === 1) {
    const len = singlePrefixLength(intervals.lo[0], intervals.hi[0]);
    if (len >= 0) return { kind: AddrKind.Prefix, net: intervals.lo[0] | 0, mask: prefixMask(len) | 0, intervals };
  }
  return { kind: AddrKind.Set, net: 0, mask: 0, intervals };
}

// Rule lines are immutable and reused across publishes (see the decoder's LineReuse), so what
// depends on a match alone is computed once per match object: its key and, without sets, its addresses.
const keys = new WeakMap<AddressMatch, string>();
const literals = new WeakMap<AddressMatch, ResolvedSide>();

function matchKey(m: AddressMatch): string {
  let key = keys.get(m);
  if (key === undefined) {
    const sets = m.sets.length > 1 ? [...m.sets].sort().join(',') : (m.sets[0] ?? '');
    const cidrs = m.cidrs.length > 1 ? [...m.cidrs].sort().join(',') : (m.cidrs[0] ?? '');
    keys.set(m, (key = `${m.negate ? '!' : ''}${sets}|${cidrs}`));
  }
  return key;
}

/**
 * The same side in its cheapest form: literals that come to one prefix become a `prefix` spec,
 * which a table writes without any lookup. For specs that are built once and compiled often.
 */
export function compactSide(spec: AddressSpec): AddressSpec {
  if (!('match' in spec) || spec.match.sets.length || !spec.match.cidrs.length) return spec;
  const lit = literalSide(spec.match);
  // Only real prefixes: a negated 0.0.0.0/0 matches nothing, which the prefix form cannot say.
  if (lit.kind !== AddrKind.Prefix || lit.mask === 0) return spec;
  return { prefix: [lit.net >>> 0, Math.clz32(~lit.mask)], negate: spec.match.negate }; // leading ones of the mask
}

function literalSide(m: AddressMatch): ResolvedSide {
  let side = literals.get(m);
  if (!side) literals.set(m, (side = resolveSide(m, {})));
  return side;
}
