/**
 * Does a new rule set fit the host's DFW memory? vsfwd asks before programming the filters:
 * with the rule tables the set needs instead of the current ones, would the resource model's
 * heaps pass the total max size? A set that does not fit is refused whole (NSX event 301032,
 * "Failed to apply firewall rule to vnic", nsx-reference §1.18) and the filters keep the rules
 * they have: failing safe. A set no larger than the current one is always taken, so a host whose
 * heap a flood filled can still be given fewer rules.
 */
import type { HostRuleSet } from '../../protocol/ruleset';
import type { HostState } from '../host-state';
import type { KernelCounts } from '../kernel/host-kernel';
import { readResources } from './resource-sampler';

/** NSX event 301032, which vsfwd's publish reply carries when a rule set does not fit the DFW memory. */
export const RULE_NOT_APPLIED = 301032;

type RuleMemoryCheck = { fits: true } | { fits: false; filter: string; neededBytes: number; totalMaxBytes: number; ruleLines: number };

export function checkRuleMemory(host: HostState, counts: KernelCounts, rs: HostRuleSet, now: number): RuleMemoryCheck {
  let ruleLines = 0;
  let longestTable = 0;
  let largest = '';
  for (const [name, f] of Object.entries(rs.filters)) {
    const lines = f.l3.length + f.l2.length;
    ruleLines += lines;
    if (lines > longestTable) [longestTable, largest] = [lines, name];
  }
  if (ruleLines <= counts.ruleLines) return { fits: true };
  const { use } = readResources(host, { ...counts, ruleLines, longestTable }, { packetsPerSecond: 0, connectionsPerSecond: 0 }, now);
  if (!use.exhausted) return { fits: true };
  return { fits: false, filter: largest, neededBytes: use.usedBytes, totalMaxBytes: use.totalMaxBytes, ruleLines };
}
