/**
 * The screens' grouping objects, SpoofGuard and saved configurations through the NSX codec
 * (workers/protocol/nsx/): NSX Manager's answers decoded into its types, the screens' requests
 * encoded. Imported on demand (`NsxClient.read`): the codec's XML library is not part of the
 * first screen's JavaScript. An answer that is not what it should be is an Error naming it.
 */
import { buildXml, parseXml, type XmlNode } from '../../../workers/protocol/nsx-xml';
import type { Decoded } from '../../../workers/protocol/nsx/fields';
import { decodeDraftList } from '../../../workers/protocol/nsx/draft-codec';
import { decodeSecurityGroupList, decodeSecurityGroupLookup, decodeSecurityTagList, decodeServiceList, decodeValueSetList } from '../../../workers/protocol/nsx/grouping-codec';
import { decodeSpoofGuardList, decodeSpoofGuardPolicies, encodeSpoofGuardApprovals, encodeSpoofGuardPolicy, type SpoofGuardApproval, type SpoofGuardPolicyXml } from '../../../workers/protocol/nsx/spoofguard-codec';

/** A reader of one answer: its body to the codec's value, or an Error that says what could not be read. */
const answer =
  <T>(what: string, decode: (node: XmlNode) => Decoded<T>) =>
  (body: string): T => {
    const read = decode(parseXml(body));
    if (!read.ok) throw new Error(`NSX Manager's ${what} could not be read: ${read.error.message}`);
    return read.value;
  };

export const readSecurityGroups = answer('security groups', decodeSecurityGroupList);
export const readSecurityGroupLookup = answer("VM's security groups", decodeSecurityGroupLookup);
export const readSecurityTags = answer('security tags', decodeSecurityTagList);
export const readIpSets = answer('IP sets', (node) => decodeValueSetList(node, 'ipset'));
export const readServices = answer('services', decodeServiceList);
export const readSpoofGuardPolicies = answer('SpoofGuard policies', decodeSpoofGuardPolicies);
export const readSpoofGuardList = answer('SpoofGuard vNIC list', decodeSpoofGuardList);
export const readDrafts = answer('saved configurations', decodeDraftList);

/** POST/PUT …/spoofguard/policies's body. */
export const spoofGuardPolicyXml = (p: SpoofGuardPolicyXml): string => buildXml(encodeSpoofGuardPolicy(p));

/** POST …/spoofguard/{policy}?action=approve's body. */
export const spoofGuardApprovalsXml = (approvals: SpoofGuardApproval[]): string => buildXml(encodeSpoofGuardApprovals(approvals));
