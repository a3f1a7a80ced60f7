/**
 * Firewall configuration ⇄ NSX-V XML (`firewallConfiguration`, `section`, `rule`), with element
 * names and order as the reference shows them. Parsing accepts both the attribute and the
 * child-element form of every field, and empty attributes, as the public clients send them.
 */
import type { PacketType, RuleAction, RuleDirection } from '../../protocol/ruleset';
import { ApiError } from '../errors';
import { parsePorts, PROTOCOL_NUMBERS } from '../grouping/services';
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, RuleSide, SectionType, ServiceRef } from '../types';
import { boolField, child, childrenOf, el, field, intField, leaf, type XmlNode } from '../xml';
import { canonicalType, inferType, isIpLiteral } from './object-types';
import { redirectSectionXml } from './redirect-sections';

const bad = (message: string) => new ApiError('badRequest', message);

// ---- parsing ---------------------------------------------------------------

function parseAction(text: string | undefined): RuleAction {
  const a = (text ?? 'allow').toLowerCase();
  if (a === 'allow' || a === 'deny' || a === 'reject') return a;
  if (a === 'block' || a === 'drop') return 'deny';
  throw bad(`Invalid rule action "${text}"; expected allow, deny or reject`);
}

function parseDirection(text: string | undefined): RuleDirection {
  const d = (text ?? 'inout').toLowerCase();
  if (d === 'in' || d === 'out' || d === 'inout') return d;
  throw bad(`Invalid rule direction "${text}"; expected in, out or inout`);
}

function parsePacketType(text: string | undefined): PacketType {
  const p = (text ?? 'any').toLowerCase();
  if (p === 'any' || p === 'ipv4' || p === 'ipv6') return p;
  throw bad(`Invalid packetType "${text}"; expected any, ipv4 or ipv6`);
}

export function parseObjectRef(node: XmlNode, what: string): ObjectRef {
  const value = field(node, 'value');
  if (!value) throw bad(`${what} has no value`);
  const sentType = field(node, 'type');
  const type = sentType ? canonicalType(sentType) : inferType(value);
  if (!type) throw bad(sentType ? `${what} "${value}" has unknown type "${sentType}"` : `Cannot tell the type of ${what} "${value}"; send <type>`);
  if ((type === 'Ipv4Address' || type === 'Ipv6Address') && !isIpLiteral(value)) throw bad(`${what} "${value}" is not an IP address, CIDR or range`);
  // Names are not stored: responses take them from the object, so a GET/PUT round trip is stable.
  return { value, type };
}

function parseSide(node: XmlNode | undefined, memberTag: string): RuleSide | null {
  if (!node) return null;
  const members = childrenOf(node, memberTag).map((m) => parseObjectRef(m, memberTag));
  if (members.length === 0) return null;
  return { excluded: boolField(node, 'excluded', false), members };
}

function parseService(node: XmlNode): ServiceRef {
  const value = field(node, 'value');
  if (value) {
    const sentType = field(node, 'type');
    const type = (sentType && canonicalType(sentType)) ?? inferType(value) ?? 'Application';
    return { kind: 'ref', value, type };
  }
  const protoText = field(node, 'protocol') ?? field(node, 'protocolName');
  if (!protoText) throw bad('service has neither a value nor a protocol');
  const protocol = /^\d+$/.test(protoText) ? Number(protoText) : PROTOCOL_NUMBERS[protoText.toUpperCase()];
  if (protocol === undefined || protocol > 255) throw bad(`service protocol "${protoText}" is not known`);
  const raw: ServiceRef = { kind: 'raw', protocol };
  const dst = field(node, 'destinationPort');
  const src = field(node, 'sourcePort');
  if (dst) raw.destinationPort = dst;
  if (src) raw.sourcePort = src;
  const sub = intField(node, 'subProtocol');
  if (sub !== undefined) raw.subProtocol = sub;
  const icmpType = intField(node, 'icmpType') ?? (protocol === 1 || protocol === 58 ? sub : undefined);
  const icmpCode = intField(node, 'icmpCode');
  if (icmpType !== undefined) raw.icmpType = icmpType;
  if (icmpCode !== undefined) raw.icmpCode = icmpCode;
  for (const [label, ports] of [['destinationPort', dst], ['sourcePort', src]] as const) {
    try {
      parsePorts(ports);
    } catch (e) {
      throw bad(`service ${label} "${ports}" is not a port, list or range: ${(e as Error).message}`);
    }
  }
  return raw;
}

