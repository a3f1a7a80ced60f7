/**
 * Translation: the published configuration plus the live inventory become what each host
 * programs. Applied To decides which rules each vNIC filter gets; rule sides name address
 * sets (`ip-securitygroup-10`) whose contents come from the IPs VMware Tools reports.
 *
 * Built for 10k rules: the kernel lines of a rule do not depend on the vNIC (they name sets,
 * not addresses), so they are computed once per rule, and vNICs whose applicable rules are
 * the same share one line array.
 */
import type { AddressMatch, AddressSets, Building, HostRuleSet, L2RuleLine, L3RuleLine, MacMatch } from '../protocol/ruleset';
import { filterName, type Inventory } from '../protocol/inventory';
import { addressSetName } from '../protocol/nsx/object-types';
import { literalToCidrs } from './grouping/address-literals';
import type { InventoryIndex, VnicInfo } from './grouping/inventory-index';
import type { GroupResolver } from './grouping/membership';
import { expandService, type ServiceCatalogue } from './grouping/services';
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, RuleSide } from './types';

interface TranslationInput {
  config: FirewallConfig;
  generation: number;
  index: InventoryIndex;
  resolver: GroupResolver;
  services: ServiceCatalogue;
  /** VM moids on the exclusion list (system and user). */
  excluded: Set<string>;
  /** Global TCP strict (pre-6.4 option), ORed into each section's flag. */
  globalTcpStrict: boolean;
}

const LITERAL_TYPES = new Set(['Ipv4Address', 'Ipv6Address']);
const EVERYWHERE_TYPES = new Set(['DISTRIBUTED_FIREWALL', 'GlobalRoot']);

function addressMatch(side: RuleSide | null): AddressMatch {
  if (!side) return { sets: [], cidrs: [], negate: false };
  const sets: string[] = [];
  const cidrs: string[] = [];
  for (const m of side.members) {
    if (LITERAL_TYPES.has(m.type)) cidrs.push(...literalToCidrs(m.value));
    else sets.push(addressSetName('ip', m.value));
  }
  // A side naming only objects that translate to nothing must still match nothing, not "any":
  // sets keep their names even when empty, so `sets`/`cidrs` are never both empty here.
  return { sets, cidrs, negate: side.excluded };
}

function macMatch(side: RuleSide | null): MacMatch {
  if (!side) return { sets: [], macs: [], negate: false };
  return { sets: side.members.map((m) => addressSetName('mac', m.value)), macs: [], negate: side.excluded };
}

export function l3Lines(rule: FirewallRule, section: FirewallSection, services: ServiceCatalogue, globalTcpStrict: boolean): L3RuleLine[] {
  const src = addressMatch(rule.sources);
  const dst = addressMatch(rule.destinations);
  const elements = rule.services.length ? rule.services.flatMap((s) => expandService(s, services)).filter((e) => e.ethertype === undefined) : [{ protocol: 'any' as const, dstPorts: [], srcPorts: [] }];
  return elements.map((e) => {
    const line: Building<L3RuleLine> = {
      id: rule.id,
      sectionId: section.id,
      direction: rule.direction,
      packetType: rule.packetType,
      protocol: e.protocol,
      src,
      dst,
      srcPorts: e.srcPorts,
      dstPorts: e.dstPorts,
      action: rule.action,
      logged: rule.logged,
      stateless: section.stateless,
      tcpStrict: section.tcpStrict || globalTcpStrict,
    };
    if (e.icmpType !== undefined) line.icmpType = e.icmpType;
    if (e.icmpCode !== undefined) line.icmpCode = e.icmpCode;
    if (e.alg) line.alg = e.alg;
    if (rule.tag) line.tag = rule.tag;
    return line;
  });
}

function l2Lines(rule: FirewallRule, section: FirewallSection, services: ServiceCatalogue): L2RuleLine[] {
  const src = macMatch(rule.sources);
  const dst = macMatch(rule.destinations);
  const ethertypes = rule.services.length
    ? rule.services.flatMap((s) => expandService(s, services)).flatMap((e) => (e.ethertype !== undefined ? [e.ethertype] : []))
    : ['any' as const];
  return ethertypes.map((ethertype) => {
    const line: Building<L2RuleLine> = { id: rule.id, sectionId: section.id, direction: rule.direction, ethertype, src, dst, action: rule.action, logged: rule.logged };
    if (rule.tag) line.tag = rule.tag;
    return line;
  });
}

