/**
 * Grouping objects ⇄ NSX-V XML (/api/2.0/services): security groups, security tags, IP sets, MAC
 * sets, services (applications) and service groups, with the element names NSX Manager answers
 * with. Requests are decoded as NSX Manager reads them (what a client may set; a body that is
 * not the object is a typed error), answers as the screens read them (ids, members named).
 */
import { child, childrenOf, el, field, leaf, type XmlNode } from '../nsx-xml';
import { boolField, decoded, expectTag, intField, NsxValueError, presentFields, type Decoded } from './fields';
import type { CriteriaKey, CriteriaOp, DynamicSet, IpSet, MacSet, MemberRef, SecurityGroup, SecurityTag, ServiceDef, ServiceGroupDef } from './grouping-types';

const bad = (message: string) => new NsxValueError(message);

/** How a request is checked beyond its shape: a `similar_to` pattern the manager can run (its reason, or undefined). */
interface RequestOptions {
  patternError?: (pattern: string) => string | undefined;
}

/** Names and types of members, as NSX Manager's answers spell them out. */
type MemberDescriber = (objectId: string) => { name?: string; type?: string };

// ---- the head every managed object shares ----------------------------------------

const GLOBAL_SCOPE = (): XmlNode => el('scope', {}, leaf('id', 'globalroot-0'), leaf('objectTypeName', 'GlobalRoot'), leaf('name', 'Global'));

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

/** `<member>`, `<securityGroupBinding>`, …: an object id with the type and name the manager looked up. */
export function encodeMember(tag: string, objectId: string, typeName: string | undefined, name: string | undefined): XmlNode {
  return el(tag, {}, leaf('objectId', objectId), leaf('objectTypeName', typeName), leaf('name', name ?? objectId));
}

const readMember = (node: XmlNode): MemberRef => ({ objectId: field(node, 'objectId') ?? '', ...presentFields(node, ['objectTypeName', 'name']) });

function requiredName(node: XmlNode, what: string): string {
  const name = field(node, 'name');
  if (!name) throw bad(`${what} name is required`);
  return name;
}

/** An answer's `objectId`; an answer without one is not the object. */
function objectIdOf(node: XmlNode): string {
  const id = field(node, 'objectId');
  if (!id) throw bad(`<${node.tag}> has no objectId`);
  return id;
}

// ---- security groups ---------------------------------------------------------------

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

function readDynamicSets(node: XmlNode | undefined, opts: RequestOptions): DynamicSet[] {
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
      const patternError = criteria === 'similar_to' ? opts.patternError?.(value) : undefined;
      if (patternError) throw bad(patternError);
      return { operator: operatorOf(field(c, 'operator')), key, criteria, value };
    }),
  }));
}

function readSecurityGroup(node: XmlNode, opts: RequestOptions): Omit<SecurityGroup, 'objectId'> {
  expectTag(node, 'securitygroup');
  const name = requiredName(node, 'Security group');
  const ids = (tag: string) => childrenOf(node, tag).map((m) => field(m, 'objectId')).filter((x): x is string => !!x);
  return {
    name,
    description: field(node, 'description') ?? '',
    members: ids('member'),
    excludeMembers: ids('excludeMember'),
    dynamicSets: readDynamicSets(child(node, 'dynamicMemberDefinition'), opts),
  };
}

/** The writable fields of a `<securitygroup>` body. */
export const decodeSecurityGroup = (node: XmlNode, opts: RequestOptions = {}): Decoded<Omit<SecurityGroup, 'objectId'>> => decoded(() => readSecurityGroup(node, opts));

/** A security group as NSX Manager answers it: its members named. */
export interface SecurityGroupAnswer extends Omit<SecurityGroup, 'members' | 'excludeMembers'> {
  members: MemberRef[];
  excludeMembers: MemberRef[];
}

function readSecurityGroupAnswer(node: XmlNode): SecurityGroupAnswer {
  const body = readSecurityGroup(node, {});
  return { objectId: objectIdOf(node), ...body, members: childrenOf(node, 'member').map(readMember), excludeMembers: childrenOf(node, 'excludeMember').map(readMember) };
}

