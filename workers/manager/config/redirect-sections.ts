/**
 * Service-insertion redirect sections (`layer3redirectsections`, type L3REDIRECT). NSX-V
 * always has one, `Default Section` (id 1002 by the OSV anchors in nsx-reference §1.5), with
 * no rules until a partner service is registered. The lab registers none, so the section is
 * read-only and empty; its generation is that of the default L2 section, created with it.
 */
import type { FirewallConfig } from '../types';
import { el, type XmlNode } from '../xml';

export const DEFAULT_REDIRECT_SECTION_ID = 1002;
export const DEFAULT_REDIRECT_SECTION_NAME = 'Default Section';

export function redirectGeneration(config: FirewallConfig): number {
  const l2 = config.layer2Sections.find((s) => s.isDefault) ?? config.layer2Sections.at(-1);
  return l2?.generationNumber ?? config.generationNumber;
}

export function redirectSectionXml(config: FirewallConfig): XmlNode {
  const g = redirectGeneration(config);
  return el('section', { id: DEFAULT_REDIRECT_SECTION_ID, name: DEFAULT_REDIRECT_SECTION_NAME, generationNumber: g, timestamp: g, tcpStrict: false, stateless: false, useSid: false, type: 'L3REDIRECT' });
}
