/**
 * A lab document as records ("parts"), so a save writes only what changed: a head (clock,
 * queue, counters…), the event log in chunks, and each component, whose large lists (firewall
 * sections, inventory VMs, rule lines…) are stored as groups of elements. Each part carries
 * the hash of its JSON; a save compares hashes with those stored and sends only parts that
 * differ. A group's key is its content's hash, so a list stored twice in one component (NSX
 * Manager's saved drafts repeat its configuration; a host's kernel holds each filter's rule
 * lines in its rule set and in the filter) is one record, and an edit writes only new groups. Splitting runs where the state lives (each unit serialises its own components in its
 * worker), so the page never serialises the whole lab for an autosave.
 *
 * Joining is the exact inverse: the document comes back with its keys in the same order, so
 * an export after a round trip is byte for byte the same.
 */
import type { ComponentDoc } from './component';
import type { LabDocument, StoredPartsSource } from './lab-format';
import { knownGroupAt, listName, rememberGroup, type GroupShape, type ListShapes } from './frozen-groups';
import { hashText } from './cyrb53';
import { DamagedPackError, packList, unpackList } from './packed-list';

/** A part as a save sees it: always its key, hash and size; its JSON only when it changed. */
export interface PartRef {
  key: string;
  hash: number;
  /** Length of its content as JSON in UTF-16 code units (a list's group: the list's JSON, though it is stored packed). */
  size: number;
  json?: string;
}

/** What the store holds already: part key → hash. */
export type KnownParts = ReadonlyMap<string, number>;

/**
 * What a save writes when the saver knows what the store holds: the parts that changed (with
 * their JSON), the keys of parts the document no longer has, and the whole document's size.
 */
export interface PartChanges {
  put: PartRef[];
  drop: string[];
  /** Length of every part's JSON together, changed or not (the lab's summary shows it). */
  size: number;
}

/**
 * A unit's share of a save (ExecutionUnit.changedParts): the changes of its components' own
 * parts (`size` without shared groups), and of the shared groups (isSharedPart), which the lab
 * writes and drops for all units: those the unit knows stored, those its components reference
 * (key and size), and those it can make (ExecutionUnit.sharedParts) that it does not know stored.
 */
export interface UnitChanges extends PartChanges {
  shared: { stored: string[]; next: [string, number][]; offered: string[] };
  /** The groups of the lists named by their bytes that the unit grouped itself (frozen-groups.ts GroupShape), for the units after it. */
  learned: Map<string, GroupShape[]>;
}

export const HEAD_KEY = 'head';
const EVENTS_PREFIX = 'events/';
const COMPONENT_PREFIX = 'component/';
/**
 * Events per chunk: the log only grows, so every chunk but the last stays as written. Smaller
 * chunks make a save's rewrite of the last one smaller, but a long log many more records to read
 * on the page when the lab opens (at 64 a chunk, a 120k-event lab's read took 6-12 s against
 * 5.5-6 s at 512, under load 40). Joining reads whatever chunks the head counts.
 */
export const EVENTS_PER_CHUNK = 512;
/** Lists shorter than this stay inside their component's part. */
const SPLIT_MIN_LENGTH = 32;
/** How deep in a component's state lists are looked for (manager → drafts → 0 → config → layer3Sections is 5). */
const SPLIT_MAX_DEPTH = 8;
/**
 * A group closes once its JSON passes this size (three 100-rule sections). Groups are stored
 * packed (packed-list.ts), about a tenth of their JSON: larger groups pack better and cheaper (a
 * host's 10k rule lines: 45 ms in groups of 500 lines, 180 ms in groups of 50) and make fewer records.
 */
const GROUP_TARGET_CHARS = 131_072;
/**
 * A group closes where its elements' ids (else their content) say so, once it holds this much
 * (so a run of equal elements is not a group each). At 2 kB a host's 10k rule lines (whose ids
 * repeat, so they group by content) made ~1100 records of ~3.5 kB: a save's time in IndexedDB
 * grows with its records more than with its bytes (Chromium, 4.5 MB in 1386 / 247 / 25 records:
 * ~1.2 / 0.36 / 0.1 s to commit, same bytes), so groups are 64-128 kB of JSON (6-13 kB packed).
 */
