/**
 * Firewall configuration ⇄ NSX-V XML (`firewallConfiguration`, `section`, `rule`), with element
 * names and order as the reference shows them: the one codec of NSX Manager and the Firewall
 * screen. Decoding accepts both the attribute and the child-element form of every field, and
 * empty attributes, as the public clients send them; a body that is not a configuration is a
 * typed error (`Decoded`), which NSX Manager answers as a 400.
 */
import { child, childrenOf, el, field, leaf, type XmlNode } from '../nsx-xml';
import type { PacketType, RuleAction, RuleDirection } from '../ruleset';
import { boolField, decoded, intField, NsxValueError, type Decoded } from './fields';
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, RuleSide, SectionType, ServiceRef } from './firewall-types';
import { canonicalType, inferType, isIpLiteral } from './object-types';
import { parsePorts, PROTOCOL_NUMBERS } from './ports';

/**
 * How a body is read. A request (NSX Manager's side) keeps what a client may set: names are
 * dropped (answers take them from the object, so GET/PUT round trips are stable) and the
 * manager decides the default rule and generations itself. An answer (the screens' side) is
 * read as NSX Manager wrote it: names, the default rule and each section's generation kept.
 */
interface DecodeOptions {
  answer?: boolean;
}

const bad = (message: string) => new NsxValueError(message);

// ---- decoding ----------------------------------------------------------------

function readAction(text: string | undefined): RuleAction {
  const a = (text ?? 'allow').toLowerCase();
  if (a === 'allow' || a === 'deny' || a === 'reject') return a;
  if (a === 'block' || a === 'drop') return 'deny';
  throw bad(`Invalid rule action "${text}"; expected allow, deny or reject`);
}

function readDirection(text: string | undefined): RuleDirection {
  const d = (text ?? 'inout').toLowerCase();
  if (d === 'in' || d === 'out' || d === 'inout') return d;
  throw bad(`Invalid rule direction "${text}"; expected in, out or inout`);
}

function readPacketType(text: string | undefined): PacketType {
  const p = (text ?? 'any').toLowerCase();
  if (p === 'any' || p === 'ipv4' || p === 'ipv6') return p;
  throw bad(`Invalid packetType "${text}"; expected any, ipv4 or ipv6`);
}

/** A display name worth keeping: present and not just the value again. */
function keptName(node: XmlNode, value: string, opts: DecodeOptions): string | undefined {
  const name = opts.answer ? field(node, 'name') : undefined;
  return name && name !== value ? name : undefined;
}

function readObjectRef(node: XmlNode, what: string, opts: DecodeOptions = {}): ObjectRef {
  const value = field(node, 'value');
  if (!value) throw bad(`${what} has no value`);
  const sentType = field(node, 'type');
  const type = sentType ? canonicalType(sentType) : inferType(value);
  if (!type) throw bad(sentType ? `${what} "${value}" has unknown type "${sentType}"` : `Cannot tell the type of ${what} "${value}"; send <type>`);
  if ((type === 'Ipv4Address' || type === 'Ipv6Address') && !isIpLiteral(value)) throw bad(`${what} "${value}" is not an IP address, CIDR or range`);
  const name = keptName(node, value, opts);
  return name === undefined ? { value, type } : { value, type, name };
}

function readSide(node: XmlNode | undefined, memberTag: string, opts: DecodeOptions): RuleSide | null {
  if (!node) return null;
  const members = childrenOf(node, memberTag).map((m) => readObjectRef(m, memberTag, opts));
  if (members.length === 0) return null;
  return { excluded: boolField(node, 'excluded', false), members };
}

