/**
 * A host's memory of the rule lists it decoded last, so the next rule set costs what changed
 * in it. A publish after a one-rule edit carries 10k lines of which one differs: the new list
 * is compared with the old one word by word from both ends, the lines inside the common start
 * and end come back as the very objects decoded before (which the kernel has compiled already),
 * and only the lines in between are read. A list that did not change at all comes back as the
 * same array.
 *
 * Equality is checked on the bytes (hashes only find where to look), unless the list's origin
 * says which bytes it copied from a list this host holds: NSX Manager knows what it copied, and
 * the host then reads only the lines between, without walking half a megabyte to find them.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { commonPrefix, commonSuffix, equalBytes } from './byte-compare';
import { recordListChange } from './list-change';
import type { ListOrigin } from '../shared-rule-lists';

/**
 * A decoded list: its bytes and, per line, where its field starts, where
 * its body starts and ends (three ints per line in `spans`).
 */
interface KnownList<T> {
  bytes: Uint8Array;
  /** Found when first needed (a list read from its origin has none until a later list is compared with it). */
  spans?: Int32Array;
  lines: T[];
  /** Body hash → line number, built when many lines moved. */
  index?: Map<number, number>;
  /** Its id where the publisher gave one (ListOrigin). */
  id?: number;
}

type Read<T> = (r: BinaryReader) => T;

/** Past this many lines between the kept start and end, lines are looked up in the old list by hash (a moved block). */
const MOVED_LOOKUP_MIN = 8;

export class ListReuse<T> {
  private previous: KnownList<T>[] = [];
  private current: KnownList<T>[] = [];

  /** A new message: what the last one held becomes what this one is compared with. */
  begin(): void {
    this.previous = this.current;
    this.current = [];
  }

  /** The lines under `field` of a `RuleList`, reusing what the last message decoded. `origin`: how its publisher made it, when known. */
  decode(bytes: Uint8Array, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader, origin?: ListOrigin): T[] {
    const known = this.reused(bytes, origin) ?? this.fromOrigin(bytes, origin, field, read, makeReader) ?? decodeAgainst(bytes, closest(this.previous, bytes.length), field, read, makeReader);
    if (origin) known.id = origin.id;
    if (!this.current.includes(known)) this.current.push(known);
    return known.lines;
  }

  /** A list this host holds already: by its id when the publisher named it, else by its bytes. */
  private reused(bytes: Uint8Array, origin?: ListOrigin): KnownList<T> | undefined {
    if (origin) return this.byId(origin.id);
    return this.current.find((k) => equalBytes(k.bytes, bytes)) ?? this.previous.find((k) => equalBytes(k.bytes, bytes));
  }

  /** The list read as its origin says it was made, from a list this host holds. */
  private fromOrigin(bytes: Uint8Array, origin: ListOrigin | undefined, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader): KnownList<T> | undefined {
    const base = origin?.from && this.byId(origin.from.id);
    return base && origin?.from ? decodeFrom(bytes, base, origin.from, field, read, makeReader) : undefined;
  }

  private byId(id: number): KnownList<T> | undefined {
    return this.current.find((k) => k.id === id) ?? this.previous.find((k) => k.id === id);
  }

  /** The bytes a list returned by `decode` was read from. */
  bytesOf(lines: readonly T[]): Uint8Array | undefined {
    return this.current.find((k) => k.lines === lines)?.bytes;
  }
}

/**
 * The list its origin says it is: `base`'s first and last lines around the lines read from the
 * bytes between (undefined when the origin does not fit `base` or the bytes).
 */
function decodeFrom<T>(bytes: Uint8Array, base: KnownList<T>, from: NonNullable<ListOrigin['from']>, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader): KnownList<T> | undefined {
  const m = base.lines.length;
  const { headLines, tailLines, headBytes, tailBytes } = from;
  if (headLines + tailLines > m || headBytes + tailBytes > Math.min(bytes.length, base.bytes.length)) return undefined;
  const r = makeReader(bytes.subarray(0, bytes.length - tailBytes));
  r.pos = headBytes;
  const fresh: T[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no !== field || wt !== WireType.LengthDelimited) r.skip(wt, no);
    else fresh.push(read(r));
  }
  // Slices and one concat: builtins that copy 10k references at memory speed in a cold isolate.
  const lines = base.lines.slice(0, headLines).concat(fresh, tailLines ? base.lines.slice(m - tailLines) : []);
  recordListChange(lines, base.lines, headLines, tailLines);
  return { bytes, lines };
}

/** A list's spans, found by walking its fields when it was read without them. */
function spansOf<T>(k: KnownList<T>, field: number, makeReader: (bytes: Uint8Array) => BinaryReader): Int32Array {
  if (k.spans) return k.spans;
  const spans = new Int32Array(k.lines.length * 3);
  const r = makeReader(k.bytes);
  let n = 0;
  while (r.pos < r.len) {
    const fieldAt = r.pos;
    const [no, wt] = r.tag();
    if (no !== field || wt !== WireType.LengthDelimited) {
      r.skip(wt, no);
      continue;
    }
    const len = r.uint32();
    spans[n * 3] = fieldAt;
    spans[n * 3 + 1] = r.pos;
    spans[n * 3 + 2] = r.pos + len;
    r.pos += len;
    n++;
  }
  return (k.spans = spans);
}

/** The earlier list most like this one in size (Applied To variants differ by a few lines). */
function closest<T>(lists: KnownList<T>[], size: number): KnownList<T> | undefined {
  let best: KnownList<T> | undefined;
  for (const l of lists) if (!best || Math.abs(l.bytes.length - size) < Math.abs(best.bytes.length - size)) best = l;
  return best;
}

