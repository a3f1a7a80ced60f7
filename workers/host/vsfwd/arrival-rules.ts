/**
 * Rules for a vNIC the manager has not told this host about yet (a VM powered on, or arriving
 * by vMotion from another cluster, while the manager cannot reach the host): the rules that
 * apply everywhere, without those whose Applied To names specific objects. NSX: "when the VM
 * lands on the destination cluster no VM-specific rule applies until NSX Manager is back".
 */
import type { FilterRules, HostRuleSet } from '../../protocol/ruleset';

export function withoutScoped(rules: FilterRules, scoped: ReadonlySet<number>, ruleset: string, known: ReadonlySet<number> | null = null): FilterRules {
  const keep = (l: { id: number }) => !scoped.has(l.id) && (known === null || known.has(l.id));
  return { ruleset, generation: rules.generation, l3: rules.l3.filter(keep), l2: rules.l2.filter(keep) };
}

/**
 * The rule ids this host's filters run, or null when it runs none. A publish sends a host
 * nothing when no changed rule applies to its VMs (so its list of scoped rules can predate a
 * rule scoped elsewhere): an arriving filter keeps only rules this host already knows.
 */
export function knownRuleIds(rs: HostRuleSet | null): Set<number> | null {
  const filters = rs ? Object.values(rs.filters) : [];
  if (!filters.length) return null;
  const ids = new Set<number>();
  for (const f of filters) {
    for (const l of f.l3) ids.add(l.id);
    for (const l of f.l2) ids.add(l.id);
  }
  return ids;
}

/** The host's general rules for its cluster, from any filter it runs, or null if it runs none. */
export function baselineRules(rs: HostRuleSet | null, scoped: ReadonlySet<number>, cluster: string): FilterRules | null {
  const sample = rs && (Object.values(rs.filters).find((f) => f.ruleset === cluster) ?? Object.values(rs.filters)[0]);
  return sample ? withoutScoped(sample, scoped, cluster) : null;
}
