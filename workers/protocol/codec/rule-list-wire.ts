/**
 * The hot path of a publish: `RuleList` messages written and read field by field with the
 * protobuf wire primitives, as compiled protobuf code does, instead of through reflection
 * (about ten times faster for 10k rules). Same bytes as `toBinary(RuleListSchema, …)`;
 * test/controlplane/codec.test.ts holds the two paths to each other.
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { KeptValues } from './kept-values';
import { isAlgName, type AddressMatch, type Building, type L2RuleLine, type L3RuleLine, type MacMatch, type PortRange, type LineAction, type RuleAction, type RuleDirection } from '../ruleset';

const DIRECTION_CODE: Record<RuleDirection, number> = { inout: 0, in: 1, out: 2 };
const DIRECTIONS: RuleDirection[] = ['inout', 'in', 'out'];
const ACTION_CODE: Record<LineAction, number> = { allow: 0, deny: 1, reject: 2, punt: 3 };
const ACTIONS: LineAction[] = ['allow', 'deny', 'reject', 'punt'];
const L2_ACTIONS: RuleAction[] = ['allow', 'deny', 'reject'];
const PACKET_TYPE_CODE = { any: 0, ipv4: 1, ipv6: 2 } as const;
const PACKET_TYPES = ['any', 'ipv4', 'ipv6'] as const;

const LD = WireType.LengthDelimited;
/** `RuleList` fields: `repeated L3Rule l3 = 1; repeated L2Rule l2 = 2;`. */
export const L3_FIELD = 1;
export const L2_FIELD = 2;
const VARINT = WireType.Varint;

function writeMatch(w: BinaryWriter, field: number, sets: readonly string[], items: readonly string[], negate: boolean): void {
  w.tag(field, LD).fork();
  for (const s of sets) w.tag(1, LD).string(s);
  for (const c of items) w.tag(2, LD).string(c);
  if (negate) w.tag(3, VARINT).bool(true);
  w.join();
}

function writePorts(w: BinaryWriter, field: number, ports: readonly PortRange[]): void {
  for (const [lo, hi] of ports) {
    w.tag(field, LD).fork();
    if (lo) w.tag(1, VARINT).uint32(lo);
    if (hi) w.tag(2, VARINT).uint32(hi);
    w.join();
  }
}

function writeL3(w: BinaryWriter, l: L3RuleLine): void {
  if (l.id) w.tag(1, VARINT).uint32(l.id);
  if (l.sectionId) w.tag(2, VARINT).uint32(l.sectionId);
  if (DIRECTION_CODE[l.direction]) w.tag(3, VARINT).int32(DIRECTION_CODE[l.direction]);
  if (PACKET_TYPE_CODE[l.packetType]) w.tag(4, VARINT).int32(PACKET_TYPE_CODE[l.packetType]);
  if (l.protocol !== 'any') w.tag(5, VARINT).uint32(l.protocol);
  writeMatch(w, 6, l.src.sets, l.src.cidrs, l.src.negate);
  writeMatch(w, 7, l.dst.sets, l.dst.cidrs, l.dst.negate);
  writePorts(w, 8, l.srcPorts);
  writePorts(w, 9, l.dstPorts);
  if (l.icmpType !== undefined) w.tag(10, VARINT).uint32(l.icmpType);
  if (l.icmpCode !== undefined) w.tag(11, VARINT).uint32(l.icmpCode);
  if (ACTION_CODE[l.action]) w.tag(12, VARINT).int32(ACTION_CODE[l.action]);
  if (l.logged) w.tag(13, VARINT).bool(true);
  if (l.stateless) w.tag(14, VARINT).bool(true);
  if (l.tcpStrict) w.tag(15, VARINT).bool(true);
  if (l.alg) w.tag(16, LD).string(l.alg);
  if (l.tag) w.tag(17, LD).string(l.tag);
}

