/**
 * Service Composer's network introspection: a security policy's traffic steering actions become
 * a redirect section of their own (managedBy ServiceComposer), built as its firewall actions
 * become a DFW section: the policy's groups on one side, the action's secondary groups on the
 * other, its services, Applied To the policy's groups, and Redirect / Do not redirect to the
 * action's service profile (seed 000: "the same policy construct as DFW"). Policy sections go
 * above the user's redirect sections, higher weight first. The section name is the lab's own,
 * after the firewall's `… :: NSX Service Composer - Firewall`.
 */
import { policyActionSides, SERVICE_COMPOSER } from '../policy/service-composer';
import type { SecurityPolicy } from '../types';
import type { RedirectRule, RedirectSection } from './model';

function policyRedirectSectionName(policy: SecurityPolicy): string {
  return `${policy.name} :: NSX Service Composer - Network Introspection`;
}

function steeringRules(policy: SecurityPolicy): RedirectRule[] {
  const actions = policy.steeringActions ?? [];
  return actions.map((a, i) => {
    const rule: RedirectRule = {
      id: policy.redirectRuleIds?.[i] ?? 0,
      name: a.name,
      disabled: !a.isEnabled || policy.securityGroupBindings.length === 0,
      logged: a.logged,
      action: a.redirect ? 'redirect' : 'do_not_redirect',
      siProfile: a.serviceProfile,
      ...policyActionSides(policy, a),
      direction: 'inout',
      packetType: 'any',
    };
    if (a.description) rule.notes = a.description;
    return rule;
  });
}

/** The redirect sections hosts enforce and the API lists: the policies' (by weight), then the user's. */
export function withPolicyRedirectSections(sections: RedirectSection[], policies: readonly SecurityPolicy[], generation: number): RedirectSection[] {
  const managed = [...policies]
    .filter((p) => (p.steeringActions?.length ?? 0) > 0 && p.redirectSectionId !== undefined)
    .sort((a, b) => b.precedence - a.precedence || a.objectId.localeCompare(b.objectId))
    .map((p): RedirectSection => ({ id: p.redirectSectionId!, name: policyRedirectSectionName(p), generationNumber: generation, timestamp: generation, managedBy: SERVICE_COMPOSER, rules: steeringRules(p) }));
  return managed.length ? [...managed, ...sections] : sections;
}
