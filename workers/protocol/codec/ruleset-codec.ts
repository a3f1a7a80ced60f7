/**
 * HostRuleSet ↔ protobuf `RuleSet` bytes. The manager's translation shares one line array
 * between every vNIC whose Applied To outcome is the same, so the wire format carries each
 * distinct list once and filters point at it. A list's bytes are cached by array identity,
 * which makes a 10k-rule publish to many hosts encode the rules once, not once per host:
 * a RuleSet is the bytes of its small fields followed by its cached list fields, which is
 * valid protobuf (fields may come in any order and repeated fields concatenate).
 */
import { concatBytes } from '../bytes';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { AddressSets, FilterRules, HostRuleSet, L2RuleLine, L3RuleLine, SpoofGuardProgram } from '../ruleset';
import type { AddressSet } from '../gen/vsfw_pb';
import { AddressSetSchema, FilterSchema, RuleSetSchema } from '../vsfw-schemas';
import { ListReuse } from './list-reuse';
import { ListsBlobs } from './lists-blobs';
import { joinRuleSet, type ListOrigin, type RuleListsBlob } from '../../protocol/shared-rule-lists';
import { L2_FIELD, L3_FIELD, l2LineBytes, l3LineBytes, readL2, readL3, readRuleList, ruleListReader } from './rule-list-wire';
import { ListEncoder } from './list-encoding';

const L3_LISTS_FIELD = 3;
const L2_LISTS_FIELD = 4;

const l3Cache = new WeakMap<readonly L3RuleLine[], Uint8Array>();
const l2Cache = new WeakMap<readonly L2RuleLine[], Uint8Array>();

function listBytes<T>(lines: readonly T[], cache: WeakMap<readonly T[], Uint8Array>, build: (lines: readonly T[]) => Uint8Array): Uint8Array {
  let bytes = cache.get(lines);
  if (!bytes) cache.set(lines, (bytes = build(lines)));
  return bytes;
}

// A new list copies the bytes of the runs of lines it shares with one encoded before (a one-rule edit writes one line).
const l3Encoder = new ListEncoder<L3RuleLine>(L3_FIELD, l3LineBytes);
const l2Encoder = new ListEncoder<L2RuleLine>(L2_FIELD, l2LineBytes);
/** How the encoder made each list's bytes, for the blob's origins (a host then reads only the lines that changed). */
const origins = new WeakMap<Uint8Array, ListOrigin>();
const encoded = ({ bytes, origin }: { bytes: Uint8Array; origin: ListOrigin }) => (origins.set(bytes, origin), bytes);
const l3List = (lines: readonly L3RuleLine[]) => encoded(l3Encoder.encode(lines));
const l2List = (lines: readonly L2RuleLine[]) => encoded(l2Encoder.encode(lines));

export function addressSetsToPb(sets: AddressSets): AddressSet[] {
  return Object.entries(sets).map(([name, members]) => create(AddressSetSchema, { name, members }));
}

export function addressSetsFromPb(sets: AddressSet[]): AddressSets {
  const out: AddressSets = {};
  for (const s of sets) out[s.name] = [...s.members];
  return out;
}

/** Distinct arrays in first-seen order, with each filter's index into them. */
function indexLists<T>(arrays: T[]): { lists: T[]; index: number[] } {
  const seen = new Map<T, number>();
  const index = arrays.map((a) => {
    let i = seen.get(a);
    if (i === undefined) seen.set(a, (i = seen.size));
    return i;
  });
  return { lists: [...seen.keys()], index };
}

/** A host's RuleSet in two parts: its own small fields, and its rule lists as a blob shared with every host that runs the same lists. */
interface RuleSetParts {
  head: Uint8Array;
  lists: RuleListsBlob;
}

const blobs = new ListsBlobs();