function readService(node: XmlNode, opts: DecodeOptions): ServiceRef {
  const value = field(node, 'value');
  if (value) {
    const sentType = field(node, 'type');
    const type = (sentType && canonicalType(sentType)) ?? inferType(value) ?? 'Application';
    const name = keptName(node, value, opts);
    return name === undefined ? { kind: 'ref', value, type } : { kind: 'ref', value, type, name };
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

function readRule(node: XmlNode, opts: DecodeOptions): FirewallRule {
  if (node.tag !== 'rule') throw bad(`Expected <rule>, got <${node.tag}>`);
  const appliedTo = childrenOf(child(node, 'appliedToList'), 'appliedTo').map((a) => readObjectRef(a, 'appliedTo', opts));
  const everywhere = appliedTo.some((a) => a.type === 'DISTRIBUTED_FIREWALL' || a.type === 'GlobalRoot');
  const rule: FirewallRule = {
    id: intField(node, 'id') ?? 0,
    name: field(node, 'name') ?? '',
    disabled: boolField(node, 'disabled', false),
    logged: boolField(node, 'logged', false),
    action: readAction(field(node, 'action')),
    appliedTo: everywhere ? [] : appliedTo,
    sources: readSide(child(node, 'sources'), 'source', opts),
    destinations: readSide(child(node, 'destinations'), 'destination', opts),
    services: childrenOf(child(node, 'services'), 'service').map((s) => readService(s, opts)),
    direction: readDirection(field(node, 'direction')),
    packetType: readPacketType(field(node, 'packetType')),
  };
  const notes = field(node, 'notes');
  if (notes) rule.notes = notes;
  const tag = field(node, 'tag');
  if (tag) rule.tag = tag;
  if (opts.answer && field(node, 'precedence') === 'default') rule.isDefault = true;
  return rule;
}

function readSection(node: XmlNode, expected: SectionType, opts: DecodeOptions): FirewallSection {
  if (node.tag !== 'section') throw bad(`Expected <section>, got <${node.tag}>`);
  const typeText = field(node, 'type');
  if (typeText && typeText.toUpperCase() !== expected) throw bad(`Section type ${typeText} does not belong in the ${expected} sections`);
  const name = field(node, 'name');
  if (!name) throw bad('Section name is required');
  const section: FirewallSection = {
    id: intField(node, 'id') ?? 0,
    name,
    type: expected,
    generationNumber: opts.answer ? (intField(node, 'generationNumber') ?? 0) : 0,
    timestamp: opts.answer ? (intField(node, 'timestamp') ?? 0) : 0,
    tcpStrict: boolField(node, 'tcpStrict', false),
    // New L2 sections are stateless by default, L3 stateful (6.4 defaults).
    stateless: boolField(node, 'stateless', expected === 'LAYER2'),
    useSid: boolField(node, 'useSid', false),
    rules: childrenOf(node, 'rule').map((r) => readRule(r, opts)),
  };
  const managedBy = field(node, 'managedBy');
  if (managedBy) section.managedBy = managedBy;
  return section;
}

function readConfig(node: XmlNode, opts: DecodeOptions): FirewallConfig {
  if (node.tag !== 'firewallConfiguration' && node.tag !== 'config') throw bad(`Expected <firewallConfiguration>, got <${node.tag}>`);
  return {
    contextId: field(node, 'contextId') ?? 'globalroot-0',
    generationNumber: intField(node, 'generationNumber') ?? 0,
    timestamp: intField(node, 'timestamp') ?? 0,
    layer3Sections: childrenOf(child(node, 'layer3Sections'), 'section').map((s) => readSection(s, 'LAYER3', opts)),
    layer2Sections: childrenOf(child(node, 'layer2Sections'), 'section').map((s) => readSection(s, 'LAYER2', opts)),
  };
}

/** A grouping object or address reference (`<source>`, `<appliedTo>`, an exclusion member); `what` names it in errors. */
export const decodeObjectRef = (node: XmlNode, what: string, opts: DecodeOptions = {}): Decoded<ObjectRef> => decoded(() => readObjectRef(node, what, opts));

/** A rule; `id` is 0 when the client left it out (a new rule). */
export const decodeRule = (node: XmlNode, opts: DecodeOptions = {}): Decoded<FirewallRule> => decoded(() => readRule(node, opts));

/** A section; `layer` is the layer of the URL it was sent to (or of the list it is in). */
export const decodeSection = (node: XmlNode, layer: SectionType, opts: DecodeOptions = {}): Decoded<FirewallSection> => decoded(() => readSection(node, layer, opts));

/** A whole configuration from `<firewallConfiguration>` (or a saved configuration's `<config>`). */
export const decodeConfig = (node: XmlNode, opts: DecodeOptions = {}): Decoded<FirewallConfig> => decoded(() => readConfig(node, opts));

// ---- encoding ----------------------------------------------------------------

/** Looks up display names and validity of referenced objects (NSX Manager's answers name them). */
export type RefDescriber = (ref: { value: string; type: string }) => { name?: string; valid: boolean };

const noDescriber: RefDescriber = () => ({ valid: true });

function refXml(tag: string, ref: { value: string; type: string; name?: string }, describe: RefDescriber): XmlNode {
  const d = describe(ref);
  return el(tag, {}, leaf('name', ref.name ?? d.name ?? ref.value), leaf('value', ref.value), leaf('type', ref.type), leaf('isValid', d.valid));
}

/** The keyword NSX names a protocol number with (`TCP` for 6, not the FTP service's `FTP`). */
export function protocolName(protocol: number): string | undefined {
  return Object.entries(PROTOCOL_NUMBERS).find(([name, n]) => n === protocol && name !== 'FTP')?.[0];
}

function serviceXml(s: ServiceRef, describe: RefDescriber): XmlNode {
  if (s.kind === 'ref') return refXml('service', s, describe);
  return el(
    'service',
    {},
    leaf('isValid', true),
    leaf('sourcePort', s.sourcePort),
    leaf('destinationPort', s.destinationPort),
    leaf('protocol', s.protocol),
    leaf('subProtocol', s.subProtocol ?? s.icmpType ?? (s.protocol === 6 || s.protocol === 17 ? s.protocol : undefined)),
    leaf('icmpCode', s.icmpCode),
    leaf('protocolName', protocolName(s.protocol)),
  );
}

/** A rule; one not yet created (id ≤ 0) carries no id, nor a section that has none yet. */
export function encodeRule(rule: FirewallRule, sectionId: number, describe: RefDescriber = noDescriber): XmlNode {
  const appliedTo = rule.appliedTo.length
    ? rule.appliedTo.map((a) => refXml('appliedTo', a, describe))
    : [el('appliedTo', {}, leaf('name', 'DISTRIBUTED_FIREWALL'), leaf('value', 'DISTRIBUTED_FIREWALL'), leaf('type', 'DISTRIBUTED_FIREWALL'), leaf('isValid', true))];
  const side = (tag: string, memberTag: string, s: RuleSide | null) =>
    s ? el(tag, { excluded: s.excluded }, ...s.members.map((m) => refXml(memberTag, m, describe))) : null;
  return el(
    'rule',
    { id: rule.id > 0 ? rule.id : undefined, disabled: rule.disabled, logged: rule.logged },
    leaf('name', rule.name),
    leaf('action', rule.action),
    leaf('notes', rule.notes),
    el('appliedToList', {}, ...appliedTo),
    sectionId > 0 ? leaf('sectionId', sectionId) : null,
    side('sources', 'source', rule.sources),
    side('destinations', 'destination', rule.destinations),
    rule.services.length ? el('services', {}, ...rule.services.map((s) => serviceXml(s, describe))) : null,
    rule.isDefault ? leaf('precedence', 'default') : null,
    leaf('direction', rule.direction),
    leaf('packetType', rule.packetType),
    leaf('tag', rule.tag),
  );
}

export function encodeSection(section: FirewallSection, describe: RefDescriber = noDescriber): XmlNode {
  return el(
    'section',
    {
      id: section.id > 0 ? section.id : undefined,
      name: section.name,
      generationNumber: section.generationNumber,
      timestamp: section.timestamp,
      managedBy: section.managedBy,
      tcpStrict: section.tcpStrict,
      stateless: section.stateless,
      useSid: section.useSid,
      type: section.type,
    },
    ...section.rules.map((r) => encodeRule(r, section.id, describe)),
  );
}

interface EncodeOptions {
  /** Names and validity of referenced objects (NSX Manager's answers). */
  describe?: RefDescriber;
  /**
   * The `<layer3RedirectSections>` element: NSX Manager always answers with its own; a client
   * sends one only to restore a saved configuration's partner redirect sections.
   */
  redirectSections?: XmlNode;
}

/** `<firewallConfiguration>`, or a saved configuration's `<config>`. */
export function encodeConfig(tag: 'firewallConfiguration' | 'config', config: FirewallConfig, opts: EncodeOptions = {}): XmlNode {
  const describe = opts.describe ?? noDescriber;
  return el(
    tag,
    { timestamp: config.timestamp },
    leaf('contextId', config.contextId),
    el('layer3Sections', {}, ...config.layer3Sections.map((s) => encodeSection(s, describe))),
    el('layer2Sections', {}, ...config.layer2Sections.map((s) => encodeSection(s, describe))),
    opts.redirectSections,
    leaf('generationNumber', config.generationNumber),
  );
}
