/**
 * Port groups: a long bucket of a table that does not key the destination port is split into
 * its rows with a port range (they stay in the bucket) and, per destination port, its rows that
 * name that one port (a group, hashed in the same table under the port as well). ClassBench acl
 * sets fill /31-/31 … /15-/26 buckets with one address pair's services: 10.5 candidates a lookup
 * on acl5, 8.7 of them turned away by their port.
 */
import type { RuleTable } from './rule-table';
import type { TupleBuild } from './tuple-build';

/** Buckets shorter than this are scanned whole: a second probe costs about as much as a few candidates. */
const GROUP_MIN = 10;

interface BucketSplit {
  /** Rows with a destination port range, in line order. */
  ranged: number[];
  /** Destination port → rows naming just it, in line order. */
  byPort: Map<number, number[]>;
}

/**
 * The split of each long bucket of a table without a port key (bucket id → split), when it
 * makes at least two groups; other buckets are not listed.
 */
export function splitBuckets(build: TupleBuild, t: RuleTable, portKeyed: (table: number) => boolean): Map<number, BucketSplit> {
  const out = new Map<number, BucketSplit>();
  const { bTable, bCount, bFirst, linkRow, linkNext } = build;
  for (let b = 0; b < build.buckets; b++) {
    if (bCount[b] < GROUP_MIN || portKeyed(bTable[b])) continue;
    const split: BucketSplit = { ranged: [], byPort: new Map() };
    for (let link = bFirst[b]; link >= 0; link = linkNext[link]) {
      const r = linkRow[link];
      if (t.dpLo[r] !== t.dpHi[r]) split.ranged.push(r);
      else {
        const rows = split.byPort.get(t.dpLo[r]);
        if (rows) rows.push(r);
        else split.byPort.set(t.dpLo[r], [r]);
      }
    }
    if (split.byPort.size >= 2) out.set(b, split);
  }
  return out;
}
