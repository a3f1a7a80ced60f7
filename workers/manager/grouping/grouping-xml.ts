/**
 * NSX Manager's side of the grouping objects codec (workers/protocol/nsx/grouping-codec.ts): a
 * body that is not the object is a 400 from `core-services`, and a `similar_to` pattern must be
 * one the manager can run in linear time.
 */
import { decodeSecurityGroup, decodeSecurityTag, decodeService, decodeServiceGroup, decodeValueSet } from '../../protocol/nsx/grouping-codec';
import type { IpSet, SecurityGroup, ServiceDef, ServiceGroupDef } from '../types';
import { orBadRequest, type XmlNode } from '../xml';
import { safeRegexError } from '../../lab/safe-regex';

export {
  encodeMember as memberXml,
  encodeSecurityGroup as securityGroupXml,
  encodeSecurityTag as securityTagXml,
  encodeService as serviceXml,
  encodeServiceGroup as serviceGroupXml,
  encodeValueSet as valueSetXml,
} from '../../protocol/nsx/grouping-codec';

const MODULE = 'core-services';

export const parseSecurityGroup = (node: XmlNode): Omit<SecurityGroup, 'objectId'> => orBadRequest(decodeSecurityGroup(node, { patternError: safeRegexError }), MODULE);

export const parseSecurityTag = (node: XmlNode): { name: string; description: string } => orBadRequest(decodeSecurityTag(node), MODULE);

export const parseValueSet = (node: XmlNode, tag: 'ipset' | 'macset', validate: (v: string) => boolean): Omit<IpSet, 'objectId'> => orBadRequest(decodeValueSet(node, tag, validate), MODULE);

export const parseService = (node: XmlNode): Omit<ServiceDef, 'objectId' | 'systemResource'> => orBadRequest(decodeService(node), MODULE);

export const parseServiceGroup = (node: XmlNode): Omit<ServiceGroupDef, 'objectId'> => orBadRequest(decodeServiceGroup(node), MODULE);
