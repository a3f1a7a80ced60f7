/**
 * /api/2.0/services/policy/securitypolicy: Service Composer security policies. Each write
 * regenerates the policy sections of the firewall and publishes.
 */
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import { memberXml } from '../grouping/grouping-xml';
import { describeObject } from '../grouping/object-catalog';
import type { FirewallAction, SecurityPolicy, TrafficSteeringAction } from '../types';
import { ServiceInsertion } from '../service-insertion/service-insertion';
import { boolField, child, childrenOf, el, field, intField, leaf, type XmlNode } from '../xml';
import { bodyXml, noContent, text, xml } from './http';
import type { Router } from './router';

const SP = '/api/2.0/services/policy/securitypolicy';

type ActionCategory = 'firewall' | 'traffic_steering';

/** What every security policy action holds, whatever its category: name, direction, groups, services. */
function actionBase(node: XmlNode): Omit<FirewallAction, 'action'> {
  const direction = (field(node, 'direction') ?? 'inbound').toLowerCase();
  if (direction !== 'inbound' && direction !== 'outbound' && direction !== 'intra') throw new ApiError('badRequest', `direction "${direction}" must be inbound, outbound or intra`);
  const applications = child(node, 'applications');
  return {
    name: field(node, 'name') ?? '',
    description: field(node, 'description') ?? '',
    direction,
    logged: boolField(node, 'logged', false),
    isEnabled: boolField(node, 'isEnabled', true),
    secondarySecurityGroups: childrenOf(node, 'secondarySecurityGroup').map((g) => field(g, 'objectId')).filter((x): x is string => !!x),
    applications: applications ? applications.children.map((c) => field(c, 'objectId')).filter((x): x is string => !!x) : [],
  };
}

/** One `<action>`'s category: on the action or on the enclosing `<actionsByCategory>`. */
const categoryOf = (node: XmlNode, groupCategory: string | undefined, fallback?: ActionCategory) => field(node, 'category') ?? groupCategory ?? fallback;

/** A firewall action; other categories are read by their own parser (endpoint actions are not simulated). */
function parseAction(node: XmlNode, groupCategory: string | undefined): FirewallAction | null {
  if (categoryOf(node, groupCategory, 'firewall') !== 'firewall') return null;
  const action = (field(node, 'action') ?? 'allow').toLowerCase();
  if (action !== 'allow' && action !== 'block') throw new ApiError('badRequest', `Firewall action "${action}" must be allow or block`);
  const { name, description, ...rest } = actionBase(node);
  return { name, description, action, ...rest };
}

/** A network introspection action (`traffic_steering`, NSX-V's trafficSteeringSecurityAction): redirect or not to a service profile. */
function parseSteering(node: XmlNode, groupCategory: string | undefined): TrafficSteeringAction | null {
  if (categoryOf(node, groupCategory) !== 'traffic_steering') return null;
  const profile = child(node, 'serviceProfile');
  const serviceProfile = (profile && (field(profile, 'objectId') ?? profile.text.trim())) || '';
  if (!serviceProfile) throw new ApiError('badRequest', 'A traffic steering action needs a <serviceProfile><objectId>: the partner service profile to redirect to');
  const { name, description, ...rest } = actionBase(node);
  return { name, description, redirect: boolField(node, 'redirect', true), serviceProfile, ...rest };
}

