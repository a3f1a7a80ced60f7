/**
 * L3 redirect sections and rules ⇄ NSX-V XML. A redirect rule is a DFW rule (same sources,
 * destinations, services, Applied To, direction, logging) whose action is `redirect` or
 * `do_not_redirect` and which names a service profile (`<siProfile><objectId>…`); sections carry
 * `type="L3REDIRECT"`. The element names beyond the DFW's are the NSX-V API guide's.
 */
import { parseRule, ruleXml, type RefDescriber } from '../config/firewall-xml';
import { ApiError } from '../errors';
import { child, childrenOf, el, field, leaf, type XmlNode } from '../xml';
import type { RedirectAction, RedirectRule, RedirectSection } from './model';

const bad = (m: string) => new ApiError('badRequest', m);

function parseRedirectAction(text: string | undefined): RedirectAction {
  const a = (text ?? '').toLowerCase().replace(/[\s-]/g, '_');
  if (a === 'redirect') return 'redirect';
  if (a === 'do_not_redirect' || a === 'donotredirect' || a === 'no_redirect') return 'do_not_redirect';
  throw bad(`Invalid redirect rule action "${text ?? ''}"; expected redirect or do_not_redirect`);
}

/** The node with its action swapped for `allow`, so the DFW's rule parser reads the rest. */
function withAllow(node: XmlNode): XmlNode {
  const attrs = { ...node.attrs };
  if ('action' in attrs) attrs.action = 'allow';
  const children = node.children.map((c) => (c.tag === 'action' ? { ...c, text: 'allow' } : c));
  return { ...node, attrs, children };
}

export function parseRedirectRule(node: XmlNode): RedirectRule {
  if (node.tag !== 'rule') throw bad(`Expected <rule>, got <${node.tag}>`);
  const action = parseRedirectAction(field(node, 'action'));
  const { action: _ignored, ...rest } = parseRule(withAllow(node));
  const si = child(node, 'siProfile');
  const siProfile = si ? (field(si, 'objectId') ?? (si.text.trim() || '')) : (field(node, 'siProfile') ?? '');
  return { ...rest, action, siProfile };
}

export function parseRedirectSection(node: XmlNode): RedirectSection {
  if (node.tag !== 'section') throw bad(`Expected <section>, got <${node.tag}>`);
  const type = field(node, 'type');
  if (type && type.toUpperCase() !== 'L3REDIRECT') throw bad(`Section type ${type} does not belong in the L3REDIRECT sections`);
  const name = field(node, 'name');
  if (!name) throw bad('Section name is required');
  return { id: Number(field(node, 'id') ?? 0) || 0, name, generationNumber: 0, timestamp: 0, rules: childrenOf(node, 'rule').map(parseRedirectRule) };
}

export function redirectRuleXml(rule: RedirectRule, sectionId: number, describe: RefDescriber, profileName?: string): XmlNode {
  const base = ruleXml({ ...rule, action: 'allow' }, sectionId, describe);
  const children = base.children.map((c) => (c.tag === 'action' ? { ...c, text: rule.action } : c));
  const at = children.findIndex((c) => c.tag === 'direction');
  const si = el('siProfile', {}, leaf('objectId', rule.siProfile), leaf('name', profileName));
  children.splice(at < 0 ? children.length : at, 0, si);
  return { ...base, children };
}

export function redirectSectionXml(section: RedirectSection, describe: RefDescriber, profileName: (id: string) => string | undefined): XmlNode {
  return el(
    'section',
    { id: section.id, name: section.name, generationNumber: section.generationNumber, timestamp: section.timestamp, tcpStrict: false, stateless: false, useSid: false, type: 'L3REDIRECT', managedBy: section.managedBy },
    ...section.rules.map((r) => redirectRuleXml(r, section.id, describe, profileName(r.siProfile))),
  );
}