const GROUP_MIN_CHARS = 65_536;
/**
 * Strings this long (a vsfwd's reported bindings, NSX Manager's signature of what it pushed to a
 * host) are stored apart, in pieces, so the small fields around them that change on every edit do
 * not rewrite them, and a change at one end rewrites only the piece it falls in.
 */
const TEXT_SPLIT_MIN_CHARS = 4_096;
/** A text piece ends where its content says so (TEXT_BOUNDARY_SHIFT) once it holds this much… */
const TEXT_PIECE_MIN_CHARS = 4_096;
/** …and at this size whatever it holds. */
const TEXT_PIECE_MAX_CHARS = 16_384;
/** About one position in 4096 past the minimum ends a piece (pieces of ~8 kB, fewer records as GROUP_MIN_CHARS says): the hash's top 12 bits, which depend on all of its last 32 characters (its low bits only on the last few). */
const TEXT_BOUNDARY_SHIFT = 20;
/** Group keys within a component: `component/<id>/#<hash of the JSON, base 36>`. */
const GROUP_MARK = '#';
/**
 * A list's groups and a long string's pieces are keyed by content for the whole lab,
 * `shared/#<hash>.<length>`, not under one component: 64 hosts holding the same 10k rule lines
 * (and the same vsipfw_ruleset.dat text, but for their names) store each group once. What a save
 * drops is then decided for the lab (no component references a shared part any more), not by
 * one unit (Lab.changedParts).
 */
const SHARED_PREFIX = 'shared/';

/**
 * The version of the components' stored state schemas (their loadCheck), and the seed of every
 * part's hash. A unit trusts a stored component without checking it only when each part's JSON
 * still has the hash stored beside it; seeded with this version, parts an older DFW Lab stored
 * (under older, perhaps looser schemas) no longer match, so they are checked against this
 * version's schemas when opened and rewritten by the next save. Bump it whenever a component's
 * state schema changes: test/lab/state-schema-version.test.ts fails until it is bumped.
 */
export const STATE_SCHEMA_VERSION = 1;

/** The hash stored beside a part's JSON (see STATE_SCHEMA_VERSION). */
export function partHash(json: string): number {
  return hashText(json, STATE_SCHEMA_VERSION);
}

/** A part from its value, with its JSON only when `known` does not hold it already. */
export function partOf(key: string, json: string, known?: KnownParts): PartRef {
  const hash = partHash(json);
  return known?.get(key) === hash ? { key, hash, size: json.length } : { key, hash, size: json.length, json };
}

// ---- components -------------------------------------------------------------------------

/**
 * Where a list (or, with `text`, a long string) was taken out of a component's state, and the
 * parts holding its groups (its pieces) in order: `keys`, or, for a long list of them, the part
 * that lists them (`keysIn`), so NSX Manager's saved drafts, which list the same groups again and
 * again, do not make its own part grow with every publish.
 */
interface Split {
  path: string[];
  keys?: string[];
  keysIn?: string;
  text?: true;
}

