/**
 * The redirect rules as hosts enforce them: every protected vNIC (one with a vmware-sfw filter)
 * on a host of a cluster where a partner service is deployed gets a slot 4 filter
 * (`nic-…-serviceinstance-1.4`) holding the redirect lines, `punt` for Redirect and `accept`
 * for Do not redirect, built by the DFW's own translation from the same source / destination /
 * service construct. A rule's Applied To narrows it as a DFW rule's does: a rule applied to a
 * security group, cluster, host, VM or network reaches only the vNICs it covers (of the
 * service's clusters); one applied to the distributed firewall reaches every protected vNIC.
 */
import type { AddressSets, HostRuleSet, L3RuleLine } from '../../protocol/ruleset';
import { slot4FilterName } from '../../protocol/partner';
import { addressSetName } from '../../protocol/nsx/object-types';
import type { InventoryIndex, VnicInfo } from '../grouping/inventory-index';
import type { GroupResolver } from '../grouping/membership';
import type { ServiceCatalogue } from '../grouping/services';
import { addressSetContents, appliesTo, filterOfVnic, l3Lines } from '../translation';
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

interface RedirectInput {
  state: ServiceInsertionState | undefined;
  /** Every redirect section, Service Composer's included (ServiceInsertion.sections()). */
  sections: RedirectSection[];
  index: InventoryIndex;
  resolver: GroupResolver;
  services: ServiceCatalogue;
}

interface RedirectEntry {
  lines: L3RuleLine[];
  names: string[];
  /** Applied To of a scoped rule; empty = every protected vNIC. */
  appliedTo: RedirectRule['appliedTo'];
}

const EVERYWHERE = new Set(['DISTRIBUTED_FIREWALL', 'GlobalRoot']);

/** Adds each host's slot 4 filters and the address sets their lines name. */
export function addRedirectFilters(hosts: HostRuleSet[], input: RedirectInput): HostRuleSet[] {
  const st = input.state;
  if (!st || st.deployments.length === 0) return hosts;
  const clusterOf = new Map(input.index.inventory.hosts.map((h) => [h.moid, h.cluster] as const));
  const vnicByFilter = new Map(input.index.allVnics.map((v) => [filterOfVnic(v), v] as const));
  const rulesFor = new Map<string, RedirectEntry[]>();
  const forService = (svc: PartnerService) => {
    let entries = rulesFor.get(svc.objectId);
    if (entries) return entries;
    entries = [];
    for (const section of input.sections) {
      for (const rule of section.rules) {
        if (rule.disabled || rule.siProfile !== svc.profileId) continue;
        const scoped = rule.appliedTo.length > 0 && !rule.appliedTo.some((a) => EVERYWHERE.has(a.type));
        entries.push({ lines: redirectLines(rule, section, input.services), names: setNames(rule), appliedTo: scoped ? rule.appliedTo : [] });
      }
    }
    rulesFor.set(svc.objectId, entries);
    return entries;
  };
  // vNICs whose Applied To picks the same rules share one line array, as in the DFW's translation.
  const shared = new Map<string, { lines: L3RuleLine[]; names: string[] }>();
  const select = (svc: PartnerService, v: VnicInfo | undefined) => {
    const entries = forService(svc);
    const picked = entries.map((e) => e.appliedTo.length === 0 || (v !== undefined && e.appliedTo.some((a) => appliesTo(a, v, input.resolver, input.index.inventory))));
    const key = `${svc.objectId}|${picked.map((p) => (p ? 1 : 0)).join('')}`;
    let out = shared.get(key);
    if (!out) {
      out = { lines: entries.flatMap((e, i) => (picked[i] ? e.lines : [])), names: entries.flatMap((e, i) => (picked[i] ? e.names : [])) };
      shared.set(key, out);
    }
    return out;
  };
  return hosts.map((h) => {
    const d = st.deployments.find((x) => x.cluster === clusterOf.get(h.hostId));
    const svc = d && st.services.find((s) => s.objectId === d.serviceId);
    if (!svc) return h;
    const filters = { ...h.filters };
    const names = new Set<string>();
    for (const [name, f] of Object.entries(h.filters)) {
      const chosen = select(svc, vnicByFilter.get(name));
      filters[slot4FilterName(name, svc.instanceId)] = { ruleset: f.ruleset, generation: f.generation, l3: chosen.lines, l2: [] };
      for (const n of chosen.names) names.add(n);
    }
    const addressSets: AddressSets = { ...h.addressSets };
    for (const n of names) addressSets[n] ??= addressSetContents(n, input.resolver, input.index);
    return { ...h, filters, addressSets };
  });
}
