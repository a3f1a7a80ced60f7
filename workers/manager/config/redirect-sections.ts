/**
 * The `<layer3RedirectSections>` placeholder of a firewall configuration's XML: the default
 * redirect section (service-insertion/model.ts defines it) with the generation of the default L2
 * section, created with it. GET /config puts the lab's redirect sections in its place.
 */
import { DEFAULT_REDIRECT_SECTION_ID, DEFAULT_REDIRECT_SECTION_NAME } from '../service-insertion/model';
import type { FirewallConfig } from '../types';
import { el, type XmlNode } from '../xml';

export function redirectGeneration(config: FirewallConfig): number {
  const l2 = config.layer2Sections.find((s) => s.isDefault) ?? config.layer2Sections.at(-1);
  return l2?.generationNumber ?? config.generationNumber;
}

export function redirectSectionXml(config: FirewallConfig): XmlNode {
  const g = redirectGeneration(config);
  return el('section', { id: DEFAULT_REDIRECT_SECTION_ID, name: DEFAULT_REDIRECT_SECTION_NAME, generationNumber: g, timestamp: g, tcpStrict: false, stateless: false, useSid: false, type: 'L3REDIRECT' });
}
