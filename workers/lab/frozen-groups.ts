/**
 * What a save worked out for a group of a list (lab-parts.ts's groupList: the group's hash and
 * size, from the JSON of each element), kept for groups of elements that can never change: a
 * host's rule lines are decoded once, deep-frozen, and handed to every later rule set and
 * snapshot as the same objects, so the autosave after a one-rule edit finds nearly all of its
 * 10k lines' groups here instead of serialising and hashing them again.
 *
 * Only deep-frozen plain data is trusted (checked once per object, as freezing cannot be undone):
 * an element that could be written in place is serialised by every save, as before.
 */

import { hashBytes } from './cyrb53';

/** A group as the save that made it found it. */
interface KnownGroup {
  /** The group's elements, in order: a run of a list is this group only when it holds these very objects. */
  readonly elements: readonly unknown[];
  /** Whether the list was grouped by its elements' ids (a group closes differently otherwise). */
  readonly byId: boolean;
  /** The length of its elements' JSON together (without the list's brackets and commas). */
  readonly chars: number;
  /** Its JSON as a list: hash and length. */
  readonly hash: number;
  readonly size: number;
}

/** Elements found deep-frozen plain data: they stay so (a frozen object cannot be thawed). Only elements: a WeakSet entry costs more than walking a line's few objects again. */
const frozenElements = new WeakSet<object>();

/** Whether `value` is plain data (plain objects, arrays, primitives) frozen all the way down, without getters. */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (value === null) return true;
  if (!Object.isFrozen(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype) return false;
  for (const key in value) {
    // A getter could answer differently each time: data properties only.
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || descriptor.get || !isDeepFrozen(descriptor.value)) return false;
  }
  return true;
}

function isFrozenElement(element: unknown): boolean {
  if (typeof element !== 'object' || element === null) return isDeepFrozen(element);
  if (frozenElements.has(element)) return true;
  if (!isDeepFrozen(element)) return false;
  frozenElements.add(element);
  return true;
}

/** Groups by their first element (an element that starts groups in two lists keeps the later one). */
const groupsByFirst = new WeakMap<object, KnownGroup>();

/** Keeps `group` for later saves when all its elements are deep-frozen. */
export function rememberGroup(group: KnownGroup): void {
  const first = group.elements[0];
  if (typeof first !== 'object' || first === null || !group.elements.every(isFrozenElement)) return;
  groupsByFirst.set(first, group);
}

/** The known group `list` holds from `start` on (the same objects, grouped the same way), if any. */
export function knownGroupAt(list: readonly unknown[], start: number, byId: boolean): KnownGroup | undefined {
  const first = list[start];
  if (typeof first !== 'object' || first === null) return undefined;
  const known = groupsByFirst.get(first);
  if (!known || known.byId !== byId || start + known.elements.length > list.length) return undefined;
  for (let j = 1; j < known.elements.length; j++) if (list[start + j] !== known.elements[j]) return undefined;
  return known;
}

// ---- lists named by the bytes they were decoded from ----------------------------------------

/**
 * A list's groups as the save that grouped it found them, in order: how many elements each
 * holds and what groupList worked out for it. Another unit holding a list of the same name
 * (listName) takes its groups from these instead of serialising and hashing it (the first save
 * after 64 hosts synced the same 10k rule lines: one host groups them, the others are told).
 */
export interface GroupShape {
  readonly count: number;
  readonly chars: number;
  readonly hash: number;
  readonly size: number;
}

/** List name → its groups' shapes (GroupShape), as a save's units learn them. */
export type ListShapes = ReadonlyMap<string, readonly GroupShape[]>;

/** Where a list's elements were decoded from: bytes that decode (as `kind`) to exactly those elements. */
type ListSource = (list: readonly unknown[]) => { kind: number; bytes: Uint8Array } | undefined;

let sourceOf: ListSource = () => undefined;
const names = new WeakMap<readonly unknown[], string>();

/**
 * Lets the runtime name lists by the bytes they were decoded from (a host's rule lines from NSX
 * Manager's blob): set by the component that decodes them, which vouches that equal bytes
 * decode to equal elements, and that a list it names is never changed in place.
 */
export function nameListsBy(source: ListSource): void {
  sourceOf = source;
}

/** A name for the list's content, when it was decoded from bytes and its elements are deep-frozen (so still as decoded). */
export function listName(list: readonly unknown[]): string | undefined {
  let name = names.get(list);
  if (name !== undefined) return name;
  const source = sourceOf(list);
  if (!source || !list.every(isFrozenElement)) return undefined;
  name = `${source.kind}:${hashBytes(source.bytes).toString(36)}.${source.bytes.length.toString(36)}`;
  names.set(list, name);
  return name;
}