export function encodeSecurityGroup(g: SecurityGroup, describe: MemberDescriber): XmlNode {
  const member = (tag: string) => (id: string) => encodeMember(tag, id, describe(id).type, describe(id).name);
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

// ---- security tags -------------------------------------------------------------------

export const decodeSecurityTag = (node: XmlNode): Decoded<{ name: string; description: string }> =>
  decoded(() => {
    expectTag(node, 'securityTag');
    return { name: requiredName(node, 'Security tag'), description: field(node, 'description') ?? '' };
  });

/** A security tag as NSX Manager answers it: how many VMs carry it, not which. */
interface SecurityTagAnswer extends Omit<SecurityTag, 'vms'> {
  vmCount: number;
}

function readSecurityTagAnswer(node: XmlNode): SecurityTagAnswer {
  expectTag(node, 'securityTag');
  return { objectId: objectIdOf(node), name: requiredName(node, 'Security tag'), description: field(node, 'description') ?? '', systemResource: boolField(node, 'systemResource', false), vmCount: intField(node, 'vmCount') ?? 0 };
}

export function encodeSecurityTag(t: SecurityTag): XmlNode {
  return el('securityTag', {}, ...head(t.objectId, 'SecurityTag', t.name, t.description), leaf('systemResource', t.systemResource), leaf('vmCount', t.vms.length));
}

// ---- IP sets and MAC sets --------------------------------------------------------------

type ValueSetTag = 'ipset' | 'macset';

function readValueSet(node: XmlNode, tag: ValueSetTag, validate: (v: string) => boolean): Omit<IpSet, 'objectId'> {
  expectTag(node, tag);
  const name = requiredName(node, tag === 'ipset' ? 'IP set' : 'MAC set');
  const values = (field(node, 'value') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of values) if (!validate(v)) throw bad(`"${v}" is not a valid ${tag === 'ipset' ? 'IP address, CIDR or range' : 'MAC address'}`);
  return { name, description: field(node, 'description') ?? '', values };
}

/** The writable fields of an `<ipset>` or `<macset>` body; `validate` says whether one value is an address. */
export const decodeValueSet = (node: XmlNode, tag: ValueSetTag, validate: (v: string) => boolean): Decoded<Omit<IpSet, 'objectId'>> => decoded(() => readValueSet(node, tag, validate));

export function encodeValueSet(tag: ValueSetTag, s: IpSet | MacSet): XmlNode {
  return el(tag, {}, ...head(s.objectId, tag === 'ipset' ? 'IPSet' : 'MACSet', s.name, s.description), leaf('value', s.values.join(',')), leaf('inheritanceAllowed', false));
}

// ---- services and service groups ---------------------------------------------------

function readService(node: XmlNode): Omit<ServiceDef, 'objectId' | 'systemResource'> {
  expectTag(node, 'application');
  const name = requiredName(node, 'Service');
  const element = child(node, 'element') ?? node;
  const applicationProtocol = field(element, 'applicationProtocol');
  if (!applicationProtocol) throw bad('Service needs element/applicationProtocol');
  return { name, description: field(node, 'description') ?? '', applicationProtocol: applicationProtocol.toUpperCase(), ...presentFields(element, ['value', 'sourcePort']) };
}

/** The writable fields of an `<application>` body. */
export const decodeService = (node: XmlNode): Decoded<Omit<ServiceDef, 'objectId' | 'systemResource'>> => decoded(() => readService(node));

export function encodeService(s: ServiceDef): XmlNode {
  return el(
    'application',
    {},
    ...head(s.objectId, 'Application', s.name, s.description),
    leaf('inheritanceAllowed', false),
    el('element', {}, leaf('applicationProtocol', s.applicationProtocol), leaf('value', s.value), leaf('sourcePort', s.sourcePort)),
    leaf('systemResource', s.systemResource),
  );
}

function readServiceGroup(node: XmlNode): Omit<ServiceGroupDef, 'objectId'> {
  expectTag(node, 'applicationGroup');
  const name = requiredName(node, 'Service group');
  return { name, description: field(node, 'description') ?? '', members: childrenOf(node, 'member').map((m) => field(m, 'objectId')).filter((x): x is string => !!x) };
}

/** The writable fields of an `<applicationGroup>` body. */
export const decodeServiceGroup = (node: XmlNode): Decoded<Omit<ServiceGroupDef, 'objectId'>> => decoded(() => readServiceGroup(node));

export function encodeServiceGroup(g: ServiceGroupDef, describe: MemberDescriber): XmlNode {
  return el('applicationGroup', {}, ...head(g.objectId, 'ApplicationGroup', g.name, g.description), ...g.members.map((m) => encodeMember('member', m, describe(m).type, describe(m).name)));
}

// ---- answers, as the screens read them ---------------------------------------------------

/** The objects of one kind under a list element (`<list>`, `<securityTags>`); anything else in it is skipped. */
function readList<T>(node: XmlNode, listTag: string, itemTag: string, read: (item: XmlNode) => T): T[] {
  expectTag(node, listTag);
  return childrenOf(node, itemTag).map(read);
}

/** GET …/securitygroup/scope/globalroot-0 (`<list>`). */
export const decodeSecurityGroupList = (node: XmlNode): Decoded<SecurityGroupAnswer[]> => decoded(() => readList(node, 'list', 'securitygroup', readSecurityGroupAnswer));

/** GET …/securitygroup/lookup/virtualmachine/{vm} (`<securityGroups><securityGroups>`). */
export const decodeSecurityGroupLookup = (node: XmlNode): Decoded<SecurityGroupAnswer[]> =>
  decoded(() => {
    expectTag(node, 'securityGroups');
    return readList(child(node, 'securityGroups') ?? el('securityGroups'), 'securityGroups', 'securitygroup', readSecurityGroupAnswer);
  });

/** GET …/securitytags/tag and …/securitytags/vm/{vm} (`<securityTags>`). */
export const decodeSecurityTagList = (node: XmlNode): Decoded<SecurityTagAnswer[]> => decoded(() => readList(node, 'securityTags', 'securityTag', readSecurityTagAnswer));

/** GET …/ipset/scope/globalroot-0 or …/macset/scope/globalroot-0 (`<list>`): what the manager wrote, read back as is. */
export const decodeValueSetList = (node: XmlNode, tag: ValueSetTag): Decoded<IpSet[]> => decoded(() => readList(node, 'list', tag, (s) => ({ objectId: objectIdOf(s), ...readValueSet(s, tag, () => true) })));

/** GET …/application/scope/globalroot-0 (`<list>`), predefined services included. */
export const decodeServiceList = (node: XmlNode): Decoded<ServiceDef[]> =>
  decoded(() => readList(node, 'list', 'application', (s) => ({ objectId: objectIdOf(s), ...readService(s), systemResource: boolField(s, 'systemResource', false) })));
