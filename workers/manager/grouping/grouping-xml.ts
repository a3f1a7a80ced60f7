/**
 * Grouping objects ⇄ XML: security groups, security tags, IP sets, MAC sets, services
 * (applications) and service groups, with the element names of /api/2.0/services.
 */
import { ApiError } from '../errors';
import type { CriteriaKey, CriteriaOp, DynamicSet, IpSet, MacSet, SecurityGroup, SecurityTag, ServiceDef, ServiceGroupDef } from '../types';
import { child, childrenOf, el, field, leaf, type XmlNode } from '../xml';
import { safeRegexError } from '../../lab/safe-regex';

const bad = (m: string) => new ApiError('badRequest', m, 'core-services');

const GLOBAL_SCOPE = (): XmlNode => el('scope', {}, leaf('id', 'globalroot-0'), leaf('objectTypeName', 'GlobalRoot'), leaf('name', 'Global'));

/** The common head of NSX managed objects. */
function head(objectId: string, typeName: string, name: string, description: string): XmlNode[] {
  return [
    leaf('objectId', objectId)!,
    leaf('objectTypeName', typeName)!,
    leaf('vsmUuid', '4226C2B8-4D9A-4A30-8A72-0ABD2F3C5D1E')!,
    leaf('nodeId', 'a6a3a8b4-3e0e-4b0f-a3d3-5d7e2c1b9f10')!,
    leaf('revision', 1)!,
    el('type', {}, leaf('typeName', typeName)),
    leaf('name', name)!,
    leaf('description', description)!,
    GLOBAL_SCOPE(),
    leaf('clientHandle', '')!,
    el('extendedAttributes'),
    leaf('isUniversal', false)!,
    leaf('universalRevision', 0)!,
  ];
}

export function memberXml(tag: string, objectId: string, typeName: string | undefined, name: string | undefined): XmlNode {
  return el(tag, {}, leaf('objectId', objectId), leaf('objectTypeName', typeName), leaf('name', name ?? objectId));
}

// ---- security groups -------------------------------------------------------

const KEYS: Record<string, CriteriaKey> = {
  'vm.name': 'VM.NAME',
  'vm.guest_host_name': 'VM.GUEST_HOST_NAME',
  'vm.guest_os_full_name': 'VM.GUEST_OS_FULL_NAME',
  'vm.security_tag': 'VM.SECURITY_TAG',
  entity: 'ENTITY',
};
const OPS = new Set<CriteriaOp>(['contains', 'starts_with', 'ends_with', '=', '!=', 'similar_to', 'belongs_to']);

function operatorOf(text: string | undefined): 'AND' | 'OR' {
  const o = (text ?? 'OR').toUpperCase();
  if (o === 'AND' || o === 'OR') return o;
  throw bad(`Operator "${text}" must be AND or OR`);
}

function parseDynamicSets(node: XmlNode | undefined): DynamicSet[] {
  return childrenOf(node, 'dynamicSet').map((set) => ({
    operator: operatorOf(field(set, 'operator')),
    criteria: childrenOf(set, 'dynamicCriteria').map((c) => {
      const keyText = field(c, 'key') ?? '';
      const key = KEYS[keyText.toLowerCase()];
      if (!key) throw bad(`Dynamic criteria key "${keyText}" is not supported; use VM.NAME, VM.GUEST_HOST_NAME, VM.GUEST_OS_FULL_NAME, VM.SECURITY_TAG or ENTITY`);
      const criteria = (field(c, 'criteria') ?? '').toLowerCase() as CriteriaOp;
      if (!OPS.has(criteria)) throw bad(`Dynamic criteria "${field(c, 'criteria') ?? ''}" is not one of contains, starts_with, ends_with, =, !=, similar_to`);
      if ((key === 'ENTITY') !== (criteria === 'belongs_to')) throw bad('Key ENTITY goes with criteria belongs_to, and only with it');
      const value = field(c, 'value') ?? '';
      if (!value) throw bad(`Dynamic criteria on ${key} has no value`);
      if (criteria === 'similar_to') {
        const error = safeRegexError(value);
        if (error) throw bad(error);
      }
      return { operator: operatorOf(field(c, 'operator')), key, criteria, value };
    }),
  }));
}

