/**
 * The DFW configuration as the Firewall screen edits it, read from and written back to the
 * NSX-V XML of GET/PUT /api/4.0/firewall/globalroot-0/config (nsx-reference §1.4).
 * Rules and sections added in the screen have negative ids until the manager assigns real ones.
 */
import { buildXml, child, parseXml as parseNodes } from '../../../workers/protocol/nsx-xml';
import { bool, esc, list, num, obj, str, type XmlObject } from './xml';

export type RuleAction = 'allow' | 'deny' | 'reject';
export type Layer = 'LAYER3' | 'LAYER2';

export interface FwRef {
  value: string;
  type: string;
  name?: string;
}

/** A service reference (`application-…`) or a raw protocol/port. */
export interface FwService {
  value?: string;
  type?: string;
  name?: string;
  protocol?: number;
  protocolName?: string;
  destinationPort?: string;
  sourcePort?: string;
  subProtocol?: string;
}

export interface FwRule {
  id: number;
  name: string;
  action: RuleAction;
  disabled: boolean;
  logged: boolean;
  direction: 'in' | 'out' | 'inout';
  packetType: string;
  sources: FwRef[];
  sourcesExcluded: boolean;
  destinations: FwRef[];
  destinationsExcluded: boolean;
  services: FwService[];
  /** Empty means the whole distributed firewall. */
  appliedTo: FwRef[];
  notes: string;
  tag: string;
  isDefault: boolean;
}

export interface FwSection {
  id: number;
  name: string;
  type: Layer;
  generationNumber: number;
  managedBy: string;
  tcpStrict: boolean;
  stateless: boolean;
  useSid: boolean;
  rules: FwRule[];
}

export interface FwConfig {
  contextId: string;
  generationNumber: number;
  timestamp: number;
  layer3: FwSection[];
  layer2: FwSection[];
  /**
   * A loaded saved configuration's `<layer3RedirectSections>` (partner redirect rules), as XML:
   * the next Publish sends it with PUT /config, which restores them on NSX Manager.
   */
  redirectSections?: string;
}

const refOf = (o: XmlObject): FwRef => {
  const r: FwRef = { value: str(o, 'value'), type: str(o, 'type') };
  const name = str(o, 'name');
  if (name && name !== r.value) r.name = name;
  return r;
};

function serviceOf(o: XmlObject): FwService {
  if (str(o, 'value')) return refOf(o);
  const s: FwService = {};
  if (str(o, 'protocol')) s.protocol = num(o, 'protocol');
  for (const k of ['protocolName', 'destinationPort', 'sourcePort', 'subProtocol'] as const) if (str(o, k)) s[k] = str(o, k);
  return s;
}

export function parseRule(o: XmlObject): FwRule {
  const src = obj(o.sources);
  const dst = obj(o.destinations);
  const appliedTo = list(obj(o.appliedToList).appliedTo).map(refOf);
  const action = str(o, 'action').toLowerCase();
  const direction = str(o, 'direction').toLowerCase();
  return {
    id: num(o, 'id'),
    name: str(o, 'name'),
    action: action === 'deny' || action === 'block' || action === 'drop' ? 'deny' : action === 'reject' ? 'reject' : 'allow',
    disabled: bool(o, 'disabled'),
    logged: bool(o, 'logged'),
    direction: direction === 'in' || direction === 'out' ? direction : 'inout',
    packetType: str(o, 'packetType') || 'any',
    sources: list(src.source).map(refOf),
    sourcesExcluded: bool(src, 'excluded'),
    destinations: list(dst.destination).map(refOf),
    destinationsExcluded: bool(dst, 'excluded'),
    services: list(obj(o.services).service).map(serviceOf),
    appliedTo: appliedTo.filter((a) => a.type !== 'DISTRIBUTED_FIREWALL' && a.type !== 'GlobalRoot'),
    notes: str(o, 'notes'),
    tag: str(o, 'tag'),
    isDefault: str(o, 'precedence') === 'default',
  };
}

export function parseSection(o: XmlObject, layer: Layer): FwSection {
  return {
    id: num(o, 'id'),
    name: str(o, 'name'),
    type: layer,
    generationNumber: num(o, 'generationNumber'),
    managedBy: str(o, 'managedBy'),
    tcpStrict: bool(o, 'tcpStrict'),
    stateless: bool(o, 'stateless', layer === 'LAYER2'),
    useSid: bool(o, 'useSid'),
    rules: list(o.rule).map(parseRule),
  };
}

/** `<firewallConfiguration>` or a saved configuration's `<config>`. */
export function parseConfig(root: XmlObject): FwConfig {
  return {
    contextId: str(root, 'contextId') || 'globalroot-0',
    generationNumber: num(root, 'generationNumber'),
    timestamp: num(root, 'timestamp'),
    layer3: list(obj(root.layer3Sections).section).map((s) => parseSection(s, 'LAYER3')),
    layer2: list(obj(root.layer2Sections).section).map((s) => parseSection(s, 'LAYER2')),
  };
}

/**
 * A saved configuration's partner redirect sections (`<firewallDraft>` body → its
 * `<config><layer3RedirectSections>`), kept as XML for the Publish that restores them; undefined
 * when it has none (a configuration saved before partner services existed).
 */