function writeL2(w: BinaryWriter, l: L2RuleLine): void {
  if (l.id) w.tag(1, VARINT).uint32(l.id);
  if (l.sectionId) w.tag(2, VARINT).uint32(l.sectionId);
  if (DIRECTION_CODE[l.direction]) w.tag(3, VARINT).int32(DIRECTION_CODE[l.direction]);
  if (l.ethertype !== 'any') w.tag(4, VARINT).uint32(l.ethertype);
  writeMatch(w, 5, l.src.sets, l.src.macs, l.src.negate);
  writeMatch(w, 6, l.dst.sets, l.dst.macs, l.dst.negate);
  if (ACTION_CODE[l.action]) w.tag(7, VARINT).int32(ACTION_CODE[l.action]);
  if (l.logged) w.tag(8, VARINT).bool(true);
  if (l.tag) w.tag(9, LD).string(l.tag);
}

// Lines are immutable and the manager reuses them for unchanged rules, so each is encoded once.
const lineBytes = new WeakMap<object, Uint8Array>();

function bytesOf<T extends object>(line: T, write: (w: BinaryWriter, line: T) => void): Uint8Array {
  let bytes = lineBytes.get(line);
  if (!bytes) {
    const w = new BinaryWriter();
    write(w, line);
    lineBytes.set(line, (bytes = w.finish()));
  }
  return bytes;
}

/** One line's `L3Rule` / `L2Rule` body, written once per line object. */
export const l3LineBytes = (line: L3RuleLine): Uint8Array => bytesOf(line, writeL3);
export const l2LineBytes = (line: L2RuleLine): Uint8Array => bytesOf(line, writeL2);

/** `RuleList { l3 = 1; l2 = 2 }` bytes. */
export function writeRuleList(l3: readonly L3RuleLine[], l2: readonly L2RuleLine[]): Uint8Array {
  const w = new BinaryWriter();
  for (const l of l3) w.tag(L3_FIELD, LD).bytes(bytesOf(l, writeL3));
  for (const l of l2) w.tag(L2_FIELD, LD).bytes(bytesOf(l, writeL2));
  return w.finish();
}

/**
 * A field's key, checked as BinaryReader.tag() checks it, without the `[no, type]` array tag()
 * returns: the readers below take some fifteen keys a line, 150k for a 10k-rule list.
 */
function readKey(r: BinaryReader): number {
  const start = r.pos;
  const key = r.uint32();
  if (r.pos - start >= 5) {
    // Never in a list the manager wrote: tag() reads it again and says whether it overflows.
    r.pos = start;
    const [no, wt] = r.tag();
    return no * 8 + wt;
  }
  if (key >>> 3 <= 0 || (key & 7) > 5) throw new Error(`illegal tag: field no ${key >>> 3} wire type ${key & 7}`);
  return key;
}

/**
 * Decoding allocates only what a line holds: 64 hosts each decode 10k lines at sync, and in
 * worker_threads the garbage of building them (intermediate match objects, an `any` match
 * overwritten, a fresh `[lo, hi]` for every port) was collected once per host. Lines are
 * immutable (see ruleset.ts), so what is empty or repeated is one frozen object all lines share.
 */
const NONE: readonly never[] = Object.freeze([]);
const ANY_ADDRESS: AddressMatch = Object.freeze({ sets: NONE, cidrs: NONE, negate: false });
const ANY_MAC: MacMatch = Object.freeze({ sets: NONE, macs: NONE, negate: false });

/**
 * Port ranges rules name again and again (80, 443, 1024-65535): one frozen tuple each, kept
 * with the one-element port list of a line that names only it (`[[80, 80]]`).
 */
const portLists = new KeptValues<number, readonly [PortRange]>(1024);

function portRange(lo: number, hi: number): PortRange {
  const key = lo * 65536 + hi;
  let list = portLists.get(key);
  if (!list) portLists.keep(key, (list = Object.freeze([Object.freeze<PortRange>([lo, hi])] as const)));
  return list[0];
}

/** A line's ports: the kept list when it names one kept range, so every line on port 80 shares one. */
function portList(ranges: PortRange[] | undefined, none: PortRange[]): PortRange[] {
  if (!ranges) return none;
  const [range] = ranges;
  const list = ranges.length === 1 ? portLists.get(range![0] * 65536 + range![1]) : undefined;
  // frozen, as NONE is: a line's fields are never written once it is built
  return list?.[0] === range ? (list as readonly PortRange[] as PortRange[]) : Object.freeze(ranges) as PortRange[];
}

/**
 * Values as an array only when there are some, and a one-element literal for one: an array
 * pushed to from empty reserves room for 17, 150 bytes where 40 do.
 */
class Few<T> {
  private first: T | undefined;
  private rest: T[] | undefined;