/** The name of a vNIC's vmware-sfw (slot 2) filter on its host. */
export function filterOfVnic(v: VnicInfo): string {
  return filterName(v.vm, v.index);
}

/** Whether an Applied To entry covers a vNIC. */
export function appliesTo(ref: ObjectRef, v: VnicInfo, resolver: GroupResolver, inventory: Inventory): boolean {
  switch (ref.type) {
    case 'DISTRIBUTED_FIREWALL':
    case 'GlobalRoot':
      return true;
    case 'Datacenter':
      return ref.value === inventory.datacenter.moid;
    case 'ClusterComputeResource':
      return v.cluster === ref.value;
    case 'HostSystem':
      return v.host === ref.value;
    case 'VirtualMachine':
      return v.vm.moid === ref.value;
    case 'Vnic':
      return v.id === ref.value;
    case 'VirtualWire':
    case 'DistributedVirtualPortgroup':
    case 'Network':
      return v.network === ref.value;
    case 'SecurityGroup':
    case 'SecurityTag':
      return resolver.members(ref.value).vnics.has(v.id);
    default:
      return false;
  }
}

/**
 * A rule's lines depend on the rule, its section's flags and the service definitions only, and
 * a published rule is never changed in place (edits replace it), so they are kept per rule
 * object: a one-rule edit of a 10k-rule configuration translates one rule, and the wire
 * encoder reuses the bytes of every line it has written before.
 */
const linesByRule = new WeakMap<FirewallRule, { key: string; lines: L3RuleLine[] | L2RuleLine[]; names: string[] }>();

/** What a rule's lines depend on besides the rule: the same for every rule of a section. */
function sectionKey(section: FirewallSection, layer: 3 | 2, input: TranslationInput): string {
  return `${layer}|${section.id}|${section.stateless}|${section.tcpStrict || input.globalTcpStrict}|${input.services.revision}`;
}

/** A rule's lines and the address sets they name (`key`: its section's sectionKey). */
function ruleLines(rule: FirewallRule, section: FirewallSection, layer: 3 | 2, key: string, input: TranslationInput): { lines: L3RuleLine[] | L2RuleLine[]; names: string[] } {
  const known = linesByRule.get(rule);
  if (known?.key === key) return known;
  const lines = layer === 3 ? l3Lines(rule, section, input.services, input.globalTcpStrict) : l2Lines(rule, section, input.services);
  const entry = { key, lines, names: lines.length ? namesOf(rule, layer === 3 ? 'ip' : 'mac') : [] };
  linesByRule.set(rule, entry);
  return entry;
}

interface CompiledRule {
  lines: L3RuleLine[] | L2RuleLine[];
  /** Address sets the rule's lines name. */
  names: string[];
  scoped: boolean;
  appliedTo: ObjectRef[];
}

function namesOf(rule: FirewallRule, kind: 'ip' | 'mac'): string[] {
  const out: string[] = [];
  for (const side of [rule.sources, rule.destinations]) {
    for (const m of side?.members ?? []) if (kind === 'mac' || !LITERAL_TYPES.has(m.type)) out.push(addressSetName(kind, m.value));
  }
  return out;
}

/** Every publish runs this over all rules (10k), mostly in a cold worker the first times: one key per section, lines and names from the rule's cache. */
function compile(sections: FirewallSection[], layer: 3 | 2, input: TranslationInput): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const section of sections) {
    const key = sectionKey(section, layer, input);
    const rules = section.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.disabled) continue;
      const scoped = rule.appliedTo.length > 0 && !rule.appliedTo.some((a) => EVERYWHERE_TYPES.has(a.type));
      const { lines, names } = ruleLines(rule, section, layer, key, input);
      out.push({ lines, names, scoped, appliedTo: rule.appliedTo });
    }
  }
  return out;
}

interface Selection<T> {
  lines: T[];
  names: Set<string>;
}

/** Per-layer selection of rules for a vNIC, memoised by which scoped rules apply. */
class LayerSelector<T> {
  private readonly cache = new Map<string, Selection<T>>();
  private readonly scopedIndexes: number[] = [];
  private readonly globalNames = new Set<string>();

