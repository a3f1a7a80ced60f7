/**
 * What a host's rule set holds, independent of its generation: its filters' lines by content,
 * its address sets, exclusions and SpoofGuard programs. A publish that leaves a host's content
 * unchanged (no changed rule applies to any of its VMs) sends it nothing (seed 000: hosts
 * outside the Applied To of a change get no update). Lines are immutable and reused across
 * generations while their rule is unchanged, so each line's text is hashed once, and so are
 * lists (arrays are not changed once made either).
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

/** Per list array: the translation gives every vNIC with the same Applied To outcome the same (immutable) array, 64 hosts' worth in a large lab. */
const listHashes = new WeakMap<readonly object[], string>();

function listHash(lines: readonly object[]): string {
  let hash = listHashes.get(lines);
  if (hash !== undefined) return hash;
  let h = 0x811c9dc5 ^ lines.length;
  for (let i = 0; i < lines.length; i++) {
    h ^= lineHash(lines[i]!);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  listHashes.set(lines, (hash = h.toString(36)));
  return hash;
}

export function contentSignature(rs: HostRuleSet): string {
  const filters = Object.entries(rs.filters)
    .map(([name, f]) => `${name}@${f.ruleset}:${listHash(f.l3)}/${listHash(f.l2)}`)
    .sort();
  const sets = fnvText(JSON.stringify(Object.entries(rs.addressSets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))).toString(36);
  const spoofGuard = fnvText(JSON.stringify(rs.spoofGuard ?? [])).toString(36);
  return `${[...rs.excluded].sort().join(',')}|${filters.join(';')}|${sets}|${spoofGuard}`;
}