/** A component's own part: its document with the split lists set to null, and where they went. */
interface ComponentPart {
  doc: ComponentDoc;
  splits: Split[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The id an element is known by (firewall objects have `id`, inventory objects `moid`), if every element has one. */
function elementId(element: unknown): string | undefined {
  if (!isPlainObject(element)) return undefined;
  const id = element.id ?? element.moid;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** A value taken out of a component's state: a long list or a long string. */
type Found = { path: string[]; list: unknown[] } | { path: string[]; text: string };

/**
 * Lists and strings worth storing apart: long ones, found up to SPLIT_MAX_DEPTH deep in plain
 * objects and in the objects of short lists (a draft inside NSX Manager's few drafts, a vNIC's filter).
 */
function findLists(value: Record<string, unknown>, path: string[], out: Found[]): void {
  if (path.length + 1 >= SPLIT_MAX_DEPTH) return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if (v.length >= TEXT_SPLIT_MIN_CHARS) out.push({ path: [...path, k], text: v });
    } else if (Array.isArray(v)) {
      if (v.length >= SPLIT_MIN_LENGTH) out.push({ path: [...path, k], list: v });
      else if (path.length + 2 < SPLIT_MAX_DEPTH) v.forEach((e, i) => isPlainObject(e) && findLists(e, [...path, k, String(i)], out));
    } else if (isPlainObject(v)) {
      findLists(v, [...path, k], out);
    }
  }
}

/** Whether every element has an id and no two the same (stops at the first that has none or repeats one: a host's rule lines repeat theirs). */
function hasUniqueIds(list: readonly unknown[]): boolean {
  const seen = new Set<string>();
  for (const element of list) {
    const id = elementId(element);
    if (id === undefined || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/** A group of a list: its elements, the hash and length of their JSON as a list (`chars` without its brackets and commas), and that JSON (made when asked for a group found known). */
interface ListGroup {
  elements: readonly unknown[];
  chars: number;
  hash: number;
  size: number;
  json: () => string;
}

function elementJson(element: unknown): string {
  return JSON.stringify(element) ?? 'null';
}

/** The JSON of a group found known or told, made when it is to be stored. */
const listJson = (elements: readonly unknown[]) => (): string => `[${elements.map(elementJson).join(',')}]`;

/**
 * What a save is told and learns of lists named by the bytes they were decoded from
 * (frozen-groups.ts listName): the groups other units found for such lists, and those this
 * unit found for the named lists it grouped itself.
 */
interface ListLore {
  told?: ListShapes;
  learned: Map<string, GroupShape[]>;
}

/**
 * A list's groups (groupAfresh); a named list another unit grouped already is not serialised:
 * its groups are the ones that unit found, cut from this list's elements (equal names, equal
 * elements' JSON: the bytes decode to it).
 */
function groupList(list: readonly unknown[], lore?: ListLore): ListGroup[] {
  const name = lore && listName(list);
  if (name === undefined) return groupAfresh(list);
  const told = shapedGroups(list, lore!.told?.get(name));
  if (told) return told;
  const groups = groupAfresh(list);
  lore!.learned.set(name, groups.map(({ elements, chars, hash, size }) => ({ count: elements.length, chars, hash, size })));
  return groups;
}

/** The groups `shapes` describe, of `list`'s elements (remembered as frozen groups, as groupAfresh does), or undefined when none or they do not fit. */
function shapedGroups(list: readonly unknown[], shapes: readonly GroupShape[] | undefined): ListGroup[] | undefined {
  if (!shapes || shapes.reduce((n, s) => n + s.count, 0) !== list.length) return undefined;
  const byId = hasUniqueIds(list);
  let start = 0;
  return shapes.map(({ count, chars, hash, size }) => {
    const elements = list.slice(start, (start += count));
    rememberGroup({ elements, byId, chars, hash, size });
    return { elements, chars, hash, size, json: listJson(elements) };
  });
}

/**
 * A list's groups. Where a group closes depends on content only (an element's id, else the
 * start of its JSON) and on size, so inserting, removing or changing one element changes the
 * group around it and leaves the others, and the same list always makes the same groups
 * wherever it is stored (so they share records). A run of deep-frozen elements a save grouped
 * before is not serialised again (frozen-groups.ts): only the element after it, to see whether
 * the group still closes there (the decisions inside it depend on its elements alone).
 */
function groupAfresh(list: readonly unknown[]): ListGroup[] {
  const byId = hasUniqueIds(list);
  const closesBefore = (i: number, chars: number, json: string): boolean =>
    chars >= GROUP_TARGET_CHARS || chars + json.length > GROUP_TARGET_CHARS || (chars >= GROUP_MIN_CHARS && (byId ? hashText(elementId(list[i])!) % 16 === 0 : hashText(json.slice(0, 64)) % 8 === 0));
  const groups: ListGroup[] = [];
  // The JSON of list[i], when the look past the group before made it already.
  let carried: string | undefined;
  let i = 0;
  while (i < list.length) {
    const known = knownGroupAt(list, i, byId);
    if (known) {
      const next = i + known.elements.length;
      const nextJson = next < list.length ? elementJson(list[next]) : undefined;
      if (nextJson === undefined || closesBefore(next, known.chars, nextJson)) {
        const { elements, chars, hash, size } = known;
        groups.push({ elements, chars, hash, size, json: listJson(elements) });
        carried = nextJson;
        i = next;
        continue;
      }
    }
    const start = i;
    const jsons = [carried ?? elementJson(list[i])];
    let chars = jsons[0].length;
    carried = undefined;
    // A large element is a group of its own (its neighbours' edits never rewrite it), as is one
    // that would take a group past the target size.
    for (i++; i < list.length; i++) {
      const json = elementJson(list[i]);
      if (closesBefore(i, chars, json)) {
        carried = json;
        break;
      }
      jsons.push(json);
      chars += json.length;
    }
    const json = `[${jsons.join(',')}]`;
    const group = { elements: list.slice(start, i), chars, hash: partHash(json), size: json.length, json: () => json };
    rememberGroup({ elements: group.elements, byId, chars, hash: group.hash, size: group.size });
    groups.push(group);
  }
  return groups;
}

/** A gear table for the rolling hash that finds text piece boundaries (fixed: the same text always splits the same way). */
const GEAR = Uint32Array.from({ length: 256 }, (_, i) => hashText(String(i)) >>> 0);

/**
 * A long string's pieces, as JSON string literals. A piece ends where a rolling hash of the
 * last 32 characters says so (content-defined chunking, as rsync and restic do), so an edit
 * changes the piece it falls in and the pieces around it keep their boundaries and records.
 */
function pieceText(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    h = ((h << 1) + GEAR[text.charCodeAt(i) & 0xff]) >>> 0;
    const length = i + 1 - start;
    if ((length >= TEXT_PIECE_MIN_CHARS && (h >>> TEXT_BOUNDARY_SHIFT) === 0) || length >= TEXT_PIECE_MAX_CHARS) {
      pieces.push(JSON.stringify(text.slice(start, i + 1)));
      start = i + 1;
      h = 0;
    }
  }
  if (start < text.length) pieces.push(JSON.stringify(text.slice(start)));
  return pieces;
}

/** A copy of `value` with the value at `path` replaced, copying only the objects and lists along the path. */
function replacedAt<T extends Record<string, unknown> | unknown[]>(value: T, path: string[], replacement: unknown): T {
  const [head, ...rest] = path;
  const inner = rest.length ? replacedAt((value as Record<string, unknown>)[head] as Record<string, unknown>, rest, replacement) : replacement;
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[Number(head)] = inner;
    return copy as T;
  }
  return { ...value, [head]: inner };
}

/** The key of a component's own part. */
export function componentKey(id: string): string {
  return `${COMPONENT_PREFIX}${encodeURIComponent(id)}`;
}

export function isComponentPart(key: string): boolean {
  return key.startsWith(COMPONENT_PREFIX);
}

/** Whether a part is a list's group or a string's piece that any component of the lab may reference (SHARED_PREFIX). */
export function isSharedPart(key: string): boolean {
  return key.startsWith(SHARED_PREFIX);
}

/** The component a component part belongs to (`component/<id>` or `component/<id>/…`). */
export function componentOfPart(key: string): string {
  if (!key.startsWith(COMPONENT_PREFIX)) throw new Error(`${key} is not a component's part`);
  const rest = key.slice(COMPONENT_PREFIX.length);
  const slash = rest.indexOf('/');
  return decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
}

/**
 * A list's group as stored: packed when that is shorter than its JSON. Its size stays the
 * length of its JSON as a list (the lab's size as a document); its hash is the stored text's.
 */
function packedGroup(key: string, elements: readonly unknown[], json: string): PartRef {
  const packed = JSON.stringify(packList(elements, json));
  const stored = packed.length < json.length ? packed : json;
  return { key, hash: partHash(stored), size: json.length, json: stored };
}

/**
 * The parts of one component: its own part, then its lists' groups, each group once however
 * many lists hold it. (Parts saved before groups were keyed by content, `component/<id>/<path>/<id or
 * position>` or `component/<id>/#<hash>.<length>`, join the same way: the own part lists its
 * groups' keys, whatever they are.)
 */
export function componentParts(id: string, doc: ComponentDoc, known?: KnownParts): PartRef[] {
  return splitComponent(id, doc, known);
}

/**
 * A component's parts for a save of the whole lab, where other components may hold the same
 * groups: a shared group `known` lacks comes without its JSON (its hash is its JSON's as a
 * list, not the stored text's), and `offers` makes its stored part when the lab asks this
 * component for it, so one unit packs a group however many components hold it.
 */
export function componentPartsOffering(id: string, doc: ComponentDoc, known: KnownParts, told?: ListShapes): { parts: PartRef[]; offers: Map<string, () => PartRef>; learned: Map<string, GroupShape[]> } {
  const offers = new Map<string, () => PartRef>();
  const lore: ListLore = { told, learned: new Map() };
  return { parts: splitComponent(id, doc, known, offers, lore), offers, learned: lore.learned };
}

function splitComponent(id: string, doc: ComponentDoc, known?: KnownParts, offers?: Map<string, () => PartRef>, lore?: ListLore): PartRef[] {
  const base = `${COMPONENT_PREFIX}${encodeURIComponent(id)}`;
  const found: Found[] = [];
  if (isPlainObject(doc.state)) findLists(doc.state, [], found);
  const groups = new Map<string, PartRef>();
  const splits: Split[] = [];
  let state = doc.state as Record<string, unknown>;
  /**
   * The key of a group, piece or key list (by the hash and length of its JSON), added to the
   * component's parts once by `part` when new.
   */
  const group = (prefix: string, hash: number, size: number, part: (key: string, storedHash: number | undefined) => PartRef): string => {
    // The length beside the hash: two different groups would need both equal to share a record.
    const key = `${prefix}${GROUP_MARK}${hash.toString(36)}.${size.toString(36)}`;
    if (!groups.has(key)) groups.set(key, part(key, known?.get(key)));
    return key;
  };
  const textGroup = (json: string): string => {
    const hash = partHash(json);
    return group(`${base}/`, hash, json.length, (key, storedHash) => (storedHash === hash ? { key, hash, size: json.length } : { key, hash, size: json.length, json }));
  };
  /** A shared part the store lacks: made now, or offered (made when the lab asks this component for it). */
  const sharedPart = (key: string, hash: number, size: number, make: () => PartRef): PartRef => {
    if (!offers) return make();
    offers.set(key, make);
    return { key, hash, size };
  };
  /** A long string's piece, shared: 64 hosts' vsipfw_ruleset.dat text differs in a few pieces around the host's own names. */
  const pieceGroup = (json: string): string => {
    const hash = partHash(json);
    const size = json.length;
    return group(SHARED_PREFIX, hash, size, (key, storedHash) => (storedHash !== undefined ? { key, hash, size } : sharedPart(key, hash, size, () => ({ key, hash, size, json }))));
  };
  /** A list's group is stored packed (packed-list.ts) and keyed by its JSON as a list, so one the store holds already is not packed again. */
  const listGroup = ({ elements, hash, size, json }: ListGroup): string =>
    group(SHARED_PREFIX, hash, size, (key, storedHash) => (storedHash !== undefined ? { key, hash: storedHash, size } : sharedPart(key, hash, size, () => packedGroup(key, elements, json()))));
  // A list the state holds twice as one object (a host's rule lines in its rule set and in each
  // filter, when the snapshot keeps them shared) is grouped and hashed once.
  const listed = new Map<unknown[], string[]>();
  for (const f of found) {
    const { path } = f;
    let keys = 'list' in f ? listed.get(f.list) : undefined;
    if (!keys) {
      keys = 'text' in f ? pieceText(f.text).map(pieceGroup) : groupList(f.list, lore).map(listGroup);
      if ('list' in f) listed.set(f.list, keys);
    }
    const where = keys.length >= SPLIT_MIN_LENGTH ? { keysIn: textGroup(JSON.stringify(keys)) } : { keys };
    splits.push('text' in f ? { path, ...where, text: true } : { path, ...where });
    state = replacedAt(state, path, null);
  }
  const parts = [...groups.values()];
  const own: ComponentPart = { doc: { ...doc, state }, splits };
  return [partOf(base, JSON.stringify(own), known), ...parts];
}

// ---- the whole document -------------------------------------------------------------------

/**
 * The head: the document's own fields in their order, without the name (the store keeps the
 * name with the lab's summary, so a rename writes no part), `components` as the list of
 * ids and `events` as the number of chunks.
 */
export function headPart(doc: Omit<LabDocument, 'components' | 'events' | 'name'> & { name?: string; components: string[]; events: number }, known?: KnownParts): PartRef {
  // The name's place is kept (null), so a joined document has its keys in the order they came.
  return partOf(HEAD_KEY, JSON.stringify('name' in doc ? { ...doc, name: null } : doc), known);
}

export function eventsKey(chunk: number): string {
  return `${EVENTS_PREFIX}${String(chunk).padStart(6, '0')}`;
}

export function eventChunks(count: number): number {
  return Math.ceil(count / EVENTS_PER_CHUNK);
}

/** Every part of a whole document (an import, a replace), in a fixed order. */
export function documentParts(doc: LabDocument, known?: KnownParts): PartRef[] {
  const ids = Object.keys(doc.components);
  const chunks = eventChunks(doc.events.length);
  const parts = [headPart({ ...doc, components: ids, events: chunks }, known)];
  for (let c = 0; c < chunks; c++) parts.push(partOf(eventsKey(c), JSON.stringify(doc.events.slice(c * EVENTS_PER_CHUNK, (c + 1) * EVENTS_PER_CHUNK)), known));
  // A shared group once, however many components hold it.
  const shared = new Set<string>();
  for (const id of ids) {
    for (const p of componentParts(id, doc.components[id], known)) {
      if (isSharedPart(p.key)) {
        if (shared.has(p.key)) continue;
        shared.add(p.key);
      }
      parts.push(p);
    }
  }
  return parts;
}

/** Why stored parts could not be joined into a document: names the part. */
export class DamagedPartsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DamagedPartsError';
  }
}

