/**
 * A lab document as records ("parts"), so a save writes only what changed: a head (clock,
 * queue, counters…), the event log in chunks, and each component, whose large lists (firewall
 * sections, inventory VMs, rule lines…) are stored as groups of elements. Each part carries
 * the hash of its JSON; a save compares hashes with those stored and sends only parts that
 * differ. Splitting runs where the state lives (each unit serialises its own components in its
 * worker), so the page never serialises the whole lab for an autosave.
 *
 * Joining is the exact inverse: the document comes back with its keys in the same order, so
 * an export after a round trip is byte for byte the same.
 */
import type { ComponentDoc } from './component';
import type { LabDocument } from './lab-format';

/** A part as a save sees it: always its key, hash and size; its JSON only when it changed. */
export interface PartRef {
  key: string;
  hash: number;
  /** Length of the JSON in UTF-16 code units. */
  size: number;
  json?: string;
}

/** What the store holds already: part key → hash. */
export type KnownParts = ReadonlyMap<string, number>;

export const HEAD_KEY = 'head';
const EVENTS_PREFIX = 'events/';
const COMPONENT_PREFIX = 'component/';
/** Events per chunk: the log only grows, so every chunk but the last stays as written. */
export const EVENTS_PER_CHUNK = 512;
/** Lists shorter than this stay inside their component's part. */
const SPLIT_MIN_LENGTH = 32;
/** How deep in a component's state lists are looked for (manager → config → layer3Sections is 3). */
const SPLIT_MAX_DEPTH = 5;
/** A group closes once its JSON passes this size (a 100-rule section is a group of its own). */
const GROUP_TARGET_CHARS = 16_384;
/** Elements without ids are grouped by position, this many to a group (append-only lists change at the end). */
const GROUP_BY_POSITION = 256;

/**
 * cyrb53 (public domain, bryc): a fast 53-bit string hash. Two 32-bit lanes make an
 * accidental equal hash for a changed part negligible (about 2^-53 per changed part).
 */
export function hashText(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A part from its value, with its JSON only when `known` does not hold it already. */
export function partOf(key: string, json: string, known?: KnownParts): PartRef {
  const hash = hashText(json);
  return known?.get(key) === hash ? { key, hash, size: json.length } : { key, hash, size: json.length, json };
}

// ---- components -------------------------------------------------------------------------

/** Where a list was taken out of a component's state, and the parts holding its groups in order. */
interface Split {
  path: string[];
  keys: string[];
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

/** Lists worth storing apart: long ones, found in plain objects up to SPLIT_MAX_DEPTH deep. */
function findLists(value: Record<string, unknown>, path: string[], out: { path: string[]; list: unknown[] }[]): void {
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) {
      if (v.length >= SPLIT_MIN_LENGTH) out.push({ path: [...path, k], list: v });
    } else if (isPlainObject(v) && path.length + 1 < SPLIT_MAX_DEPTH) {
      findLists(v, [...path, k], out);
    }
  }
}

/**
 * Groups of a list, each `[key suffix, JSON]`. Elements with ids close a group where the id's
 * hash says so (or the group grew large), so inserting or removing one element changes one
 * group and leaves the others as they were; elements without ids are grouped by position.
 */
function groupList(list: unknown[]): [string, string][] {
  const ids = list.map(elementId);
  const byId = ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
  const groups: [string, string][] = [];
  let first = 0;
  let jsons: string[] = [];
  let chars = 0;
  const close = (end: number) => {
    if (!jsons.length) return;
    groups.push([byId ? `id:${ids[first]}` : `at:${first}`, `[${jsons.join(',')}]`]);
    first = end;
    jsons = [];
    chars = 0;
  };
  for (let i = 0; i < list.length; i++) {
    if (byId ? jsons.length && (chars >= GROUP_TARGET_CHARS || hashText(ids[i]!) % 16 === 0) : jsons.length === GROUP_BY_POSITION) close(i);
    const json = JSON.stringify(list[i]) ?? 'null';
    jsons.push(json);
    chars += json.length;
  }
  close(list.length);
  return groups;
}

/** A copy of `value` with the value at `path` replaced, copying only the objects along the path. */
function replacedAt(value: Record<string, unknown>, path: string[], replacement: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  return { ...value, [head]: rest.length ? replacedAt(value[head] as Record<string, unknown>, rest, replacement) : replacement };
}

/** The component a component part belongs to (`component/<id>` or `component/<id>/…`). */
export function componentOfPart(key: string): string {
  if (!key.startsWith(COMPONENT_PREFIX)) throw new Error(`${key} is not a component's part`);
  const rest = key.slice(COMPONENT_PREFIX.length);
  const slash = rest.indexOf('/');
  return decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
}

/** The parts of one component: its own part, then its lists' groups. */
export function componentParts(id: string, doc: ComponentDoc, known?: KnownParts): PartRef[] {
  const base = `${COMPONENT_PREFIX}${encodeURIComponent(id)}`;
  const lists: { path: string[]; list: unknown[] }[] = [];
  if (isPlainObject(doc.state)) findLists(doc.state, [], lists);
  const parts: PartRef[] = [];
  const splits: Split[] = [];
  let state = doc.state as Record<string, unknown>;
  for (const { path, list } of lists) {
    const listKey = `${base}/${path.map(encodeURIComponent).join('/')}`;
    const keys: string[] = [];
    for (const [suffix, json] of groupList(list)) {
      const key = `${listKey}/${encodeURIComponent(suffix)}`;
      keys.push(key);
      parts.push(partOf(key, json, known));
    }
    splits.push({ path, keys });
    state = replacedAt(state, path, null);
  }
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
  for (const id of ids) parts.push(...componentParts(id, doc.components[id], known));
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

/**
 * The document from its parts (key → JSON), named `name`. Untrusted: the caller migrates and
 * validates the result as it would a file. Throws DamagedPartsError when parts are missing
 * or unreadable.
 */
export function joinParts(parts: ReadonlyMap<string, string>, name: string): unknown {
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
    const own = parsePart(parts, `${COMPONENT_PREFIX}${encodeURIComponent(id)}`) as ComponentPart | null;
    if (!isPlainObject(own) || !isPlainObject(own.doc) || !Array.isArray(own.splits)) throw new DamagedPartsError(`part ${COMPONENT_PREFIX}${id} is damaged`);
    for (const split of own.splits) {
      const list: unknown[] = [];
      for (const key of split.keys) {
        const group = parsePart(parts, key);
        if (!Array.isArray(group)) throw new DamagedPartsError(`part ${key} is not a list`);
        for (const e of group) list.push(e);
      }
      setAt(own.doc as unknown as Record<string, unknown>, ['state', ...split.path], list);
    }
    components[id] = own.doc;
  }
  // The head's keys in their stored order, with the name back in its place.
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(head)) doc[k] = k === 'components' ? components : k === 'events' ? events : k === 'name' ? name : v;
  if (!('name' in doc)) doc.name = name;
  return doc;
}