export function encodeRuleSetParts(rs: HostRuleSet, scopedRuleIds: readonly number[] = []): RuleSetParts {
  const names = Object.keys(rs.filters);
  const filters = names.map((n) => rs.filters[n]!);
  const l3 = indexLists(filters.map((f) => f.l3));
  const l2 = indexLists(filters.map((f) => f.l2));
  const head = toBinary(
    RuleSetSchema,
    create(RuleSetSchema, {
      hostId: rs.hostId,
      generation: BigInt(rs.generation),
      filters: filters.map((f, i) => create(FilterSchema, { name: names[i], ruleset: f.ruleset, generation: BigInt(f.generation), l3List: l3.index[i], l2List: l2.index[i] })),
      addressSets: addressSetsToPb(rs.addressSets),
      excluded: rs.excluded,
      scopedRuleIds: [...scopedRuleIds],
      spoofGuard: spoofGuardToPb(rs.spoofGuard),
    }),
  );
  const lists = blobs.get(l3.lists, l2.lists, () => {
    const parts: Uint8Array[] = [];
    const made: (ListOrigin | null)[] = [];
    const field = (no: number, bytes: Uint8Array) => {
      parts.push(new BinaryWriter().tag(no, WireType.LengthDelimited).uint32(bytes.length).finish(), bytes);
      made.push(origins.get(bytes) ?? null);
    };
    for (const list of l3.lists) field(L3_LISTS_FIELD, listBytes(list, l3Cache, l3List));
    for (const list of l2.lists) field(L2_LISTS_FIELD, listBytes(list, l2Cache, l2List));
    return { bytes: concatBytes(parts), origins: made }; // not the writer: it would copy the large lists twice
  });
  return { head, lists };
}

/** The whole RuleSet as one message (vsipfw_ruleset.dat; tests): head ‖ lists. */
export function encodeRuleSet(rs: HostRuleSet, scopedRuleIds: readonly number[] = []): Uint8Array {
  const { head, lists } = encodeRuleSetParts(rs, scopedRuleIds);
  return joinRuleSet(head, lists);
}

interface DecodedRuleSet {
  ruleSet: HostRuleSet;
  scopedRuleIds: number[];
}

/** What a host keeps of its last rule set to decode the next one quickly (see ListReuse). */
export class DecodeMemory {
  readonly l3 = new ListReuse<L3RuleLine>();
  readonly l2 = new ListReuse<L2RuleLine>();
}

/** A list's lines; re-encoding it later (vsipfw_ruleset.dat) reuses the bytes it came from. */
function decodeList<T>(bytes: Uint8Array, read: (bytes: Uint8Array) => T[], cache: WeakMap<readonly T[], Uint8Array>, owned?: (lines: readonly T[]) => Uint8Array | undefined): T[] {
  const lines = read(bytes);
  if (!cache.has(lines)) cache.set(lines, owned?.(lines) ?? bytes.slice());
  return lines;
}

/**
 * The bytes each list decodeRuleSet returned was read from, and whether it holds L3 or L2 lines
 * (its `RuleList` field): its lines are what those bytes decode to, so the bytes name their
 * content (a save keys a host's lists by them: workers/lab/frozen-groups.ts). Lists this thread
 * encoded are not here: the lines a publisher built may hold more than their bytes say.
 */
const decodedFrom = new WeakMap<object, { kind: number; bytes: Uint8Array }>();

/** The bytes `lines` was decoded from and its `RuleList` field (`kind`), when decodeRuleSet returned it. */
export function decodedListBytes<T>(lines: readonly T[]): { kind: number; bytes: Uint8Array } | undefined {
  return decodedFrom.get(lines);
}

function keepDecoded<T extends object>(lists: readonly (readonly T[])[], kind: number, cache: WeakMap<readonly T[], Uint8Array>): void {
  for (const list of lists) if (!decodedFrom.has(list)) decodedFrom.set(list, { kind, bytes: cache.get(list)! });
}

/**
 * Decodes and converts to the kernel format; filters that shared a list on the wire share one
 * array. With a host's `memory` of its last rule set, unchanged lists and lines come back as
 * the objects decoded last time.
 */
