/**
 * Service Composer: security policies become their own DFW sections (managedBy
 * ServiceComposer), one per policy, ordered by weight (API `precedence`, higher first) and
 * placed above every user section. A policy bound to no security group is shown but inactive
 * (its rules are disabled), as the UI greys it out.
 */
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, SecurityPolicy } from '../types';

export const SERVICE_COMPOSER = 'ServiceComposer';

const sgRef = (id: string): ObjectRef => ({ value: id, type: 'SecurityGroup' });

function policySectionName(policy: SecurityPolicy): string {
  return `${policy.name} :: NSX Service Composer - Firewall`;
}

type Sides = Pick<FirewallRule, 'sources' | 'destinations' | 'appliedTo' | 'services'>;

/** A policy action's match, the same for firewall and network introspection actions: its groups on one side, the secondary groups on the other. */
export function policyActionSides(policy: SecurityPolicy, a: { direction: 'inbound' | 'outbound' | 'intra'; secondarySecurityGroups: string[]; applications: string[] }): Sides {
  const bound = policy.securityGroupBindings.map(sgRef);
  const secondary = a.secondarySecurityGroups.length ? { excluded: false, members: a.secondarySecurityGroups.map(sgRef) } : null;
  const own = bound.length ? { excluded: false, members: bound } : null;
  const [sources, destinations] = a.direction === 'inbound' ? [secondary, own] : a.direction === 'outbound' ? [own, secondary] : [own, own];
  return {
    sources,
    destinations,
    appliedTo: bound,
    services: a.applications.map((value) => ({ kind: 'ref' as const, value, type: value.startsWith('applicationgroup-') ? 'ApplicationGroup' : 'Application' })),
  };
}

function policyRules(policy: SecurityPolicy): FirewallRule[] {
  const bound = policy.securityGroupBindings.map(sgRef);
  return policy.firewallActions.map((a, i) => {
    const rule: FirewallRule = {
      id: policy.ruleIds[i]!,
      name: a.name,
      disabled: !a.isEnabled || bound.length === 0,
      logged: a.logged,
      action: a.action === 'block' ? 'deny' : 'allow',
      ...policyActionSides(policy, a),
      direction: 'inout',
      packetType: 'any',
    };
    if (a.description) rule.notes = a.description;
    return rule;
  });
}

/** Replaces the Service Composer sections of a configuration with ones built from the policies. */
export function withPolicySections(config: FirewallConfig, policies: SecurityPolicy[], generation: number): { config: FirewallConfig; touched: number[] } {
  const previous = new Map(config.layer3Sections.filter((s) => s.managedBy).map((s) => [s.id, s] as const));
  const ordered = [...policies].sort((a, b) => b.precedence - a.precedence || a.objectId.localeCompare(b.objectId));
  const touched: number[] = [];
  const managed: FirewallSection[] = ordered.map((p) => {
    const fresh: FirewallSection = {
      id: p.sectionId,
      name: policySectionName(p),
      type: 'LAYER3',
      generationNumber: generation,
      timestamp: generation,
      tcpStrict: false,
      stateless: false,
      useSid: false,
      managedBy: SERVICE_COMPOSER,
      rules: policyRules(p),
    };
    const old = previous.get(p.sectionId);
    if (old && JSON.stringify({ ...old, generationNumber: 0, timestamp: 0 }) === JSON.stringify({ ...fresh, generationNumber: 0, timestamp: 0 })) return old;
    touched.push(p.sectionId);
    return fresh;
  });
  const removed = [...previous.keys()].filter((id) => !policies.some((p) => p.sectionId === id));
  return {
    config: { ...config, layer3Sections: [...managed, ...config.layer3Sections.filter((s) => !s.managedBy)] },
    touched: [...touched, ...removed],
  };
}
