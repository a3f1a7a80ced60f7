/**
 * What a host's rule set holds, independent of its generation: its filters' lines by content,
 * its address sets, exclusions and SpoofGuard programs. A publish that leaves a host's content
 * unchanged (no changed rule applies to any of its VMs) sends it nothing (seed 000: hosts
 * outside the Applied To of a change get no update). Lines are immutable and reused across
 * generations while their rule is unchanged, so each line's text is hashed once.
 */
import type { HostRuleSet } from '../ruleset';

const lineHashes = new WeakMap<object, number>();

/** FNV-1a over the UTF-16 units of a string, continuing from `h`. */
function fnvText(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function lineHash(line: object): number {
  let h = lineHashes.get(line);
  if (h === undefined) lineHashes.set(line, (h = fnvText(JSON.stringify(line))));
  return h;
}

function listHash(lines: readonly object[]): string {
  let h = 0x811c9dc5 ^ lines.length;
  for (const l of lines) {
    h ^= lineHash(l);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function contentSignature(rs: HostRuleSet): string {
  const filters = Object.entries(rs.filters)
    .map(([name, f]) => `${name}@${f.ruleset}:${listHash(f.l3)}/${listHash(f.l2)}`)
    .sort();
  const sets = fnvText(JSON.stringify(Object.entries(rs.addressSets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))).toString(36);
  const spoofGuard = fnvText(JSON.stringify(rs.spoofGuard ?? [])).toString(36);
  return `${[...rs.excluded].sort().join(',')}|${filters.join(';')}|${sets}|${spoofGuard}`;
}