export function decodeRuleSet(bytes: Uint8Array, memory?: DecodeMemory, lists?: Uint8Array, origins?: RuleListsBlob['origins']): DecodedRuleSet {
  const { head, l3Lists, l2Lists, headLists } = splitLists(bytes, lists);
  const m = fromBinary(RuleSetSchema, head);
  memory?.l3.begin();
  memory?.l2.begin();
  // Origins name the blob's lists in order: used only when the blob holds every list of the message.
  const origin = (i: number) => (lists && headLists === 0 && origins?.length === l3Lists.length + l2Lists.length ? (origins[i] ?? undefined) : undefined);
  const l3 = l3Lists.map((b, i) => (memory ? decodeList(b, (x) => memory.l3.decode(x, L3_FIELD, readL3, ruleListReader, origin(i)), l3Cache, (l) => memory.l3.bytesOf(l)) : decodeList(b, (x) => readRuleList(x).l3, l3Cache)));
  const l2 = l2Lists.map((b, i) => (memory ? decodeList(b, (x) => memory.l2.decode(x, L2_FIELD, readL2, ruleListReader, origin(l3Lists.length + i)), l2Cache, (l) => memory.l2.bytesOf(l)) : decodeList(b, (x) => readRuleList(x).l2, l2Cache)));
  keepDecoded(l3, L3_FIELD, l3Cache);
  keepDecoded(l2, L2_FIELD, l2Cache);
  const filters: Record<string, FilterRules> = {};
  for (const f of m.filters) {
    const a = l3[f.l3List];
    const b = l2[f.l2List];
    if (!a || !b) throw new Error(`filter ${f.name} names rule list ${a ? f.l2List : f.l3List}, which the message does not carry`);
    filters[f.name] = { ruleset: f.ruleset, generation: Number(f.generation), l3: a, l2: b };
  }
  return {
    ruleSet: {
      hostId: m.hostId, generation: Number(m.generation), filters, addressSets: addressSetsFromPb(m.addressSets), excluded: [...m.excluded],
      spoofGuard: spoofGuardFromPb(m.spoofGuard),
    },
    scopedRuleIds: [...m.scopedRuleIds],
  };
}

/**
 * Separates the rule lists (read by the fast path) from the small fields (read through the
 * schema). `shared`: the rule lists' blob, when they came apart from the head; the message is
 * then bytes ‖ shared, read in that order.
 */
function splitLists(bytes: Uint8Array, shared?: Uint8Array): { head: Uint8Array; l3Lists: Uint8Array[]; l2Lists: Uint8Array[]; headLists: number } {
  const head = new BinaryWriter();
  const l3Lists: Uint8Array[] = [];
  const l2Lists: Uint8Array[] = [];
  let headLists = -1;
  for (const part of shared ? [bytes, shared] : [bytes]) {
    if (part === shared) headLists = l3Lists.length + l2Lists.length;
    const r = new BinaryReader(part);
    while (r.pos < r.len) {
      const start = r.pos;
      const [no, wt] = r.tag();
      if (wt === WireType.LengthDelimited && no === L3_LISTS_FIELD) l3Lists.push(r.bytes());
      else if (wt === WireType.LengthDelimited && no === L2_LISTS_FIELD) l2Lists.push(r.bytes());
      else {
        r.skip(wt, no);
        head.raw(part.subarray(start, r.pos));
      }
    }
  }
  return { head: head.finish(), l3Lists, l2Lists, headLists };
}

const SPOOFGUARD_MODES = new Set(['off', 'tofu', 'manual']);

export function spoofGuardToPb(programs: SpoofGuardProgram[] = []) {
  return programs.map((p) => ({ network: p.network, mode: p.mode, approved: p.approved.map((b) => ({ mac: b.mac, ip: b.ip })) }));
}

/** A mode this host does not know is enforced as the strictest one rather than ignored. */
export function spoofGuardFromPb(list: { network: string; mode: string; approved: { mac: string; ip: string }[] }[]): SpoofGuardProgram[] {
  return list.map((p) => ({
    network: p.network,
    mode: (SPOOFGUARD_MODES.has(p.mode) ? p.mode : 'manual') as SpoofGuardProgram['mode'],
    approved: p.approved.map((b) => ({ mac: b.mac, ip: b.ip })),
  }));
}