function parsePart(parts: ReadonlyMap<string, string>, key: string): unknown {
  const json = parts.get(key);
  if (json === undefined) throw new DamagedPartsError(`part ${key} is missing`);
  try {
    return JSON.parse(json);
  } catch (err) {
    throw new DamagedPartsError(`part ${key} is not JSON (${(err as Error).message})`);
  }
}

function setAt(value: Record<string, unknown>, path: string[], replacement: unknown): void {
  let at: unknown = value;
  for (const k of path.slice(0, -1)) at = (at as Record<string, unknown> | null)?.[k];
  if (!isPlainObject(at)) throw new DamagedPartsError(`no object at ${path.slice(0, -1).join('.')} for a stored list`);
  at[path[path.length - 1]] = replacement;
}

/** The keys of a split's parts, listed in the split or in the part it names. */
function splitKeys(split: Split, parts: ReadonlyMap<string, string>): string[] {
  const keys = split.keysIn === undefined ? split.keys : parsePart(parts, split.keysIn);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new DamagedPartsError(`the split at ${String(split.path)} lists no keys`);
  return keys;
}

/** A list's group, stored as a JSON list or packed (packed-list.ts). */
function groupOf(parts: ReadonlyMap<string, string>, key: string): unknown[] {
  const group = parsePart(parts, key);
  if (Array.isArray(group)) return group;
  try {
    return unpackList(group);
  } catch (err) {
    if (err instanceof DamagedPackError) throw new DamagedPartsError(`part ${key} is not a list (${err.message})`);
    throw err;
  }
}

