/**
 * A compact stored form of a JSON list (a group of firewall sections, VMs, rule lines…): by
 * columns instead of one object per element with its keys repeated. NSX Manager's 10k rules are
 * 3.9 M chars as JSON and a tenth of that packed; IndexedDB's cost of a write grows with what it
 * stores, so the large lab's save and load are cheaper by about as much.
 *
 * A column holds the n values at one place of every element, and says how it is stored by its
 * first item (its tag):
 *   ['=', v]                 n times the primitive v
 *   ['+', start, step]       the integers start, start + step, …
 *   ['d', values, indices]   primitives from a short dictionary; `indices` is a column
 *   ['#', numbers]           strings that are integers in canonical form ("42"); `numbers` is a column
 *   ['p', prefix, rest]      strings that all start with `prefix`; `rest` is a column of what follows it
 *   ['o', keys, …columns]    objects with the same keys in the same order, a column per key
 *   ['a', lengths, items]    lists: their lengths, then all their items as one column
 *   ['m', kinds, …columns]   values of several kinds (object shapes, lists, primitive types): each
 *                            value's kind as a column, then a column per kind with its values in order
 *   ['v', …values]           the values as they are
 * Unpacking gives back values whose JSON is the JSON the list had, keys in the same order.
 */

/** A stored group in the packed form (a group stored as a plain JSON list is an array). */
interface PackedList {
  n: number;
  c: Column;
}

type Column = [string, ...unknown[]];
type Primitive = string | number | boolean | null;

/** Dictionaries are used while they have at most this share of distinct values. */
const DICTIONARY_MAX_SHARE = 0.5;

function isPrimitive(value: unknown): value is Primitive {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value the packer meets that JSON.stringify would not write as it is (undefined, toJSON, a class instance…). */
class NotPlainJson extends Error {}

/**
 * The packed form of a list. Packed as it is when every value in it is plain JSON data (a
 * component's state is); otherwise (a toJSON, an undefined property, a hole) from `json`, the
 * list's JSON parsed, so the packed form always holds what the JSON does.
 */
export function packList(list: readonly unknown[], json?: string): PackedList {
  try {
    return { n: list.length, c: packColumn(list) };
  } catch (err) {
    if (!(err instanceof NotPlainJson) || json === undefined) throw err;
    const parsed = JSON.parse(json) as unknown[];
    return { n: parsed.length, c: packColumn(parsed) };
  }
}

function packColumn(values: readonly unknown[]): Column {
  if (!values.length) return ['v'];
  const first = kindOf(values[0]);
  if (allOfKind(values, first)) return packKind(first, values);
  const kinds = values.map(kindOf);
  const order: string[] = [];
  const byKind = new Map<string, unknown[]>();
  const index = kinds.map((k) => {
    if (!byKind.has(k)) {
      byKind.set(k, []);
      order.push(k);
    }
    return order.indexOf(k);
  });
  values.forEach((v, i) => byKind.get(kinds[i])!.push(v));
  return ['m', packColumn(index), ...order.map((k) => packKind(k, byKind.get(k)!))];
}

/**
 * A value's kind: its primitive type, 'list', or its object's keys in order (their count and the
 * keys joined by NUL, or as JSON when a key holds one). Throws NotPlainJson for a value JSON would write otherwise.
 */
function kindOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return typeof value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotPlainJson();
      return 'number';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'list';
      assertPlain(value);
      const keys = Object.keys(value);
      // The count too: {} and {"": 1} would both join to nothing.
      return keys.some((k) => k.includes('\0')) ? `{${JSON.stringify(keys)}` : `}${keys.length}\0${keys.join('\0')}`;
    }
    default:
      throw new NotPlainJson();
  }
}

/** Throws NotPlainJson for an object JSON would not write as its own keys (a class instance, a toJSON). */
function assertPlain(value: object): void {
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NotPlainJson();
}

/**
 * Whether every value is of `kind` (the first value's), checked without building each value's
 * kind: the common column, one shape of object or one primitive type, costs a comparison a value.
 */
function allOfKind(values: readonly unknown[], kind: string): boolean {
  if (kind === 'list') return values.every((v) => Array.isArray(v));
  if (!kind.startsWith('}')) return values.every((v) => kindOf(v) === kind);
  const keys = Object.keys(values[0] as object);
  return values.every((v) => {
    if (!isObject(v)) return false;
    const own = Object.keys(v);
    if (own.length !== keys.length || !own.every((k, i) => k === keys[i])) return false;
    assertPlain(v);
    return true;
  });
}

function packKind(kind: string, values: readonly unknown[]): Column {
  if (kind === 'list') {
    const lists = values as unknown[][];
    const items: unknown[] = [];
    // By index, not flat(): a hole is a value JSON writes as null, which kindOf refuses.
    for (const l of lists) for (let i = 0; i < l.length; i++) items.push(l[i]);
    return ['a', packColumn(lists.map((l) => l.length)), packColumn(items)];
  }
  if (kind.startsWith('{') || kind.startsWith('}')) {
    const keys = Object.keys(values[0] as object);
    const columns = keys.map(() => new Array<unknown>(values.length));
    // Object.values is in the keys' order, and the same keys: one pass, no lookups by name.
    values.forEach((o, i) => Object.values(o as object).forEach((v, j) => (columns[j][i] = v)));
    return ['o', keys, ...columns.map(packColumn)];
  }
  return packPrimitives(values as Primitive[]);
}

