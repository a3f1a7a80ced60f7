/**
 * A host's memory of the rule lists it decoded last, so the next rule set costs what changed
 * in it. A publish after a one-rule edit carries 10k lines of which one differs: the new list
 * is compared with the old one word by word from both ends, the lines inside the common start
 * and end come back as the very objects decoded before (which the kernel has compiled already),
 * and only the lines in between are read. A list that did not change at all comes back as the
 * same array.
 *
 * Equality is always checked on the bytes; hashes only find where to look.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { commonPrefix, commonSuffix, equalBytes } from './byte-compare';

/**
 * A decoded list: its bytes and, per line, where its field starts, where
 * its body starts and ends (three ints per line in `spans`).
 */
interface KnownList<T> {
  bytes: Uint8Array;
  spans: Int32Array;
  lines: T[];
  /** Body hash → line number, built when many lines moved. */
  index?: Map<number, number>;
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

  /** The lines under `field` of a `RuleList`, reusing what the last message decoded. */
  decode(bytes: Uint8Array, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader): T[] {
    const same = this.current.find((k) => equalBytes(k.bytes, bytes)) ?? this.previous.find((k) => equalBytes(k.bytes, bytes));
    if (same) {
      if (!this.current.includes(same)) this.current.push(same);
      return same.lines;
    }
    // Kept as they are: a view of the delivered payload, which belongs to this host and is never written.
    const known = decodeAgainst(bytes, closest(this.previous, bytes.length), field, read, makeReader);
    this.current.push(known);
    return known.lines;
  }

  /** The bytes a list returned by `decode` was read from. */
  bytesOf(lines: readonly T[]): Uint8Array | undefined {
    return this.current.find((k) => k.lines === lines)?.bytes;
  }
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
  if (base) {
    const prefix = commonPrefix(bytes, base.bytes);
    // The common start and end may overlap (repeated content): the walk below never goes back.
    const suffix = commonSuffix(bytes, base.bytes);
    const baseLines = base.lines.length;
    // Old lines that end inside the common start are the new list's first lines, at the same offsets.
    const head = countWhile(baseLines, (j) => base.spans[j * 3 + 2] <= prefix);
    out.copy(base, 0, head, 0);
    r.pos = head > 0 ? base.spans[(head - 1) * 3 + 2] : 0;
    // Old lines whose field starts inside the common end are its last lines, shifted by the size change.
    tailLine = Math.max(head, countWhile(baseLines, (j) => base.spans[j * 3] < base.bytes.length - suffix));
    delta = bytes.length - base.bytes.length;
    middle = bytes.length - Math.min(suffix, bytes.length - r.pos) - r.pos;
  }
  const lookup = base && middle > MOVED_LOOKUP_MIN * 32 ? base : undefined; // ~32 bytes a line at least
  while (r.pos < r.len) {
    if (base && tailLine < base.lines.length) {
      while (tailLine < base.lines.length && base.spans[tailLine * 3] + delta < r.pos) tailLine++;
      if (tailLine < base.lines.length && base.spans[tailLine * 3] + delta === r.pos) {
        out.copy(base, tailLine, base.lines.length, delta);
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
    const moved = lookup ? find(lookup, bytes, start, start + len) : -1;
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
  return out.done(bytes);
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
function find<T>(base: KnownList<T>, bytes: Uint8Array, from: number, to: number): number {
  if (!base.index) {
    base.index = new Map();
    for (let j = base.lines.length - 1; j >= 0; j--) base.index.set(hashRange(base.bytes, base.spans[j * 3 + 1], base.spans[j * 3 + 2]), j);
  }
  const k = base.index.get(hashRange(bytes, from, to));
  if (k === undefined) return -1;
  return equalBytes(base.bytes.subarray(base.spans[k * 3 + 1], base.spans[k * 3 + 2]), bytes.subarray(from, to)) ? k : -1;
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

  /** Old lines [from, to) of `base`, their offsets moved by `shift`. */
  copy(base: KnownList<T>, from: number, to: number, shift: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    const at = this.count * 3;
    this.spans.set(base.spans.subarray(from * 3, to * 3), at);
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
