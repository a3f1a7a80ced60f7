/**
 * The redirect rules as hosts enforce them: every protected vNIC (one with a vmware-sfw filter)
 * on a host of a cluster where a partner service is deployed gets a slot 4 filter
 * (`nic-…-serviceinstance-1.4`) holding the redirect lines, `punt` for Redirect and `accept`
 * for Do not redirect, built by the DFW's own translation from the same source / destination /
 * service construct. Applied To is not narrowed on redirect rules in the lab: they reach every
 * protected vNIC of the service's clusters.
 */
import type { AddressSets, HostRuleSet, L3RuleLine } from '../../protocol/ruleset';
import { slot4FilterName } from '../../protocol/partner';
import { addressSetName } from '../config/object-types';
import type { InventoryIndex } from '../grouping/inventory-index';
import type { GroupResolver } from '../grouping/membership';
import type { ServiceCatalogue } from '../grouping/services';
import { addressSetContents, l3Lines } from '../translation';
import type { FirewallSection } from '../types';
import type { PartnerService, RedirectRule, RedirectSection, ServiceInsertionState } from './model';

const LITERAL_TYPES = new Set(['Ipv4Address', 'Ipv6Address']);

/** One redirect rule's dataplane lines: the DFW's lines for the same match, with the redirect action. */
export function redirectLines(rule: RedirectRule, section: RedirectSection, services: ServiceCatalogue): L3RuleLine[] {
  const asSection: FirewallSection = { id: section.id, name: section.name, type: 'LAYER3', generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules: [] };
  const action = rule.action === 'redirect' ? ('punt' as const) : ('allow' as const);
  return l3Lines({ ...rule, action: 'allow' }, asSection, services, false).map((l): L3RuleLine => ({ ...l, action }));
}

function setNames(rule: RedirectRule): string[] {
  const out: string[] = [];
  for (const side of [rule.sources, rule.destinations]) for (const m of side?.members ?? []) if (!LITERAL_TYPES.has(m.type)) out.push(addressSetName('ip', m.value));
  return out;
}

export interface RedirectInput {
  state: ServiceInsertionState | undefined;
  index: InventoryIndex;
  resolver: GroupResolver;
  services: ServiceCatalogue;
}

/** Adds each host's slot 4 filters and the address sets their lines name. */
export function addRedirectFilters(hosts: HostRuleSet[], input: RedirectInput): HostRuleSet[] {
  const st = input.state;
  if (!st || st.deployments.length === 0) return hosts;
  const clusterOf = new Map(input.index.inventory.hosts.map((h) => [h.moid, h.cluster] as const));
  const linesFor = new Map<string, { lines: L3RuleLine[]; names: string[] }>();
  const forService = (svc: PartnerService) => {
    let entry = linesFor.get(svc.objectId);
    if (entry) return entry;
    const lines: L3RuleLine[] = [];
    const names: string[] = [];
    for (const section of st.sections) {
      for (const rule of section.rules) {
        if (rule.disabled || rule.siProfile !== svc.profileId) continue;
        lines.push(...redirectLines(rule, section, input.services));
        names.push(...setNames(rule));
      }
    }
    linesFor.set(svc.objectId, (entry = { lines, names }));
    return entry;
  };
  return hosts.map((h) => {
    const d = st.deployments.find((x) => x.cluster === clusterOf.get(h.hostId));
    const svc = d && st.services.find((s) => s.objectId === d.serviceId);
    if (!svc) return h;
    const { lines, names } = forService(svc);
    const filters = { ...h.filters };
    for (const [name, f] of Object.entries(h.filters)) filters[slot4FilterName(name, svc.instanceId)] = { ruleset: f.ruleset, generation: f.generation, l3: lines, l2: [] };
    const addressSets: AddressSets = { ...h.addressSets };
    for (const n of names) addressSets[n] ??= addressSetContents(n, input.resolver, input.index);
    return { ...h, filters, addressSets };
  });
}