/** A component's own part, parsed. Throws DamagedPartsError when it is missing or not one. */
function ownPart(id: string, parts: ReadonlyMap<string, string>): ComponentPart {
  const own = parsePart(parts, `${COMPONENT_PREFIX}${encodeURIComponent(id)}`) as ComponentPart | null;
  if (!isPlainObject(own) || !isPlainObject(own.doc) || !Array.isArray(own.splits)) throw new DamagedPartsError(`part ${COMPONENT_PREFIX}${id} is damaged`);
  return own;
}

/**
 * The shared parts (isSharedPart) a component's lists are stored in, read from its own parts
 * (its own part and the key lists it names): what a reader of the component must add to them.
 * Throws DamagedPartsError when those are missing or unreadable.
 */
function sharedKeysOf(id: string, parts: ReadonlyMap<string, string>): string[] {
  const keys = new Set<string>();
  for (const split of ownPart(id, parts).splits) for (const key of splitKeys(split, parts)) if (isSharedPart(key)) keys.add(key);
  return [...keys];
}

/**
 * The parts a reader of component `id` still lacks to join it, given `parts` (its own part and
 * what it has read of the others so far): the groups and pieces its splits list, and the key
 * lists it has not read yet (the groups they list come after them). None: it can be joined.
 * Throws DamagedPartsError when the own part or a key list read is missing or unreadable.
 */