function decodeAgainst<T>(bytes: Uint8Array, base: KnownList<T> | undefined, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader): KnownList<T> {
  const out = new ListBuilder<T>(base ? base.lines.length + 16 : bytes.length >>> 5);
  const r = makeReader(bytes);
  let tailLine = -1; // the old line where the common end starts, once the walk reaches it
  let delta = 0;
  let middle = Infinity;
  let head = 0;
  let tail = 0;
  const spans = base && spansOf(base, field, makeReader);
  if (base && spans) {
    const prefix = commonPrefix(bytes, base.bytes);
    // The common start and end may overlap (repeated content): the walk below never goes back.
    const suffix = commonSuffix(bytes, base.bytes);
    const baseLines = base.lines.length;
    // Old lines that end inside the common start are the new list's first lines, at the same offsets.
    head = countWhile(baseLines, (j) => spans[j * 3 + 2]! <= prefix);
    out.copy(base, spans, 0, head, 0);
    r.pos = head > 0 ? spans[(head - 1) * 3 + 2]! : 0;
    // Old lines whose field starts inside the common end are its last lines, shifted by the size change.
    tailLine = Math.max(head, countWhile(baseLines, (j) => spans[j * 3]! < base.bytes.length - suffix));
    delta = bytes.length - base.bytes.length;
    middle = bytes.length - Math.min(suffix, bytes.length - r.pos) - r.pos;
  }
  const lookup = base && middle > MOVED_LOOKUP_MIN * 32 ? base : undefined; // ~32 bytes a line at least
  while (r.pos < r.len) {
    if (base && spans && tailLine < base.lines.length) {
      while (tailLine < base.lines.length && spans[tailLine * 3]! + delta < r.pos) tailLine++;
      if (tailLine < base.lines.length && spans[tailLine * 3]! + delta === r.pos) {
        out.copy(base, spans, tailLine, base.lines.length, delta);
        tail = base.lines.length - tailLine;
        break;
      }
    }
    const fieldAt = r.pos;
    const [no, wt] = r.tag();
    if (no !== field || wt !== WireType.LengthDelimited) {
      r.skip(wt, no);
      continue;
    }
    const len = r.uint32();
    const start = r.pos;
    const moved = lookup ? find(lookup, spans!, bytes, start, start + len) : -1;
    let line: T;
    if (moved >= 0) line = lookup!.lines[moved]!;
    else {
      r.pos = fieldAt;
      r.tag();
      line = read(r);
    }
    r.pos = start + len;
    out.push(fieldAt, start, start + len, line);
  }
  const known = out.done(bytes);
  if (base && head + tail > 0) recordListChange(known.lines, base.lines, head, tail);
  return known;
}

/** How many of 0..n-1 satisfy `ok`, for a predicate true on a prefix of them (binary search). */
function countWhile(n: number, ok: (j: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Line number in `base` whose body has the same bytes as bytes[from, to), or -1. */
function find<T>(base: KnownList<T>, spans: Int32Array, bytes: Uint8Array, from: number, to: number): number {
  if (!base.index) {
    base.index = new Map();
    for (let j = base.lines.length - 1; j >= 0; j--) base.index.set(hashRange(base.bytes, spans[j * 3 + 1]!, spans[j * 3 + 2]!), j);
  }
  const k = base.index.get(hashRange(bytes, from, to));
  if (k === undefined) return -1;
  return equalBytes(base.bytes.subarray(spans[k * 3 + 1], spans[k * 3 + 2]), bytes.subarray(from, to)) ? k : -1;
}

/** FNV-1a over bytes[from, to), kept in the small-integer range V8 hashes fastest. */
function hashRange(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h & 0x3fffffff;
}

/**
 * Collects a list's lines and spans; runs of old lines are copied in one go (a slice each, joined
 * once at the end: a host copies the ~10k unchanged lines of every one-rule edit, in an isolate
 * where pushing them one by one runs in the interpreter the first times).
 */
class ListBuilder<T> {
  private spans: Int32Array;
  private count = 0;
  /** Runs of lines in order: slices of old lists and arrays of lines read now. */
  private readonly runs: T[][] = [];
  private fresh: T[] = [];

  constructor(capacity: number) {
    this.spans = new Int32Array(Math.max(16, capacity) * 3);
  }

  push(fieldAt: number, start: number, end: number, line: T): void {
    this.reserve(1);
    const o = this.count++ * 3;
    this.spans[o] = fieldAt;
    this.spans[o + 1] = start;
    this.spans[o + 2] = end;
    this.fresh.push(line);
  }

  /** Old lines [from, to) of `base` (`spans`: its spans), their offsets moved by `shift`. */
  copy(base: KnownList<T>, spans: Int32Array, from: number, to: number, shift: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    const at = this.count * 3;
    this.spans.set(spans.subarray(from * 3, to * 3), at);
    if (shift !== 0) for (let i = at; i < at + (to - from) * 3; i++) this.spans[i] += shift;
    if (this.fresh.length) {
      this.runs.push(this.fresh);
      this.fresh = [];
    }
    this.runs.push(base.lines.slice(from, to));
    this.count += to - from;
  }

  done(bytes: Uint8Array): KnownList<T> {
    if (this.fresh.length || !this.runs.length) this.runs.push(this.fresh);
    const lines = this.runs.length === 1 ? this.runs[0]! : ([] as T[]).concat(...this.runs);
    return { bytes, spans: this.spans.subarray(0, this.count * 3), lines };
  }

  private reserve(more: number): void {
    if ((this.count + more) * 3 <= this.spans.length) return;
    const grown = new Int32Array(Math.max(this.spans.length * 2, (this.count + more) * 3));
    grown.set(this.spans.subarray(0, this.count * 3));
    this.spans = grown;
  }
}
