/**
 * A host's memory of the rule lists it decoded last, so the next rule set costs what changed
 * in it. A publish after a one-rule edit carries 10k lines of which one differs: the new list
 * is walked against the old one byte for byte, unchanged lines come back as the very objects
 * decoded before (which the kernel has compiled already), and only the differing lines are
 * read. A list that did not change at all comes back as the same array.
 *
 * Equality is always checked on the bytes; hashes only find where to look.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** A decoded list with where each of its lines lies in its bytes (the line's length prefix, then its body). */
interface KnownList<T> {
  signature: string;
  bytes: Uint8Array;
  at: number[];
  start: number[];
  end: number[];
  lines: T[];
  /** Body hash → line number, built on the first misalignment only. */
  index?: Map<number, number>;
}

type Read<T> = (r: BinaryReader) => T;

export class ListReuse<T> {
  private previous: KnownList<T>[] = [];
  private current: KnownList<T>[] = [];

  /** A new message: what the last one held becomes what this one is compared with. */
  begin(): void {
    this.previous = this.current;
    this.current = [];
  }

  /** The lines under `field` of a `RuleList`, reusing what the last message decoded. */
  decode(bytes: Uint8Array, signature: string, field: number, read: Read<T>, makeReader: (bytes: Uint8Array) => BinaryReader): T[] {
    const same = this.current.find((k) => k.signature === signature) ?? this.previous.find((k) => k.signature === signature);
    if (same) {
      if (!this.current.includes(same)) this.current.push(same);
      return same.lines;
    }
    const r = makeReader(bytes);
    const known: KnownList<T> = { signature, bytes, ...spans(r, field), lines: [] };
    const base = closest(this.previous, known.at.length);
    let j = 0;
    for (let i = 0; i < known.at.length; i++) {
      if (base && j < base.lines.length && sameLine(known, i, base, j)) {
        known.lines.push(base.lines[j++]!);
        continue;
      }
      if (base) {
        // A replaced line: the ones after it line up again, so no search is needed.
        if (i + 1 < known.at.length && j + 1 < base.lines.length && sameLine(known, i + 1, base, j + 1)) j++;
        else {
          // Moved, or inserted (then the old line at j is compared with the next one).
          const k = find(base, known, i);
          if (k >= 0) {
            known.lines.push(base.lines[k]!);
            j = k + 1;
            continue;
          }
        }
      }
      r.pos = known.at[i]!;
      known.lines.push(read(r));
    }
    this.current.push(known);
    return known.lines;
  }
}

function spans(r: BinaryReader, field: number): Pick<KnownList<unknown>, 'at' | 'start' | 'end'> {
  const at: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === field && wt === WireType.LengthDelimited) {
      at.push(r.pos);
      const len = r.uint32();
      start.push(r.pos);
      end.push(r.pos + len);
      r.pos += len;
    } else r.skip(wt, no);
  }
  return { at, start, end };
}

/** The earlier list most like this one in length (Applied To variants differ by a few lines). */
function closest<T>(lists: KnownList<T>[], count: number): KnownList<T> | undefined {
  let best: KnownList<T> | undefined;
  for (const l of lists) if (!best || Math.abs(l.lines.length - count) < Math.abs(best.lines.length - count)) best = l;
  return best;
}

function sameLine<T>(a: KnownList<T>, i: number, b: KnownList<T>, j: number): boolean {
  const as = a.start[i]!;
  const len = a.end[i]! - as;
  const bs = b.start[j]!;
  if (b.end[j]! - bs !== len) return false;
  const x = a.bytes;
  const y = b.bytes;
  for (let k = 0; k < len; k++) if (x[as + k] !== y[bs + k]) return false;
  return true;
}

/** Line number in `base` with the same bytes as line i of `list`, or -1. */
function find<T>(base: KnownList<T>, list: KnownList<T>, i: number): number {
  if (!base.index) {
    base.index = new Map();
    for (let j = base.lines.length - 1; j >= 0; j--) base.index.set(hashRange(base.bytes, base.start[j]!, base.end[j]!), j);
  }
  const k = base.index.get(hashRange(list.bytes, list.start[i]!, list.end[i]!));
  return k !== undefined && sameLine(list, i, base, k) ? k : -1;
}

/** FNV-1a over bytes[from, to), kept in the small-integer range V8 hashes fastest. */
function hashRange(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h & 0x3fffffff;
}
