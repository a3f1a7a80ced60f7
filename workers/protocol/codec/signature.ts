/**
 * What a host's rules look like without their addresses: when an inventory change leaves it
 * unchanged, the manager sends only new address sets (NSX's "list updates"), not the rules.
 * Within one generation a rule id always gives the same lines, so ids stand for content.
 */
import type { HostRuleSet } from '../ruleset';

const listHashes = new WeakMap<readonly { id: number }[], number>();

/** FNV-1a over 32-bit words. */
function fnv(values: Iterable<number>, seed = 0x811c9dc5): number {
  let h = seed;
  for (const v of values) {
    h ^= v;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function listHash(lines: readonly { id: number }[]): number {
  let h = listHashes.get(lines);
  if (h === undefined) listHashes.set(lines, (h = fnv(lines.map((l) => l.id), lines.length)));
  return h;
}

export function ruleSignature(rs: HostRuleSet): string {
  const filters = Object.entries(rs.filters)
    .map(([name, f]) => `${name}@${f.ruleset}:${listHash(f.l3).toString(36)}/${listHash(f.l2).toString(36)}`)
    .sort();
  return `${rs.generation}|${[...rs.excluded].sort().join(',')}|${filters.join(';')}`;
}