export function savedRedirectSections(draftBody: string): string | undefined {
  const config = child(parseNodes(draftBody), 'config');
  const sections = config && child(config, 'layer3RedirectSections');
  return sections ? buildXml(sections) : undefined;
}

// ---- writing ----------------------------------------------------------------

const leaf = (tag: string, v: string | number | boolean | undefined) => (v === undefined || v === '' ? '' : `<${tag}>${esc(v)}</${tag}>`);
const refXml = (tag: string, r: FwRef) => `<${tag}>${leaf('name', r.name)}${leaf('value', r.value)}${leaf('type', r.type)}</${tag}>`;

function serviceXml(s: FwService): string {
  if (s.value) return `<service>${leaf('name', s.name)}${leaf('value', s.value)}${leaf('type', s.type || 'Application')}</service>`;
  return `<service>${leaf('protocol', s.protocol)}${leaf('subProtocol', s.subProtocol)}${leaf('destinationPort', s.destinationPort)}${leaf('sourcePort', s.sourcePort)}${leaf('protocolName', s.protocolName)}</service>`;
}

/** A rule body; new rules (id ≤ 0) carry no id, as the API asks. */
export function ruleXml(r: FwRule, sectionId?: number): string {
  const idAttr = r.id > 0 ? ` id="${r.id}"` : '';
  const side = (tag: string, member: string, refs: FwRef[], excluded: boolean) =>
    refs.length ? `<${tag} excluded="${excluded}">${refs.map((m) => refXml(member, m)).join('')}</${tag}>` : '';
  const applied = r.appliedTo.length
    ? r.appliedTo.map((a) => refXml('appliedTo', a)).join('')
    : '<appliedTo><name>DISTRIBUTED_FIREWALL</name><value>DISTRIBUTED_FIREWALL</value><type>DISTRIBUTED_FIREWALL</type></appliedTo>';
  return [
    `<rule${idAttr} disabled="${r.disabled}" logged="${r.logged}">`,
    leaf('name', r.name),
    leaf('action', r.action),
    leaf('notes', r.notes),
    `<appliedToList>${applied}</appliedToList>`,
    sectionId && sectionId > 0 ? leaf('sectionId', sectionId) : '',
    side('sources', 'source', r.sources, r.sourcesExcluded),
    side('destinations', 'destination', r.destinations, r.destinationsExcluded),
    r.services.length ? `<services>${r.services.map(serviceXml).join('')}</services>` : '',
    r.isDefault ? '<precedence>default</precedence>' : '',
    leaf('direction', r.direction),
    leaf('packetType', r.packetType),
    leaf('tag', r.tag),
    '</rule>',
  ].join('');
}

export function sectionXml(s: FwSection): string {
  const attrs = [s.id > 0 ? `id="${s.id}"` : '', `name="${esc(s.name)}"`, s.managedBy ? `managedBy="${esc(s.managedBy)}"` : '', `tcpStrict="${s.tcpStrict}"`, `stateless="${s.stateless}"`, `useSid="${s.useSid}"`, `type="${s.type}"`];
  return `<section ${attrs.filter(Boolean).join(' ')}>${s.rules.map((r) => ruleXml(r, s.id)).join('')}</section>`;
}

function configBody(c: FwConfig): string {
  return `${leaf('contextId', c.contextId)}<layer3Sections>${c.layer3.map(sectionXml).join('')}</layer3Sections><layer2Sections>${c.layer2.map(sectionXml).join('')}</layer2Sections>${c.redirectSections ?? ''}`;
}

export function configXml(c: FwConfig): string {
  return `<firewallConfiguration timestamp="${c.timestamp}">${configBody(c)}${leaf('generationNumber', c.generationNumber)}</firewallConfiguration>`;
}

/** A saved configuration body for POST /drafts. */
export function draftXml(name: string, description: string, c: FwConfig): string {
  return `<firewallDraft name="${esc(name)}"><description>${esc(description)}</description><preserve>false</preserve><mode>userdefined</mode><config>${configBody(c)}</config></firewallDraft>`;
}

// ---- display ------------------------------------------------------------------

const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'IPv6-ICMP' };

export function refLabel(r: FwRef): string {
  return r.name ?? r.value;
}

export function serviceLabel(s: FwService): string {
  if (s.value) return s.name ?? s.value;
  const proto = s.protocolName ?? (s.protocol !== undefined ? (PROTOCOLS[s.protocol] ?? `proto ${s.protocol}`) : 'any');
  return s.destinationPort ? `${proto}/${s.destinationPort}` : proto;
}

/** A fresh rule as the "add rule" button makes it: any to any, allow, everywhere. */
export function blankRule(id: number): FwRule {
  return {
    id,
    name: 'New Rule',
    action: 'allow',
    disabled: false,
    logged: false,
    direction: 'inout',
    packetType: 'any',
    sources: [],
    sourcesExcluded: false,
    destinations: [],
    destinationsExcluded: false,
    services: [],
    appliedTo: [],
    notes: '',
    tag: '',
    isDefault: false,
  };
}