/** A rule from XML; `id` is 0 when the client left it out (a new rule). */
export function parseRule(node: XmlNode): FirewallRule {
  if (node.tag !== 'rule') throw bad(`Expected <rule>, got <${node.tag}>`);
  const appliedTo = childrenOf(child(node, 'appliedToList'), 'appliedTo').map((a) => parseObjectRef(a, 'appliedTo'));
  const everywhere = appliedTo.some((a) => a.type === 'DISTRIBUTED_FIREWALL' || a.type === 'GlobalRoot');
  const rule: FirewallRule = {
    id: intField(node, 'id') ?? 0,
    name: field(node, 'name') ?? '',
    disabled: boolField(node, 'disabled', false),
    logged: boolField(node, 'logged', false),
    action: parseAction(field(node, 'action')),
    appliedTo: everywhere ? [] : appliedTo,
    sources: parseSide(child(node, 'sources'), 'source'),
    destinations: parseSide(child(node, 'destinations'), 'destination'),
    services: childrenOf(child(node, 'services'), 'service').map(parseService),
    direction: parseDirection(field(node, 'direction')),
    packetType: parsePacketType(field(node, 'packetType')),
  };
  const notes = field(node, 'notes');
  if (notes) rule.notes = notes;
  const tag = field(node, 'tag');
  if (tag) rule.tag = tag;
  return rule;
}

/** A section from XML. `expected` is the layer of the URL it was sent to. */
export function parseSection(node: XmlNode, expected: SectionType): FirewallSection {
  if (node.tag !== 'section') throw bad(`Expected <section>, got <${node.tag}>`);
  const typeText = field(node, 'type');
  if (typeText && typeText.toUpperCase() !== expected) throw bad(`Section type ${typeText} does not belong in the ${expected} sections`);
  const name = field(node, 'name');
  if (!name) throw bad('Section name is required');
  const section: FirewallSection = {
    id: intField(node, 'id') ?? 0,
    name,
    type: expected,
    generationNumber: 0,
    timestamp: 0,
    tcpStrict: boolField(node, 'tcpStrict', false),
    // New L2 sections are stateless by default, L3 stateful (6.4 defaults).
    stateless: boolField(node, 'stateless', expected === 'LAYER2'),
    useSid: boolField(node, 'useSid', false),
    rules: childrenOf(node, 'rule').map(parseRule),
  };
  const managedBy = field(node, 'managedBy');
  if (managedBy) section.managedBy = managedBy;
  return section;
}

/** A whole configuration from `<firewallConfiguration>` (or a draft's `<config>`). */
export function parseConfig(node: XmlNode): FirewallConfig {
  if (node.tag !== 'firewallConfiguration' && node.tag !== 'config') throw bad(`Expected <firewallConfiguration>, got <${node.tag}>`);
  return {
    contextId: field(node, 'contextId') ?? 'globalroot-0',
    generationNumber: intField(node, 'generationNumber') ?? 0,
    timestamp: intField(node, 'timestamp') ?? 0,
    layer3Sections: childrenOf(child(node, 'layer3Sections'), 'section').map((s) => parseSection(s, 'LAYER3')),
    layer2Sections: childrenOf(child(node, 'layer2Sections'), 'section').map((s) => parseSection(s, 'LAYER2')),
  };
}

// ---- writing ---------------------------------------------------------------

/** Looks up display names and validity of referenced objects. */
export type RefDescriber = (ref: { value: string; type: string }) => { name?: string; valid: boolean };