function parsePolicy(node: XmlNode): Omit<SecurityPolicy, 'objectId' | 'sectionId' | 'ruleIds' | 'precedence'> & { precedence?: number } {
  if (node.tag !== 'securityPolicy') throw new ApiError('badRequest', `Expected <securityPolicy>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw new ApiError('badRequest', 'Security policy name is required');
  const firewallActions = childrenOf(node, 'actionsByCategory').flatMap((c) =>
    childrenOf(c, 'action')
      .map((a) => parseAction(a, field(c, 'category')))
      .filter((a): a is FirewallAction => !!a),
  );
  const steeringActions = childrenOf(node, 'actionsByCategory').flatMap((c) =>
    childrenOf(c, 'action')
      .map((a) => parseSteering(a, field(c, 'category')))
      .filter((a): a is TrafficSteeringAction => !!a),
  );
  return {
    name,
    description: field(node, 'description') ?? '',
    precedence: intField(node, 'precedence'),
    securityGroupBindings: childrenOf(node, 'securityGroupBinding').map((b) => field(b, 'objectId')).filter((x): x is string => !!x),
    firewallActions,
    steeringActions,
  };
}

export function registerPolicyRoutes(router: Router, core: ManagerCore): void {
  const si = new ServiceInsertion(core);
  const describe = (id: string) => describeObject(core, id);
  const find = (id: string | undefined) => {
    const p = core.state.securityPolicies.find((x) => x.objectId === id);
    if (!p) throw notFound(`Security policy ${id}`);
    return p;
  };
  /**
   * One `<action>` of either category, in NSX-V's element order: what only that category has
   * goes before the secondary groups (`head`) and as its verdict after the services (`verdict`).
   */
  const actionXml = (category: ActionCategory, a: FirewallAction | TrafficSteeringAction, head: (XmlNode | null)[], verdict: (XmlNode | null)[]): XmlNode =>
    el(
      'action',
      { class: category === 'firewall' ? 'firewallSecurityAction' : 'trafficSteeringSecurityAction' },
      leaf('name', a.name),
      leaf('description', a.description),
      leaf('category', category),
      leaf('isEnabled', a.isEnabled),
      leaf('isActionEnforced', false),
      ...head,
      ...a.secondarySecurityGroups.map((id) => memberXml('secondarySecurityGroup', id, 'SecurityGroup', describe(id).name)),
      a.applications.length ? el('applications', {}, ...a.applications.map((id) => memberXml(id.startsWith('applicationgroup-') ? 'applicationGroup' : 'application', id, describe(id).type, describe(id).name))) : null,
      ...verdict,
      leaf('direction', a.direction),
      leaf('outsideSecondaryContainer', false),
    );
  const policyXml = (p: SecurityPolicy): XmlNode =>
    el(
      'securityPolicy',
      {},
      leaf('objectId', p.objectId),
      leaf('objectTypeName', 'Policy'),
      el('type', {}, leaf('typeName', 'Policy')),
      leaf('name', p.name),
      leaf('description', p.description),
      leaf('precedence', p.precedence),
      ...p.securityGroupBindings.map((id) => memberXml('securityGroupBinding', id, 'SecurityGroup', describe(id).name)),
      el('actionsByCategory', {}, leaf('category', 'firewall'), ...p.firewallActions.map((a) => actionXml('firewall', a, [], [leaf('logged', a.logged), leaf('action', a.action)]))),
      (p.steeringActions?.length ?? 0) > 0
        ? el(
            'actionsByCategory',
            {},
            leaf('category', 'traffic_steering'),
            ...(p.steeringActions ?? []).map((a) =>
              actionXml(
                'traffic_steering',
                a,
                [
                  leaf('logged', a.logged),
                  el('serviceProfile', {}, leaf('objectId', a.serviceProfile), leaf('name', si.serviceByProfile(a.serviceProfile)?.name)),
                  leaf('invalidServiceProfile', !si.serviceByProfile(a.serviceProfile)),
                ],
                [leaf('redirect', a.redirect)],
              ),
            ),
          )
        : null,
    );
  const validate = (p: SecurityPolicy) => {
    const steering = p.steeringActions ?? [];
    for (const id of [...p.securityGroupBindings, ...[...p.firewallActions, ...steering].flatMap((a) => a.secondarySecurityGroups)]) {
      if (!core.state.securityGroups.some((g) => g.objectId === id)) throw new ApiError('badRequest', `Security group ${id} does not exist`);
    }
    for (const id of [...p.firewallActions, ...steering].flatMap((a) => a.applications)) if (!describe(id).name) throw new ApiError('badRequest', `Service ${id} does not exist`);
    for (const a of steering) {
      if (!si.serviceByProfile(a.serviceProfile)) throw new ApiError('badRequest', `Service profile ${a.serviceProfile} does not exist: a traffic steering action redirects to a registered partner service's profile`);
    }
    const clash = core.state.securityPolicies.find((x) => x.objectId !== p.objectId && x.precedence === p.precedence);
    if (clash) throw new ApiError('badRequest', `Precedence (weight) ${p.precedence} is already used by ${clash.name}`);
  };
  const maxPrecedence = () => Math.max(0, ...core.state.securityPolicies.map((p) => p.precedence));
  /** Each action keeps its rule id; new actions get new ids. */
  const withIds = (p: SecurityPolicy) => {
    while (p.ruleIds.length < p.firewallActions.length) p.ruleIds.push(core.state.ids.rule++);
    p.ruleIds = p.ruleIds.slice(0, p.firewallActions.length);
    const steering = p.steeringActions?.length ?? 0;
    if (steering > 0) {
      p.redirectSectionId ??= core.state.ids.section++;
      const ids = [...(p.redirectRuleIds ?? [])];
      while (ids.length < steering) ids.push(core.state.ids.rule++);
      p.redirectRuleIds = ids.slice(0, steering);
    }
    return p;
  };
  const republish = (reason: string) => core.republish(reason);

  router.on(SP, {
    POST: ({ req }) => {
      const body = parsePolicy(bodyXml(req));
      const p = withIds({ ...body, objectId: `policy-${core.state.ids.policy++}`, precedence: body.precedence ?? maxPrecedence() + 1000, sectionId: core.state.ids.section++, ruleIds: [] });
      validate(p);
      core.state.securityPolicies.push(p);
      core.audit('created security policy', p.objectId, null, p);
      republish(`security policy ${p.name} created`);
      return text(201, p.objectId, { Location: `${SP}/${p.objectId}` });
    },
  });
  router.on(`${SP}/all`, { GET: () => xml(200, el('securityPolicies', {}, ...[...core.state.securityPolicies].sort((a, b) => b.precedence - a.precedence).map(policyXml))) });
  router.on(`${SP}/maxprecedence`, { GET: () => text(200, String(maxPrecedence())) });
  router.on(`${SP}/:id`, {
    GET: ({ params }) => xml(200, policyXml(find(params.id))),
    PUT: ({ req, params }) => {
      const current = find(params.id);
      const body = parsePolicy(bodyXml(req));
      const next = withIds({ ...current, ...body, precedence: body.precedence ?? current.precedence, ruleIds: [...current.ruleIds] });
      validate(next);
      core.state.securityPolicies = core.state.securityPolicies.map((p) => (p === current ? next : p));
      core.audit('updated security policy', current.objectId, current, next);
      republish(`security policy ${next.name} updated`);
      return xml(200, policyXml(next));
    },
    DELETE: ({ params }) => {
      const current = find(params.id);
      core.state.securityPolicies = core.state.securityPolicies.filter((p) => p !== current);
      core.audit('deleted security policy', current.objectId, current, null);
      republish(`security policy ${current.name} deleted`);
      return noContent();
    },
  });
}
