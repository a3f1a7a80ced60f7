/**
 * SpoofGuard ⇄ NSX-V XML (/api/4.0/services/spoofguard): policies with their enforcement points,
 * the per-vNIC list of detected, approved and published addresses, and the approvals a client
 * sends. NSX Manager decodes requests and encodes answers; the SpoofGuard screen the reverse.
 */
import { child, childrenOf, el, field, leaf, type XmlNode } from '../nsx-xml';
import { boolField, decoded, expectTag, NsxValueError, presentFields, type Decoded } from './fields';

export type SpoofGuardMode = 'TOFU' | 'MANUAL' | 'DISABLE';

export interface SpoofGuardPolicy {
  policyId: string;
  name: string;
  description: string;
  operationMode: SpoofGuardMode;
  /** Network moids (logical switches, port groups) the policy covers. */
  enforcementPoints: string[];
  allowLocalIPs: boolean;
  defaultPolicy: boolean;
}

/** A network a policy covers, as the XML names it (a client sends the id and type; answers add the name). */
interface EnforcementPoint {
  id: string;
  name?: string;
  type?: string;
}

/** A policy in XML: the manager's answer, or a client's body (no id or default flag when creating). */
export interface SpoofGuardPolicyXml extends Omit<SpoofGuardPolicy, 'policyId' | 'defaultPolicy' | 'enforcementPoints'> {
  policyId?: string;
  defaultPolicy?: boolean;
  enforcementPoints: EnforcementPoint[];
}

/** One vNIC's row of `GET …/spoofguard/{policy}?list=…`. */
export interface SpoofGuardVnic {
  id: string;
  vnicName: string;
  vmName: string;
  vmMoid: string;
  macAddress: string;
  detected: string[];
  approved: string[];
  published: string[];
  inSync: boolean;
  approvedBy?: string;
}

/** Addresses approved on one vNIC (`POST …?action=approve`). */
export interface SpoofGuardApproval {
  vnicId: string;
  approved: string[];
}

const MODES: SpoofGuardMode[] = ['TOFU', 'MANUAL', 'DISABLE'];
const bad = (message: string) => new NsxValueError(message);

// ---- policies ----------------------------------------------------------------------------

const readPoint = (node: XmlNode): EnforcementPoint => ({ id: field(node, 'id') ?? '', ...presentFields(node, ['name', 'type']) });

/** A request is read as NSX Manager reads it (the id comes from the URL, the default flag is its own); an answer (`{ answer: true }`) whole. */
interface DecodeOptions {
  answer?: boolean;
}

function readPolicy(node: XmlNode, opts: DecodeOptions): SpoofGuardPolicyXml {
  expectTag(node, 'spoofguardPolicy');
  const name = field(node, 'name');
  if (!name) throw bad('SpoofGuard policy name is required');
  const mode = (field(node, 'operationMode') ?? 'DISABLE').toUpperCase() as SpoofGuardMode;
  if (!MODES.includes(mode)) throw bad(`operationMode must be TOFU, MANUAL or DISABLE, not ${mode}`);
  const out: SpoofGuardPolicyXml = { name, description: field(node, 'description') ?? '', operationMode: mode, enforcementPoints: childrenOf(node, 'enforcementPoint').map(readPoint), allowLocalIPs: boolField(node, 'allowLocalIPs', false) };
  if (!opts.answer) return out;
  const policyId = field(node, 'policyId');
  if (policyId) out.policyId = policyId;
  out.defaultPolicy = boolField(node, 'defaultPolicy', false);
  return out;
}

/** A `<spoofguardPolicy>`: a client's body, or the manager's answer (`policyId` and `defaultPolicy` then read). */
export const decodeSpoofGuardPolicy = (node: XmlNode, opts: DecodeOptions = {}): Decoded<SpoofGuardPolicyXml> => decoded(() => readPolicy(node, opts));

