/**
 * Rules for a vNIC the manager has not told this host about yet (a VM powered on, or arriving
 * by vMotion from another cluster, while the manager cannot reach the host): the rules that
 * apply everywhere, without those whose Applied To names specific objects. NSX: "when the VM
 * lands on the destination cluster no VM-specific rule applies until NSX Manager is back".
 */
import type { FilterRules, HostRuleSet } from '../../protocol/ruleset';

export function withoutScoped(rules: FilterRules, scoped: ReadonlySet<number>, ruleset: string): FilterRules {
  return { ruleset, generation: rules.generation, l3: rules.l3.filter((l) => !scoped.has(l.id)), l2: rules.l2.filter((l) => !scoped.has(l.id)) };
}

/** The host's general rules for its cluster, from any filter it runs, or null if it runs none. */
export function baselineRules(rs: HostRuleSet | null, scoped: ReadonlySet<number>, cluster: string): FilterRules | null {
  const sample = rs && (Object.values(rs.filters).find((f) => f.ruleset === cluster) ?? Object.values(rs.filters)[0]);
  return sample ? withoutScoped(sample, scoped, cluster) : null;
}
