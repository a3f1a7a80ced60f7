/**
 * NSX Manager's side of the firewall configuration codec (workers/protocol/nsx/firewall-codec.ts):
 * a body that is not a configuration is a 400 with the codec's reason, and every answer carries
 * the lab's `<layer3RedirectSections>`.
 */
import { decodeConfig, decodeObjectRef, decodeRule, decodeSection, encodeConfig, encodeRule, encodeSection, type RefDescriber } from '../../protocol/nsx/firewall-codec';
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, SectionType } from '../types';
import { el, orBadRequest, type XmlNode } from '../xml';
import { redirectSectionXml } from './redirect-sections';

export type { RefDescriber } from '../../protocol/nsx/firewall-codec';

export const parseObjectRef = (node: XmlNode, what: string): ObjectRef => orBadRequest(decodeObjectRef(node, what));

/** A rule from XML; `id` is 0 when the client left it out (a new rule). */
export const parseRule = (node: XmlNode): FirewallRule => orBadRequest(decodeRule(node));

/** A section from XML. `expected` is the layer of the URL it was sent to. */
export const parseSection = (node: XmlNode, expected: SectionType): FirewallSection => orBadRequest(decodeSection(node, expected));

/** A whole configuration from `<firewallConfiguration>` (or a draft's `<config>`). */
export const parseConfig = (node: XmlNode): FirewallConfig => orBadRequest(decodeConfig(node));

export const ruleXml = (rule: FirewallRule, sectionId: number, describe?: RefDescriber): XmlNode => encodeRule(rule, sectionId, describe);

export const sectionXml = (section: FirewallSection, describe?: RefDescriber): XmlNode => encodeSection(section, describe);

/** The children shared by `<firewallConfiguration>` and a saved configuration's `<config>`. */
export function configXml(tag: 'firewallConfiguration' | 'config', config: FirewallConfig, describe?: RefDescriber): XmlNode {
  return encodeConfig(tag, config, { describe, redirectSections: el('layer3RedirectSections', {}, redirectSectionXml(config)) });
}
