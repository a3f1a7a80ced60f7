/**
 * One filter's L3 rules, compiled: the kernel rule lines → RuleTable rows (one per port-range
 * combination), the tuple-space index over them, and the default-rule inference.
 *
 * The default rule: the manager marks it only by position, so the last line counts as the
 * default when it matches everything (any source, destination, service; both directions).
 * Verdicts on that line report table 'default'.
 */
import { PROTO_ICMP } from '../../../protocol/frame';
import type { AddressSets, L3RuleLine, PortRange } from '../../../protocol/ruleset';
import { CompiledClassifier } from '../classifier/compiled';
import { linearClassify } from '../classifier/linear';
import { compactSide, RuleTable, type EntrySpec, type TableBase } from '../classifier/rule-table';

/** Below this many rows a straight scan beats hashing. */
const LINEAR_MAX_ROWS = 24;

const ALL_PORTS: PortRange[] = [[0, 65535]];

export function dirMaskOf(direction: 'in' | 'out' | 'inout'): number {
  return direction === 'in' ? 1 : direction === 'out' ? 2 : 3;
}

function isAnyAnyAny(l: L3RuleLine): boolean {
  const anySide = (m: L3RuleLine['src']) => m.sets.length === 0 && m.cidrs.length === 0;
  return (
    l.protocol === 'any' &&
    anySide(l.src) &&
    anySide(l.dst) &&
    l.srcPorts.length === 0 &&
    l.dstPorts.length === 0 &&
    l.icmpType === undefined &&
    l.direction === 'inout' &&
    l.packetType !== 'ipv6'
  );
}

export function lineToSpecs(l: L3RuleLine, line: number): EntrySpec[] {
  if (l.packetType === 'ipv6') return []; // the lab's data path is IPv4 only
  const proto = l.protocol === 'any' ? -1 : l.protocol;
  const sports = l.srcPorts.length ? l.srcPorts : ALL_PORTS;
  const dports = l.dstPorts.length ? l.dstPorts : ALL_PORTS;
  const icmp = proto === PROTO_ICMP;
  const out: EntrySpec[] = [];
  for (const sp of sports) for (const dp of dports) {
    out.push({
      line,
      dirMask: dirMaskOf(l.direction),
      proto,
      sport: [sp[0], sp[1]],
      dport: [dp[0], dp[1]],
      icmpType: icmp && l.icmpType !== undefined ? l.icmpType : -1,
      icmpCode: icmp && l.icmpCode !== undefined ? l.icmpCode : -1,
      src: { match: l.src },
      dst: { match: l.dst },
    });
  }
  return out;
}

/**
 * A line's specs depend on the line alone, and a publish hands the kernel the same line objects
 * for unchanged rules (the decoder reuses them), so recompiling a 10k-rule table after a one-rule
 * change recomputes one line's specs. Their `line` field is the position the line first had;
 * RuleTable takes positions separately.
 */
const specsByLine = new WeakMap<L3RuleLine, EntrySpec[]>();

function specsOf(l: L3RuleLine, line: number): EntrySpec[] {
  let specs = specsByLine.get(l);
  if (!specs) specsByLine.set(l, (specs = lineToSpecs(l, line).map((s) => ({ ...s, src: compactSide(s.src), dst: compactSide(s.dst) }))));
  return specs;
}

export class L3RuleSet {
  readonly table: RuleTable;
  /** Lines this compile translated; the others' rows came from the previous table. */
  readonly compiledLines: number;
  /** Line index of the default rule, or -1 when the last line is not any/any/any. */
  readonly defaultLine: number;
  private index: CompiledClassifier | null = null;

  /**
   * With `previous` (the filter's rules until now, resolved against the same address sets) the
   * table keeps the rows of the lines both lists start and end with, and compiles only the lines
   * in between: a publish that edits, adds or removes one of 10k rules compiles one line.
   */
  constructor(
    readonly lines: readonly L3RuleLine[],
    sets: AddressSets,
    previous?: L3RuleSet,
  ) {
    const kept = previous ? keptLines(previous.lines, lines) : null;
    const first = kept ? kept.head : 0;
    const end = kept ? lines.length - kept.tail : lines.length;
    const specs: EntrySpec[] = [];
    const positions: number[] = [];
    for (let i = first; i < end; i++) {
      for (const spec of specsOf(lines[i], i)) {
        specs.push(spec);
        positions.push(i);
      }
    }
    this.table = kept && previous ? RuleTable.from(previous.table, specs, sets, positions, keptRows(previous, kept, lines.length)) : new RuleTable(specs, sets, positions);
    this.compiledLines = end - first;
    const last = lines.length - 1;
    this.defaultLine = last >= 0 && isAnyAnyAny(lines[last]) ? last : -1;
  }

  get usesIndex(): boolean {
    return this.table.count > LINEAR_MAX_ROWS;
  }

  referencedSets(): Set<string> {
    return this.table.referencedSets();
  }

  /** Address sets changed: rows keep their compiled fields; only address sides and the index follow. */
  updateSets(sets: AddressSets, changed: ReadonlySet<string>): boolean {
    return this.table.updateSets(sets, changed);
  }

  /** Line index of the first matching line after `afterLine`, or -1. */
  classify(dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number, afterLine = -1): number {
    const t = this.table;
    let row: number;
    if (t.count > LINEAR_MAX_ROWS) {
      let idx = this.index;
      if (idx === null || idx.builtForVersion !== t.addressVersion) idx = this.index = new CompiledClassifier(t);
      row = idx.classify(dirBit, proto, src, dst, sport, dport, icmpType, icmpCode, afterLine);
    } else {
      row = linearClassify(t, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode, afterLine);
    }
    return row < 0 ? -1 : t.line[row];
  }

  /** The oracle, for tests and for explaining a verdict. */
  classifyLinear(dirBit: number, proto: number, src: number, dst: number, sport: number, dport: number, icmpType: number, icmpCode: number, afterLine = -1): number {
    const row = linearClassify(this.table, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode, afterLine);
    return row < 0 ? -1 : this.table.line[row];
  }
}

/** Lines a new list shares with the old one at its start (`head`) and at its end (`tail`), by identity. */
interface KeptLines {
  head: number;
  tail: number;
}

/** Below this share of lines kept, a fresh compile is as cheap as a patch and keeps no stale matchers. */
const MIN_KEPT_SHARE = 0.5;

function keptLines(before: readonly L3RuleLine[], after: readonly L3RuleLine[]): KeptLines | null {
  const max = Math.min(before.length, after.length);
  let head = 0;
  while (head < max && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < max - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return head + tail >= after.length * MIN_KEPT_SHARE && head + tail > 0 ? { head, tail } : null;
}

/** The old table's rows for the kept lines: rows are in line order, so they are a head and a tail of it. */
function keptRows(previous: L3RuleSet, kept: KeptLines, lineCount: number): Omit<TableBase, 'table'> {
  const old = previous.table;
  const oldLines = previous.lines.length;
  return { head: firstRowAtOrAfter(old, kept.head), tailFrom: firstRowAtOrAfter(old, oldLines - kept.tail), shift: lineCount - oldLines };
}

function firstRowAtOrAfter(t: RuleTable, line: number): number {
  let lo = 0;
  let hi = t.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.line[mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