  add(v: T): void {
    if (this.first === undefined) this.first = v;
    else (this.rest ??= [this.first]).push(v);
  }

  /** Forgets what a line that failed to decode left behind. */
  clear(): void {
    this.first = this.rest = undefined;
  }

  take(): T[] | undefined {
    const out = this.rest ?? (this.first === undefined ? undefined : [this.first]);
    this.first = this.rest = undefined;
    return out;
  }
}

// One of each for the whole decoder (nothing in it is re-entered), cleared before each use.
const setsRead = new Few<string>();
const itemsRead = new Few<string>();
const srcPortsRead = new Few<PortRange>();
const dstPortsRead = new Few<PortRange>();

/** An `AddressMatch` body: sets (1), items (2), negate (3); arrays only for what it names. */
function readMatchParts(r: BinaryReader): [string[] | undefined, string[] | undefined, boolean] {
  const len = r.uint32();
  const end = r.pos + len;
  let negate = false;
  setsRead.clear();
  itemsRead.clear();
  while (r.pos < end) {
    const key = readKey(r);
    const no = key >>> 3;
    const wt: WireType = key & 7;
    if (no === 1) setsRead.add(r.string());
    else if (no === 2) itemsRead.add(r.string());
    else if (no === 3) negate = r.bool();
    else r.skip(wt, no);
  }
  return [setsRead.take(), itemsRead.take(), negate];
}

/**
 * Address matches rule lists name again and again (a security group, a server, a subnet): one
 * frozen object each, keyed by its bytes (see KeptValues). A 10k-line list naming a few hundred
 * destinations then holds a few hundred matches, not 10k (with their arrays and strings): in
 * 64 host isolates the decoded lines are most of each host's heap, and a host whose heap stays
 * under V8's first old-generation limit never runs a full collection after its sync.
 */
const addressMatches = new KeptValues<string, AddressMatch>(1024);
/** Longer match bodies (many sets or addresses) are read each time: rare, and a long key costs what it saves. */
const ADDRESS_KEY_MAX = 96;

function readAddress(r: BinaryReader): AddressMatch {
  const at = r.pos;
  const body = r.bytes();
  const key = body.length <= ADDRESS_KEY_MAX ? (Reflect.apply(String.fromCharCode, null, body) as string) : undefined;
  const kept = key === undefined ? undefined : addressMatches.get(key);
  if (kept) return kept;
  r.pos = at;
  const [sets, cidrs, negate] = readMatchParts(r);
  if (!sets && !cidrs && !negate) return ANY_ADDRESS;
  const match: AddressMatch = Object.freeze({ sets: sets ? Object.freeze(sets) : NONE, cidrs: cidrs ? Object.freeze(cidrs) : NONE, negate });
  if (key !== undefined) addressMatches.keep(key, match);
  return match;
}

function readMacs(r: BinaryReader): MacMatch {
  const [sets, macs, negate] = readMatchParts(r);
  return sets || macs || negate ? Object.freeze({ sets: sets ? Object.freeze(sets) : NONE, macs: macs ? Object.freeze(macs) : NONE, negate }) : ANY_MAC;
}

function readPort(r: BinaryReader): PortRange {
  const len = r.uint32();
  const end = r.pos + len;
  let lo = 0;
  let hi = 0;
  while (r.pos < end) {
    const key = readKey(r);
    const no = key >>> 3;
    const wt: WireType = key & 7;
    if (no === 1) lo = r.uint32();
    else if (no === 2) hi = r.uint32();
    else r.skip(wt, no);
  }
  return portRange(lo, hi);
}