export function missingPartsOf(id: string, parts: ReadonlyMap<string, string>): string[] {
  const missing = new Set<string>();
  for (const split of ownPart(id, parts).splits) {
    if (split.keysIn !== undefined && !parts.has(split.keysIn)) missing.add(split.keysIn);
    else for (const key of splitKeys(split, parts)) if (!parts.has(key)) missing.add(key);
  }
  return [...missing];
}

/**
 * One component's document from its parts (key → JSON: its own part and its groups), not yet
 * checked. Throws DamagedPartsError when a part is missing or unreadable.
 */
export function joinComponent(id: string, parts: ReadonlyMap<string, string>): unknown {
  const own = ownPart(id, parts);
  for (const split of own.splits) {
    const keys = splitKeys(split, parts);
    if (split.text) {
      let text = '';
      for (const key of keys) {
        const piece = parsePart(parts, key);
        if (typeof piece !== 'string') throw new DamagedPartsError(`part ${key} is not text`);
        text += piece;
      }
      setAt(own.doc as unknown as Record<string, unknown>, ['state', ...split.path], text);
      continue;
    }
    const list: unknown[] = [];
    for (const key of keys) for (const e of groupOf(parts, key)) list.push(e);
    setAt(own.doc as unknown as Record<string, unknown>, ['state', ...split.path], list);
  }
  return own.doc;
}