/** The writable fields of a `<securitygroup>` body. */
export function parseSecurityGroup(node: XmlNode): Omit<SecurityGroup, 'objectId'> {
  if (node.tag !== 'securitygroup') throw bad(`Expected <securitygroup>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw bad('Security group name is required');
  const ids = (tag: string) => childrenOf(node, tag).map((m) => field(m, 'objectId')).filter((x): x is string => !!x);
  return {
    name,
    description: field(node, 'description') ?? '',
    members: ids('member'),
    excludeMembers: ids('excludeMember'),
    dynamicSets: parseDynamicSets(child(node, 'dynamicMemberDefinition')),
  };
}

type Describe = (objectId: string) => { name?: string; type?: string };

export function securityGroupXml(g: SecurityGroup, describe: Describe): XmlNode {
  const member = (tag: string) => (id: string) => memberXml(tag, id, describe(id).type, describe(id).name);
  return el(
    'securitygroup',
    {},
    ...head(g.objectId, 'SecurityGroup', g.name, g.description),
    leaf('inheritanceAllowed', false),
    ...g.members.map(member('member')),
    ...g.excludeMembers.map(member('excludeMember')),
    g.dynamicSets.length
      ? el(
          'dynamicMemberDefinition',
          {},
          ...g.dynamicSets.map((s) =>
            el(
              'dynamicSet',
              {},
              leaf('operator', s.operator),
              ...s.criteria.map((c) => el('dynamicCriteria', {}, leaf('operator', c.operator), leaf('key', c.key), leaf('criteria', c.criteria), leaf('value', c.value), leaf('isValid', true))),
            ),
          ),
        )
      : null,
  );
}

// ---- security tags ---------------------------------------------------------

export function parseSecurityTag(node: XmlNode): { name: string; description: string } {
  if (node.tag !== 'securityTag') throw bad(`Expected <securityTag>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw bad('Security tag name is required');
  return { name, description: field(node, 'description') ?? '' };
}

export function securityTagXml(t: SecurityTag): XmlNode {
  return el('securityTag', {}, ...head(t.objectId, 'SecurityTag', t.name, t.description), leaf('systemResource', t.systemResource), leaf('vmCount', t.vms.length));
}

// ---- IP sets and MAC sets ---------------------------------------------------

export function parseValueSet(node: XmlNode, tag: 'ipset' | 'macset', validate: (v: string) => boolean): Omit<IpSet, 'objectId'> {
  if (node.tag !== tag) throw bad(`Expected <${tag}>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw bad(`${tag === 'ipset' ? 'IP set' : 'MAC set'} name is required`);
  const values = (field(node, 'value') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of values) if (!validate(v)) throw bad(`"${v}" is not a valid ${tag === 'ipset' ? 'IP address, CIDR or range' : 'MAC address'}`);
  return { name, description: field(node, 'description') ?? '', values };
}

export function valueSetXml(tag: 'ipset' | 'macset', s: IpSet | MacSet): XmlNode {
  return el(tag, {}, ...head(s.objectId, tag === 'ipset' ? 'IPSet' : 'MACSet', s.name, s.description), leaf('value', s.values.join(',')), leaf('inheritanceAllowed', false));
}

// ---- services ----------------------------------------------------------------

export function parseService(node: XmlNode): Omit<ServiceDef, 'objectId' | 'systemResource'> {
  if (node.tag !== 'application') throw bad(`Expected <application>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw bad('Service name is required');
  const element = child(node, 'element') ?? node;
  const applicationProtocol = field(element, 'applicationProtocol');
  if (!applicationProtocol) throw bad('Service needs element/applicationProtocol');
  const out: Omit<ServiceDef, 'objectId' | 'systemResource'> = { name, description: field(node, 'description') ?? '', applicationProtocol: applicationProtocol.toUpperCase() };
  const value = field(element, 'value');
  const sourcePort = field(element, 'sourcePort');
  if (value) out.value = value;
  if (sourcePort) out.sourcePort = sourcePort;
  return out;
}

export function serviceXml(s: ServiceDef): XmlNode {
  return el(
    'application',
    {},
    ...head(s.objectId, 'Application', s.name, s.description),
    leaf('inheritanceAllowed', false),
    el('element', {}, leaf('applicationProtocol', s.applicationProtocol), leaf('value', s.value), leaf('sourcePort', s.sourcePort)),
    leaf('systemResource', s.systemResource),
  );
}

export function serviceGroupXml(g: ServiceGroupDef, describe: Describe): XmlNode {
  return el('applicationGroup', {}, ...head(g.objectId, 'ApplicationGroup', g.name, g.description), ...g.members.map((m) => memberXml('member', m, describe(m).type, describe(m).name)));
}

export function parseServiceGroup(node: XmlNode): Omit<ServiceGroupDef, 'objectId'> {
  if (node.tag !== 'applicationGroup') throw bad(`Expected <applicationGroup>, got <${node.tag}>`);
  const name = field(node, 'name');
  if (!name) throw bad('Service group name is required');
  return { name, description: field(node, 'description') ?? '', members: childrenOf(node, 'member').map((m) => field(m, 'objectId')).filter((x): x is string => !!x) };
}