export function readL3(r: BinaryReader): L3RuleLine {
  const len = r.uint32();
  const end = r.pos + len;
  srcPortsRead.clear();
  dstPortsRead.clear();
  const l: Building<L3RuleLine> = {
    id: 0, sectionId: 0, direction: 'inout', packetType: 'any', protocol: 'any', src: ANY_ADDRESS, dst: ANY_ADDRESS,
    srcPorts: NONE as never[], dstPorts: NONE as never[], action: 'allow', logged: false, stateless: false, tcpStrict: false,
  };
  while (r.pos < end) {
    const key = readKey(r);
    const no = key >>> 3;
    const wt: WireType = key & 7;
    switch (no) {
      case 1: l.id = r.uint32(); break;
      case 2: l.sectionId = r.uint32(); break;
      case 3: l.direction = DIRECTIONS[r.int32()] ?? 'inout'; break;
      case 4: l.packetType = PACKET_TYPES[r.int32()] ?? 'any'; break;
      case 5: l.protocol = r.uint32(); break;
      case 6: l.src = readAddress(r); break;
      case 7: l.dst = readAddress(r); break;
      case 8: srcPortsRead.add(readPort(r)); break;
      case 9: dstPortsRead.add(readPort(r)); break;
      case 10: l.icmpType = r.uint32(); break;
      case 11: l.icmpCode = r.uint32(); break;
      case 12: l.action = ACTIONS[r.int32()] ?? 'allow'; break;
      case 13: l.logged = r.bool(); break;
      case 14: l.stateless = r.bool(); break;
      case 15: l.tcpStrict = r.bool(); break;
      case 16: { const alg = r.string(); if (isAlgName(alg)) l.alg = alg; break; }
      case 17: { const tag = r.string(); if (tag) l.tag = tag; break; }
      default: r.skip(wt, no);
    }
  }
  l.srcPorts = portList(srcPortsRead.take(), l.srcPorts);
  l.dstPorts = portList(dstPortsRead.take(), l.dstPorts);
  // Deep-frozen, as all it names: a save keeps what it serialised of frozen lines (workers/lab/frozen-groups.ts).
  return Object.freeze(l);
}

export function readL2(r: BinaryReader): L2RuleLine {
  const len = r.uint32();
  const end = r.pos + len;
  const l: Building<L2RuleLine> = { id: 0, sectionId: 0, direction: 'inout', ethertype: 'any', src: ANY_MAC, dst: ANY_MAC, action: 'allow', logged: false };
  while (r.pos < end) {
    const key = readKey(r);
    const no = key >>> 3;
    const wt: WireType = key & 7;
    switch (no) {
      case 1: l.id = r.uint32(); break;
      case 2: l.sectionId = r.uint32(); break;
      case 3: l.direction = DIRECTIONS[r.int32()] ?? 'inout'; break;
      case 4: l.ethertype = r.uint32(); break;
      case 5: l.src = readMacs(r); break;
      case 6: l.dst = readMacs(r); break;
      case 7: l.action = L2_ACTIONS[r.int32()] ?? 'allow'; break;
      case 8: l.logged = r.bool(); break;
      case 9: { const tag = r.string(); if (tag) l.tag = tag; break; }
      default: r.skip(wt, no);
    }
  }
  return Object.freeze(l);
}

const utf8 = new TextDecoder();

/** Browsers' TextDecoder refuses views of shared memory (a shared rule-list blob): those are copied first. */
const decodeUtf8 = (bytes: Uint8Array): string => utf8.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());

/**
 * Rule strings are short ASCII names and CIDRs: building them directly beats TextDecoder's call
 * cost. In one call, not a character at a time: `s += c` leaves a chain of one cons string per
 * character, about 30 bytes each, until something flattens it (the lines of a 10k-rule list
 * held 0.8 KB each of them, in every host).
 */
function decodeShortUtf8(bytes: Uint8Array): string {
  if (bytes.length > 64) return decodeUtf8(bytes);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return decodeUtf8(bytes);
  return Reflect.apply(String.fromCharCode, null, bytes) as string; // takes the bytes as they are: no array made
}

/** A reader over `RuleList` bytes with the string decoder the rule lines want. */
export function ruleListReader(bytes: Uint8Array): BinaryReader {
  return new BinaryReader(bytes, decodeShortUtf8);
}

/** Reads a `RuleList` from its bytes. */
export function readRuleList(bytes: Uint8Array): { l3: L3RuleLine[]; l2: L2RuleLine[] } {
  const r = ruleListReader(bytes);
  const out = { l3: [] as L3RuleLine[], l2: [] as L2RuleLine[] };
  while (r.pos < r.len) {
    const key = readKey(r);
    const no = key >>> 3;
    const wt: WireType = key & 7;
    if (no === L3_FIELD && wt === LD) out.l3.push(readL3(r));
    else if (no === L2_FIELD && wt === LD) out.l2.push(readL2(r));
    else r.skip(wt, no);
  }
  return out;
}