/** GET …/spoofguard/policies (`<spoofguardPolicies>`). */
export const decodeSpoofGuardPolicies = (node: XmlNode): Decoded<SpoofGuardPolicyXml[]> =>
  decoded(() => {
    expectTag(node, 'spoofguardPolicies');
    return childrenOf(node, 'spoofguardPolicy').map((p) => readPolicy(p, { answer: true }));
  });

export function encodeSpoofGuardPolicy(p: SpoofGuardPolicyXml): XmlNode {
  return el(
    'spoofguardPolicy',
    {},
    leaf('policyId', p.policyId),
    leaf('name', p.name),
    leaf('description', p.description),
    leaf('operationMode', p.operationMode),
    leaf('defaultPolicy', p.defaultPolicy),
    ...p.enforcementPoints.map((e) => el('enforcementPoint', {}, leaf('id', e.id), leaf('name', e.name), leaf('type', e.type))),
    leaf('allowLocalIPs', p.allowLocalIPs),
  );
}

// ---- the vNIC list and approvals ---------------------------------------------------------

const ipList = (tag: string, values: string[]) => el(tag, {}, ...values.map((ip) => leaf('ipAddress', ip)));

/** The texts of `<ipAddress>` under the first `<tag>`, as sent (an empty one stays, as the manager reads it). */
const ipsOf = (node: XmlNode, tag: string) => childrenOf(child(node, tag), 'ipAddress').map((ip) => ip.text.trim());

export function encodeSpoofGuardList(rows: SpoofGuardVnic[]): XmlNode {
  return el(
    'spoofguardList',
    {},
    ...rows.map((v) =>
      el(
        'spoofguard',
        {},
        leaf('id', v.id),
        leaf('vnicUuid', v.id),
        leaf('vnicName', v.vnicName),
        leaf('vmName', v.vmName),
        leaf('vmMoid', v.vmMoid),
        leaf('detectedMacAddress', v.macAddress),
        ipList('detectedIpAddress', v.detected),
        leaf('approvedMacAddress', v.macAddress),
        ipList('approvedIpAddress', v.approved),
        ipList('publishedIpAddress', v.published),
        leaf('inSync', v.inSync),
        leaf('approvedBy', v.approvedBy),
      ),
    ),
  );
}

function readVnic(node: XmlNode): SpoofGuardVnic {
  return {
    id: field(node, 'id') ?? field(node, 'vnicUuid') ?? '',
    vnicName: field(node, 'vnicName') ?? '',
    vmName: field(node, 'vmName') ?? '',
    vmMoid: field(node, 'vmMoid') ?? '',
    macAddress: field(node, 'detectedMacAddress') ?? '',
    detected: ipsOf(node, 'detectedIpAddress'),
    approved: ipsOf(node, 'approvedIpAddress'),
    published: ipsOf(node, 'publishedIpAddress'),
    inSync: boolField(node, 'inSync', true),
    ...presentFields(node, ['approvedBy']),
  };
}

/** GET …/spoofguard/{policy}?list=… (`<spoofguardList>`). */
export const decodeSpoofGuardList = (node: XmlNode): Decoded<SpoofGuardVnic[]> =>
  decoded(() => {
    expectTag(node, 'spoofguardList');
    return childrenOf(node, 'spoofguard').map(readVnic);
  });

/** The body of `POST …?action=approve`: per vNIC (`<id>` or `<vnicUuid>`), its `<approvedIpAddress>` list. */
export const decodeSpoofGuardApprovals = (node: XmlNode): Decoded<SpoofGuardApproval[]> =>
  decoded(() => {
    expectTag(node, 'spoofguardList');
    return childrenOf(node, 'spoofguard').map((entry) => ({ vnicId: field(entry, 'id') ?? field(entry, 'vnicUuid') ?? '', approved: ipsOf(entry, 'approvedIpAddress') }));
  });

export function encodeSpoofGuardApprovals(approvals: SpoofGuardApproval[]): XmlNode {
  return el('spoofguardList', {}, ...approvals.map((a) => el('spoofguard', {}, leaf('id', a.vnicId), ipList('approvedIpAddress', a.approved))));
}
