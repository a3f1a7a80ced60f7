/**
 * NSX Manager's side of a one-rule edit: a rule list of 10k lines in which one line is new.
 * Lines are immutable and the translation reuses them for unchanged rules, so the new list
 * shares runs of line objects with one encoded before; those runs are copied as bytes (two
 * copies of the old encoding's start and end) and only the lines between them are written.
 * The bytes are exactly those of writing every line: a field per line, `tag ‖ length ‖ body`.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { ListOrigin } from '../shared-rule-lists';

/** A layer's list as encoded: its lines, its bytes, and where each line's field ends in them. */
interface EncodedList<T> {
  readonly lines: readonly T[];
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
  /** Its id and, when runs of an earlier encoding were copied, which bytes (see ListOrigin). */
  readonly origin: ListOrigin;
}

/** Ids of encoded lists: one counter for every encoder of this worker, so an id names one list's bytes. */
let lastListId = 0;

/** Bytes of a varint holding `n` (a length: below 2^32). */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Encodings kept per layer to copy from: the latest few (Applied To variants of one publish differ by a few lines). */
const KEPT = 8;

export class ListEncoder<T extends object> {
  private readonly recent: EncodedList<T>[] = [];

  constructor(
    /** The `RuleList` field the lines go in (1: L3, 2: L2). */
    private readonly field: number,
    private readonly body: (line: T) => Uint8Array,
  ) {}

  encode(lines: readonly T[]): { bytes: Uint8Array; origin: ListOrigin } {
    const base = this.closest(lines.length);
    const encoded = encodeAgainst(lines, this.field, this.body, base);
    if (this.recent.length >= KEPT) this.recent.shift();
    this.recent.push(encoded);
    return encoded;
  }

  /** The kept encoding most like a list of `length` lines in size, latest first among equals. */
  private closest(length: number): EncodedList<T> | undefined {
    let best: EncodedList<T> | undefined;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const e = this.recent[i]!;
      if (!best || Math.abs(e.lines.length - length) < Math.abs(best.lines.length - length)) best = e;
    }
    return best;
  }
}

export function encodeAgainst<T>(lines: readonly T[], field: number, body: (line: T) => Uint8Array, base?: EncodedList<T>): EncodedList<T> {
  const n = lines.length;
  const m = base?.lines.length ?? 0;
  // Lines shared, by identity, at the start and at the end (never overlapping in either list).
  let head = 0;
  let tail = 0;
  if (base) {
    const max = Math.min(n, m);
    while (head < max && lines[head] === base.lines[head]) head++;
    while (tail < max - head && lines[n - 1 - tail] === base.lines[m - 1 - tail]) tail++;
  }
  const ends = new Int32Array(n);
  const headEnd = head > 0 ? base!.ends[head - 1]! : 0;
  if (head > 0) ends.set(base!.ends.subarray(0, head));
  const w = new BinaryWriter();
  let at = headEnd;
  for (let i = head; i < n - tail; i++) {
    const b = body(lines[i]!);
    w.tag(field, WireType.LengthDelimited).bytes(b);
    at += varintSize((field << 3) | WireType.LengthDelimited) + varintSize(b.length) + b.length;
    ends[i] = at;
  }
  const middle = w.finish();
  const tailStart = tail > 0 ? (m - tail > 0 ? base!.ends[m - tail - 1]! : 0) : 0;
  const tailBytes = tail > 0 ? base!.bytes.subarray(tailStart) : new Uint8Array(0);
  const shift = at - tailStart;
  for (let j = 0; j < tail; j++) ends[n - tail + j] = base!.ends[m - tail + j]! + shift;
  const bytes = new Uint8Array(at + tailBytes.length);
  if (headEnd > 0) bytes.set(base!.bytes.subarray(0, headEnd));
  bytes.set(middle, headEnd);
  bytes.set(tailBytes, at);
  const origin: ListOrigin = { id: ++lastListId, ...(base && head + tail > 0 ? { from: { id: base.origin.id, headLines: head, tailLines: tail, headBytes: headEnd, tailBytes: tailBytes.length } } : {}) };
  return { lines, bytes, ends, origin };
}
