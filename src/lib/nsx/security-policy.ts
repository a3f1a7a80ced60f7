/**
 * Service Composer security policies as the screen edits them: read from
 * `GET /api/2.0/services/policy/securitypolicy/all`, written back as the `<securityPolicy>` body
 * of a POST (new) or PUT (edit). A policy is "how to protect" (its firewall rules, by weight);
 * the security groups it is applied to are "what to protect".
 */
import { esc, list, num, obj, str, type XmlObject } from './xml';

type PolicyDirection = 'inbound' | 'outbound' | 'intra';

interface PolicyRule {
  name: string;
  action: 'allow' | 'block';
  direction: PolicyDirection;
  /** The other side of the rule: a security group id, or '' for any. Unused for intra. */
  other: string;
  /** A service (application) id, or '' for any. */
  service: string;
  logged: boolean;
  enabled: boolean;
}

/**
 * A network introspection action (category traffic_steering): redirect, or not, the traffic
 * between the policy's groups and `other` to a partner's service profile. The dialog does not
 * edit these; an edit sends them back as read so saving a policy never drops its redirects.
 */
interface SteeringAction {
  name: string;
  redirect: boolean;
  profile: string;
  profileName: string;
  direction: PolicyDirection;
  other: string;
  logged: boolean;
  enabled: boolean;
}

export interface PolicyDraft {
  name: string;
  description: string;
  weight: number;
  /** The security groups the policy is applied to. */
  groups: string[];
  rules: PolicyRule[];
  steering: SteeringAction[];
}

export interface SecurityPolicyView extends PolicyDraft {
  id: string;
  /** The names of the groups it is applied to, as NSX Manager reports them. */
  groupNames: string[];
}

export const newRule = (): PolicyRule => ({ name: '', action: 'allow', direction: 'inbound', other: '', service: '', logged: false, enabled: true });

/** The policies of a `<securityPolicies>` document, highest weight first. */
export function readPolicies(doc: XmlObject): SecurityPolicyView[] {
  return list(obj(doc.securityPolicies).securityPolicy)
    .map((p) => {
      const bindings = list(p.securityGroupBinding);
      // One actionsByCategory per category (firewall, traffic_steering); each action names its own.
      const actions = list(p.actionsByCategory).flatMap((c) => list(obj(c).action));
      const category = (a: XmlObject) => str(a, 'category') || 'firewall';
      const direction = (a: XmlObject) => (['inbound', 'outbound', 'intra'] as const).find((d) => d === str(a, 'direction')) ?? 'inbound';
      return {
        id: str(p, 'objectId'),
        name: str(p, 'name'),
        description: str(p, 'description'),
        weight: num(p, 'precedence'),
        groups: bindings.map((b) => str(b, 'objectId')),
        groupNames: bindings.map((b) => str(b, 'name') || str(b, 'objectId')),
        rules: actions
          .filter((a) => category(a) === 'firewall')
          .map((a): PolicyRule => ({
            name: str(a, 'name'),
            action: str(a, 'action') === 'block' ? 'block' : 'allow',
            direction: direction(a),
            other: str(obj(a.secondarySecurityGroup), 'objectId'),
            service: str(obj(obj(a.applications).application), 'objectId'),
            logged: str(a, 'logged') === 'true',
            enabled: str(a, 'isEnabled') !== 'false',
          })),
        steering: actions
          .filter((a) => category(a) === 'traffic_steering')
          .map((a): SteeringAction => ({
            name: str(a, 'name'),
            redirect: str(a, 'redirect') !== 'false',
            profile: str(obj(a.serviceProfile), 'objectId'),
            profileName: str(obj(a.serviceProfile), 'name') || str(obj(a.serviceProfile), 'objectId'),
            direction: direction(a),
            other: str(obj(a.secondarySecurityGroup), 'objectId'),
            logged: str(a, 'logged') === 'true',
            enabled: str(a, 'isEnabled') !== 'false',
          })),
      };
    })
    .sort((a, b) => b.weight - a.weight);
}

/** What a rule's source and destination are, in the words of NSX's policy rule editor. */
export function ruleSides(rule: Pick<PolicyRule, 'direction' | 'other'>, otherName: string): { source: string; destination: string } {
  const own = 'Policy’s Security Groups';
  const other = rule.other ? otherName : 'any';
  if (rule.direction === 'intra') return { source: own, destination: own };
  return rule.direction === 'inbound' ? { source: other, destination: own } : { source: own, destination: other };
}

/** What is wrong with a draft before it is sent, or '' (NSX Manager checks the rest). */
export function draftProblem(d: PolicyDraft, weightsInUse: Map<number, string>): string {
  if (!d.name.trim()) return 'Give the policy a name.';
  if (!Number.isInteger(d.weight) || d.weight < 0) return 'The weight is a whole number, 0 or more.';
  const clash = weightsInUse.get(d.weight);
  if (clash) return `Weight ${d.weight} is already used by ${clash}: each policy needs its own weight.`;
  const unnamed = d.rules.findIndex((r) => !r.name.trim());
  if (unnamed >= 0) return `Firewall rule ${unnamed + 1} needs a name.`;
  return '';
}

/** The `<securityPolicy>` body of a draft. */
export function policyBody(d: PolicyDraft): string {
  const rule = (r: PolicyRule) =>
    `<action class="firewallSecurityAction"><name>${esc(r.name.trim())}</name><category>firewall</category>` +
    `<action>${r.action}</action><direction>${r.direction}</direction><logged>${r.logged}</logged><isEnabled>${r.enabled}</isEnabled>` +
    (r.other && r.direction !== 'intra' ? `<secondarySecurityGroup><objectId>${esc(r.other)}</objectId></secondarySecurityGroup>` : '') +
    (r.service ? `<applications><application><objectId>${esc(r.service)}</objectId></application></applications>` : '') +
    `</action>`;
  const steer = (a: SteeringAction) =>
    `<action class="trafficSteeringSecurityAction"><name>${esc(a.name)}</name><category>traffic_steering</category>` +
    `<isEnabled>${a.enabled}</isEnabled><logged>${a.logged}</logged><serviceProfile><objectId>${esc(a.profile)}</objectId></serviceProfile>` +
    (a.other && a.direction !== 'intra' ? `<secondarySecurityGroup><objectId>${esc(a.other)}</objectId></secondarySecurityGroup>` : '') +
    `<redirect>${a.redirect}</redirect><direction>${a.direction}</direction></action>`;
  return (
    `<securityPolicy><name>${esc(d.name.trim())}</name><description>${esc(d.description.trim())}</description><precedence>${d.weight}</precedence>` +
    d.groups.map((g) => `<securityGroupBinding><objectId>${esc(g)}</objectId></securityGroupBinding>`).join('') +
    `<actionsByCategory><category>firewall</category>${d.rules.map(rule).join('')}</actionsByCategory>` +
    (d.steering.length ? `<actionsByCategory><category>traffic_steering</category>${d.steering.map(steer).join('')}</actionsByCategory>` : '') +
    `</securityPolicy>`
  );
}