/** The type a component's own part names, read from the start of its JSON when it is there (as this version writes it), else parsed. */
function storedType(id: string, parts: ReadonlyMap<string, string>): unknown {
  const key = `${COMPONENT_PREFIX}${encodeURIComponent(id)}`;
  const match = /^\{"doc":\{"type":"([a-z]+)"/.exec(parts.get(key)?.slice(0, 40) ?? '');
  if (match) return match[1];
  const own = parsePart(parts, key) as { doc?: { type?: unknown } } | null;
  return isPlainObject(own) && isPlainObject(own.doc) ? own.doc.type : undefined;
}

/**
 * The head and the event log from parts, with each component left as its type and the JSON of
 * its own parts (StoredComponentDoc): each is joined and checked by the unit that runs it, in
 * its worker, so the page neither parses nor checks component state. Untrusted, as joinParts.
 * With `readFrom`, the units read the components' other parts themselves.
 */
export function joinStoredParts(parts: ReadonlyMap<string, string>, name: string, hashes?: KnownParts, readFrom?: StoredPartsSource): unknown {
  const byComponent = new Map<string, Map<string, string>>();
  for (const [key, json] of parts) {
    if (!isComponentPart(key)) continue;
    const id = componentOfPart(key);
    if (!byComponent.has(id)) byComponent.set(id, new Map());
    byComponent.get(id)!.set(key, json);
  }
  return joinWith(parts, name, (id) => {
    const own = byComponent.get(id) ?? new Map<string, string>();
    // Without `readFrom`, `parts` holds every part: each component gets the shared groups it references.
    if (!readFrom) for (const key of own.size ? sharedKeysOf(id, own) : []) if (parts.has(key)) own.set(key, parts.get(key)!);
    // With `readFrom`, `parts` holds each component's own part only: its unit reads the rest.
    const doc = { type: storedType(id, own), stored: Object.fromEntries(own), ...(readFrom ? { readFrom } : {}) };
    // With the stored hashes, the unit knows what the store holds and its saves write only what differs.
    return hashes ? { ...doc, hashes: Object.fromEntries([...own.keys()].map((k) => [k, hashes.get(k)])) } : doc;
  });
}

/**
 * The document from its parts (key → JSON), named `name`. Untrusted: the caller migrates and
 * validates the result as it would a file. Throws DamagedPartsError when parts are missing
 * or unreadable.
 */
export function joinParts(parts: ReadonlyMap<string, string>, name: string): unknown {
  return joinWith(parts, name, (id) => joinComponent(id, parts));
}

function joinWith(parts: ReadonlyMap<string, string>, name: string, component: (id: string) => unknown): unknown {
  const head = parsePart(parts, HEAD_KEY);
  if (!isPlainObject(head) || !Array.isArray(head.components) || typeof head.events !== 'number') throw new DamagedPartsError('the head part is damaged');
  const events: unknown[] = [];
  for (let c = 0; c < head.events; c++) {
    const chunk = parsePart(parts, eventsKey(c));
    if (!Array.isArray(chunk)) throw new DamagedPartsError(`part ${eventsKey(c)} is not a list`);
    for (const e of chunk) events.push(e);
  }
  const components: Record<string, unknown> = {};
  for (const id of head.components) {
    if (typeof id !== 'string') throw new DamagedPartsError('the head part lists a component without a name');
    components[id] = component(id);
  }
  // The head's keys in their stored order, with the name back in its place.
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(head)) doc[k] = k === 'components' ? components : k === 'events' ? events : k === 'name' ? name : v;
  if (!('name' in doc)) doc.name = name;
  return doc;
}