const noDescriber: RefDescriber = () => ({ valid: true });

function refXml(tag: string, ref: ObjectRef, describe: RefDescriber): XmlNode {
  const d = describe(ref);
  return el(tag, {}, leaf('name', ref.name ?? d.name ?? ref.value), leaf('value', ref.value), leaf('type', ref.type), leaf('isValid', d.valid));
}

function serviceXml(s: ServiceRef, describe: RefDescriber): XmlNode {
  if (s.kind === 'ref') {
    const d = describe(s);
    return el('service', {}, leaf('name', s.name ?? d.name ?? s.value), leaf('value', s.value), leaf('type', s.type), leaf('isValid', d.valid));
  }
  const protocolName = Object.entries(PROTOCOL_NUMBERS).find(([name, n]) => n === s.protocol && name !== 'FTP')?.[0];
  return el(
    'service',
    {},
    leaf('isValid', true),
    leaf('sourcePort', s.sourcePort),
    leaf('destinationPort', s.destinationPort),
    leaf('protocol', s.protocol),
    leaf('subProtocol', s.subProtocol ?? s.icmpType ?? (s.protocol === 6 || s.protocol === 17 ? s.protocol : undefined)),
    leaf('icmpCode', s.icmpCode),
    leaf('protocolName', protocolName),
  );
}

export function ruleXml(rule: FirewallRule, sectionId: number, describe: RefDescriber = noDescriber): XmlNode {
  const appliedTo = rule.appliedTo.length
    ? rule.appliedTo.map((a) => refXml('appliedTo', a, describe))
    : [el('appliedTo', {}, leaf('name', 'DISTRIBUTED_FIREWALL'), leaf('value', 'DISTRIBUTED_FIREWALL'), leaf('type', 'DISTRIBUTED_FIREWALL'), leaf('isValid', true))];
  const side = (tag: string, memberTag: string, s: RuleSide | null) =>
    s ? el(tag, { excluded: s.excluded }, ...s.members.map((m) => refXml(memberTag, m, describe))) : null;
  return el(
    'rule',
    { id: rule.id, disabled: rule.disabled, logged: rule.logged },
    leaf('name', rule.name),
    leaf('action', rule.action),
    leaf('notes', rule.notes),
    el('appliedToList', {}, ...appliedTo),
    leaf('sectionId', sectionId),
    side('sources', 'source', rule.sources),
    side('destinations', 'destination', rule.destinations),
    rule.services.length ? el('services', {}, ...rule.services.map((s) => serviceXml(s, describe))) : null,
    rule.isDefault ? leaf('precedence', 'default') : null,
    leaf('direction', rule.direction),
    leaf('packetType', rule.packetType),
    leaf('tag', rule.tag),
  );
}

export function sectionXml(section: FirewallSection, describe: RefDescriber = noDescriber): XmlNode {
  return el(
    'section',
    {
      id: section.id,
      name: section.name,
      generationNumber: section.generationNumber,
      timestamp: section.timestamp,
      managedBy: section.managedBy,
      tcpStrict: section.tcpStrict,
      stateless: section.stateless,
      useSid: section.useSid,
      type: section.type,
    },
    ...section.rules.map((r) => ruleXml(r, section.id, describe)),
  );
}

/** The children shared by `<firewallConfiguration>` and a saved configuration's `<config>`. */
export function configXml(tag: 'firewallConfiguration' | 'config', config: FirewallConfig, describe: RefDescriber = noDescriber): XmlNode {
  return el(
    tag,
    { timestamp: config.timestamp },
    leaf('contextId', config.contextId),
    el('layer3Sections', {}, ...config.layer3Sections.map((s) => sectionXml(s, describe))),
    el('layer2Sections', {}, ...config.layer2Sections.map((s) => sectionXml(s, describe))),
    el('layer3RedirectSections', {}, redirectSectionXml(config)),
    leaf('generationNumber', config.generationNumber),
  );
}
