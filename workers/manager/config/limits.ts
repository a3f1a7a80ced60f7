/**
 * Configuration maximums the firewall keeps (../shared/spec/nsx-reference.md §3). Checked on
 * every configuration about to be published, inside the write's transaction, so a request that
 * would exceed one is a 400 and changes nothing.
 */
import { ApiError } from '../errors';
import type { FirewallConfig } from '../types';

export const FIREWALL_LIMITS = {
  /** NSX's API: "limit of 1000 firewall rules per section". */
  rulesPerSection: 1_000,
  /**
   * NSX-V's configuration maximum of DFW rules per host. Every lab rule can reach every host,
   * so the lab holds no more than one host may; the default section's rules are not counted.
   */
  rules: 10_000,
  /** The lab's own: sections in one layer. */
  sectionsPerLayer: 1_000,
} as const;

export function checkFirewallLimits(config: FirewallConfig): void {
  let rules = 0;
  for (const [layer, sections] of [['Layer 3', config.layer3Sections], ['Layer 2', config.layer2Sections]] as const) {
    if (sections.length > FIREWALL_LIMITS.sectionsPerLayer) throw new ApiError('badRequest', `${layer} would have ${sections.length} sections; at most ${FIREWALL_LIMITS.sectionsPerLayer} are allowed`);
    for (const section of sections) {
      if (section.rules.length > FIREWALL_LIMITS.rulesPerSection)
        throw new ApiError('badRequest', `Section "${section.name}" would have ${section.rules.length} rules; a section holds at most ${FIREWALL_LIMITS.rulesPerSection}`);
      if (!section.isDefault) rules += section.rules.length;
    }
  }
  if (rules > FIREWALL_LIMITS.rules) throw new ApiError('badRequest', `The firewall would have ${rules} rules; at most ${FIREWALL_LIMITS.rules} are allowed (NSX's maximum of rules per host)`);
}