  constructor(
    private readonly rules: CompiledRule[],
    private readonly input: TranslationInput,
  ) {
    rules.forEach((r, i) => {
      if (r.scoped) this.scopedIndexes.push(i);
      else for (const n of r.names) this.globalNames.add(n);
    });
  }

  select(v: VnicInfo): Selection<T> {
    const picked = new Set<number>();
    let key = '';
    for (const i of this.scopedIndexes) {
      if (this.rules[i]!.appliedTo.some((a) => appliesTo(a, v, this.input.resolver, this.input.index.inventory))) {
        picked.add(i);
        key += `${i},`;
      }
    }
    const cached = this.cache.get(key);
    if (cached) return cached;
    const lines: T[] = [];
    const names = new Set(this.globalNames);
    this.rules.forEach((r, i) => {
      if (r.scoped && !picked.has(i)) return;
      for (const l of r.lines) lines.push(l as T);
      if (r.scoped) for (const n of r.names) names.add(n);
    });
    const selection = { lines, names };
    this.cache.set(key, selection);
    return selection;
  }
}

/** Contents of a named address set (`ip-<objectId>` or `mac-<objectId>`). */
export function addressSetContents(name: string, resolver: GroupResolver, index: InventoryIndex): string[] {
  const kind = name.startsWith('mac-') ? 'mac' : 'ip';
  const objectId = name.slice(kind.length + 1);
  const m = resolver.members(objectId);
  const out = new Set<string>();
  for (const id of m.vnics) {
    const v = index.vnic(id);
    if (!v) continue;
    if (kind === 'mac') out.add(v.mac);
    else for (const ip of index.ipsOfVnic(v)) out.add(ip);
  }
  if (kind === 'mac') for (const mac of m.macs) out.add(mac.toLowerCase());
  else for (const lit of m.ips) for (const c of literalToCidrs(lit)) out.add(c);
  return [...out].sort();
}

/** Every host's share: filters per vNIC of powered-on, non-excluded VMs, and the sets they name. */
export function translate(input: TranslationInput): HostRuleSet[] {
  const { index, generation } = input;
  const l3 = new LayerSelector<L3RuleLine>(compile(input.config.layer3Sections, 3, input), input);
  const l2 = new LayerSelector<L2RuleLine>(compile(input.config.layer2Sections, 2, input), input);
  const setCache = new Map<string, string[]>();

  const hosts = new Map<string, HostRuleSet>();
  const namesPerHost = new Map<string, Set<string>>();
  for (const h of index.inventory.hosts) {
    hosts.set(h.moid, { hostId: h.moid, generation, filters: {}, addressSets: {}, excluded: [] });
    namesPerHost.set(h.moid, new Set());
  }

  for (const v of index.allVnics) {
    const host = hosts.get(v.host);
    if (!host || v.vm.powerState !== 'poweredOn') continue;
    const filter = filterName(v.vm, v.index);
    if (input.excluded.has(v.vm.moid)) {
      host.excluded.push(filter);
      continue;
    }
    const s3 = l3.select(v);
    const s2 = l2.select(v);
    host.filters[filter] = { ruleset: v.cluster, generation, l3: s3.lines, l2: s2.lines };
    const hostNames = namesPerHost.get(v.host)!;
    for (const n of s3.names) hostNames.add(n);
    for (const n of s2.names) hostNames.add(n);
  }

  for (const [hostId, names] of namesPerHost) {
    const sets: AddressSets = {};
    for (const name of [...names].sort()) {
      let content = setCache.get(name);
      if (!content) setCache.set(name, (content = addressSetContents(name, input.resolver, index)));
      sets[name] = content;
    }
    hosts.get(hostId)!.addressSets = sets;
  }
  return [...hosts.values()];
}

/** Rule ids each cluster receives: a rule goes to a cluster when it applies to any vNIC there. */
export function rulesPerCluster(hostSets: HostRuleSet[], inventory: Inventory): Record<string, number[]> {
  const out: Record<string, Set<number>> = {};
  for (const c of inventory.clusters) out[c.moid] = new Set();
  for (const h of hostSets) {
    for (const f of Object.values(h.filters)) {
      const set = (out[f.ruleset] ??= new Set());
      for (const l of f.l3) set.add(l.id);
      for (const l of f.l2) set.add(l.id);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
}
