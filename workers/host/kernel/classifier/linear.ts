/**
 * The oracle: first match by walking the rule table top to bottom. Also the engine for tiny
 * tables, where it beats hashing.
 */
import type { RuleTable } from './rule-table';

/** Row index of the first row after line `afterLine` that matches, or -1. */
export function linearClassify(
  t: RuleTable,
  dirBit: number,
  proto: number,
  src: number,
  dst: number,
  sport: number,
  dport: number,
  icmpType: number,
  icmpCode: number,
  afterLine = -1,
): number {
  const n = t.count;
  const line = t.line;
  for (let e = 0; e < n; e++) {
    if (line[e] <= afterLine) continue;
    if (t.matches(e, dirBit, proto, src, dst, sport, dport, icmpType, icmpCode)) return e;
  }
  return -1;
}