function packPrimitives(values: Primitive[]): Column {
  const first = values[0];
  if (values.every((v) => v === first)) return ['=', first];
  const range = packIntegers(values);
  if (range) return range;
  const distinct = [...new Set(values)];
  if (distinct.length <= values.length * DICTIONARY_MAX_SHARE) {
    const at = new Map(distinct.map((v, i) => [v, i]));
    const indices = values.map((v) => at.get(v)!);
    // The indices as they are (a dictionary of them would be this column again), or a range.
    return ['d', distinct, packIntegers(indices) ?? ['v', ...indices]];
  }
  if (values.every((v) => typeof v === 'string')) return packStrings(values as string[]);
  return ['v', ...values];
}

/** Integers in a range (start, start + step, …) as a range column. */
function packIntegers(values: Primitive[]): Column | undefined {
  if (!values.every((v) => Number.isSafeInteger(v))) return undefined;
  const numbers = values as number[];
  const step = numbers[1] - numbers[0];
  return numbers.every((v, i) => v === numbers[0] + i * step) ? ['+', numbers[0], step] : undefined;
}

function isCanonicalInteger(text: string): boolean {
  const n = Number(text);
  return Number.isSafeInteger(n) && String(n) === text;
}

function packStrings(values: string[]): Column {
  if (values.every(isCanonicalInteger)) return ['#', packColumn(values.map(Number))];
  let prefix = values[0];
  for (const v of values) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix.charCodeAt(i) === v.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
    if (!prefix) break;
  }
  // Not into the middle of a surrogate pair: each part must stay valid text.
  if (prefix && /[\ud800-\udbff]$/.test(prefix)) prefix = prefix.slice(0, -1);
  if (prefix) return ['p', prefix, packColumn(values.map((v) => v.slice(prefix.length)))];
  return ['v', ...values];
}

/** Why a packed group could not be unpacked. */
export class DamagedPackError extends Error {}

/** The list a packed group holds. Throws DamagedPackError when it is not one. */
export function unpackList(packed: unknown): unknown[] {
  if (!isObject(packed) || !Number.isSafeInteger(packed.n) || (packed.n as number) < 0) throw new DamagedPackError('not a packed list');
  return unpackColumn(packed.c, packed.n as number);
}

function unpackColumn(column: unknown, n: number): unknown[] {
  if (!Array.isArray(column)) throw new DamagedPackError('a column is not a list');
  const [tag, a, b] = column as unknown[];
  switch (tag) {
    case '=':
      if (!isPrimitive(a)) throw new DamagedPackError('a constant column holds no primitive');
      return new Array<unknown>(n).fill(a);
    case '+':
      if (typeof a !== 'number' || typeof b !== 'number') throw new DamagedPackError('a range column is not numbers');
      return Array.from({ length: n }, (_, i) => a + i * b);
    case 'd': {
      if (!Array.isArray(a)) throw new DamagedPackError('a dictionary column has no dictionary');
      return unpackColumn(b, n).map((i) => {
        if (typeof i !== 'number' || !(i in a)) throw new DamagedPackError('a dictionary index is out of range');
        return a[i];
      });
    }
    case '#':
      return unpackColumn(a, n).map((v) => String(v));
    case 'p':
      if (typeof a !== 'string') throw new DamagedPackError('a prefix column has no prefix');
      return unpackColumn(b, n).map((v) => a + (v as string));
    case 'o':
      return unpackObjects(column, n);
    case 'a':
      return unpackLists(a, b, n);
    case 'm':
      return unpackMixed(column, n);
    case 'v':
      if (column.length - 1 !== n) throw new DamagedPackError(`a column holds ${column.length - 1} values, not ${n}`);
      return column.slice(1);
    default:
      throw new DamagedPackError(`a column's tag ${JSON.stringify(tag)} is unknown`);
  }
}

function unpackObjects(column: unknown[], n: number): Record<string, unknown>[] {
  const keys = column[1];
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string') || column.length !== keys.length + 2) throw new DamagedPackError('an object column does not match its keys');
  const columns = keys.map((_, j) => unpackColumn(column[j + 2], n));
  return Array.from({ length: n }, (_, i) => {
    const o: Record<string, unknown> = {};
    // As JSON.parse makes it: "__proto__" an own key, not the object's prototype.
    keys.forEach((k, j) => (k === '__proto__' ? Object.defineProperty(o, k, { value: columns[j][i], enumerable: true, writable: true, configurable: true }) : (o[k] = columns[j][i])));
    return o;
  });
}

function unpackLists(lengthsColumn: unknown, itemsColumn: unknown, n: number): unknown[][] {
  const lengths = unpackColumn(lengthsColumn, n);
  if (!lengths.every((l) => Number.isSafeInteger(l) && (l as number) >= 0)) throw new DamagedPackError('a list column has a bad length');
  const items = unpackColumn(itemsColumn, (lengths as number[]).reduce((s, l) => s + l, 0));
  let at = 0;
  return (lengths as number[]).map((l) => items.slice(at, (at += l)));
}

function unpackMixed(column: unknown[], n: number): unknown[] {
  const kinds = unpackColumn(column[1], n);
  const counts = new Array<number>(column.length - 2).fill(0);
  for (const k of kinds) {
    if (typeof k !== 'number' || !(k in counts)) throw new DamagedPackError('a value names no kind');
    counts[k]++;
  }
  const byKind = counts.map((count, k) => unpackColumn(column[k + 2], count));
  const next = counts.map(() => 0);
  return kinds.map((k) => byKind[k as number][next[k as number]++]);
}
