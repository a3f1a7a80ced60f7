/**
 * Which vNICs, addresses and MACs a grouping object stands for, against the live inventory.
 * Security group = (dynamic inclusion + static inclusion) − static exclusion; nesting is
 * followed with cycle protection. String criteria compare case-insensitively (the UI's
 * "contains web" matches "Web-01"); `similar_to` is a regular expression, unanchored, run in the
 * linear-time RE2 engine (a group's pattern must never hang the manager).
 */
import type { DynamicCriteria, DynamicSet, IpSet, MacSet, SecurityGroup, SecurityTag } from '../types';
import type { InventoryIndex, VnicInfo } from './inventory-index';
import type { Vm } from '../../protocol/inventory';
import { compileSafeRegex } from '../../lab/safe-regex';
import { isDirectoryGroupId, vmsOfDirectoryGroup, type IdentityState } from '../identity/directory';

function matchesSafely(pattern: string, text: string): boolean {
  const r = compileSafeRegex(pattern);
  return r.ok && r.regex.test(text);
}

interface Members {
  vnics: Set<string>;
  /** Literal addresses, CIDRs and ranges (from IP sets). */
  ips: Set<string>;
  /** Literal MACs (from MAC sets). */
  macs: Set<string>;
}

interface GroupingObjects {
  securityGroups: SecurityGroup[];
  securityTags: SecurityTag[];
  ipSets: IpSet[];
  macSets: MacSet[];
  /** Directory groups stand for the VMs their users are logged on to (identity firewall). */
  identity?: IdentityState;
}

const empty = (): Members => ({ vnics: new Set(), ips: new Set(), macs: new Set() });

function addAll<T>(into: Set<T>, from: Iterable<T>): void {
  for (const x of from) into.add(x);
}

function matchString(op: DynamicCriteria['criteria'], actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (op) {
    case 'contains':
      return a.includes(e);
    case 'starts_with':
      return a.startsWith(e);
    case 'ends_with':
      return a.endsWith(e);
    case '=':
      return a === e;
    case '!=':
      return a !== e;
    case 'similar_to':
      return matchesSafely(expected, actual);
    default:
      return false;
  }
}

export class GroupResolver {
  private readonly groups: Map<string, SecurityGroup>;
  private readonly tagsOfVm = new Map<string, string[]>();
  private readonly vmsOfTag = new Map<string, string[]>();
  private readonly ipSets: Map<string, IpSet>;
  private readonly macSets: Map<string, MacSet>;
  private readonly cache = new Map<string, Members>();
  private readonly resolving = new Set<string>();
  private readonly identity: IdentityState | undefined;

  constructor(
    readonly index: InventoryIndex,
    objects: GroupingObjects,
  ) {
    this.groups = new Map(objects.securityGroups.map((g) => [g.objectId, g] as const));
    this.ipSets = new Map(objects.ipSets.map((s) => [s.objectId, s] as const));
    this.macSets = new Map(objects.macSets.map((s) => [s.objectId, s] as const));
    this.identity = objects.identity;
    for (const t of objects.securityTags) {
      this.vmsOfTag.set(t.objectId, t.vms);
      for (const vm of t.vms) this.tagsOfVm.set(vm, [...(this.tagsOfVm.get(vm) ?? []), t.name]);
    }
  }

  tagNamesOf(vmId: string): string[] {
    return this.tagsOfVm.get(vmId) ?? [];
  }

  /** Members of any grouping object or inventory object id. */
  members(objectId: string): Members {
    const hit = this.cache.get(objectId);
    if (hit) return hit;
    if (this.resolving.has(objectId)) return empty(); // a nesting cycle contributes nothing more
    this.resolving.add(objectId);
    const m = this.compute(objectId);
    this.resolving.delete(objectId);
    this.cache.set(objectId, m);
    return m;
  }

  private vnicsWhere(pred: (v: VnicInfo) => boolean): Members {
    const m = empty();
    for (const v of this.index.allVnics) if (pred(v)) m.vnics.add(v.id);
    return m;
  }

  private compute(id: string): Members {
    const inv = this.index.inventory;
    if (id.startsWith('securitygroup-')) return this.groupMembers(id);
    if (id.startsWith('ipset-')) return { ...empty(), ips: new Set(this.ipSets.get(id)?.values ?? []) };
    if (id.startsWith('macset-')) return { ...empty(), macs: new Set(this.macSets.get(id)?.values ?? []) };
    if (id.startsWith('securitytag-')) {
      const vms = new Set(this.vmsOfTag.get(id) ?? []);
      return this.vnicsWhere((v) => vms.has(v.vm.moid));
    }
    if (isDirectoryGroupId(id)) {
      const vms = new Set(this.identity ? vmsOfDirectoryGroup(this.identity, id) : []);
      return this.vnicsWhere((v) => vms.has(v.vm.moid));
    }
    if (id.startsWith('vm-')) return this.vnicsWhere((v) => v.vm.moid === id);
    if (id.startsWith('host-')) return this.vnicsWhere((v) => v.host === id);
    if (id.startsWith('domain-c')) return this.vnicsWhere((v) => v.cluster === id);
    if (id === inv.datacenter.moid) return this.vnicsWhere(() => true);
    if (inv.networks.some((n) => n.moid === id)) return this.vnicsWhere((v) => v.network === id);
    if (this.index.vnic(id)) return { ...empty(), vnics: new Set([id]) };
    return empty();
  }

  private groupMembers(id: string): Members {
    const g = this.groups.get(id);
    const m = empty();
    if (!g) return m;
    if (g.dynamicSets.length) {
      for (const vm of this.index.inventory.vms) {
        if (this.matchesDynamic(vm, g.dynamicSets)) for (const v of this.index.vnicsOfVm(vm.moid)) m.vnics.add(v.id);
      }
    }
    for (const member of g.members) {
      const sub = this.members(member);
      addAll(m.vnics, sub.vnics);
      addAll(m.ips, sub.ips);
      addAll(m.macs, sub.macs);
    }
    for (const ex of g.excludeMembers) {
      const sub = this.members(ex);
      for (const v of sub.vnics) m.vnics.delete(v);
      for (const ip of sub.ips) m.ips.delete(ip);
      for (const mac of sub.macs) m.macs.delete(mac);
    }
    return m;
  }

  /** Sets combine left to right with their operator; the first set's operator is ignored. */
  matchesDynamic(vm: Vm, sets: DynamicSet[]): boolean {
    let result = false;
    sets.forEach((set, i) => {
      const r = this.matchesSet(vm, set);
      result = i === 0 ? r : set.operator === 'AND' ? result && r : result || r;
    });
    return result;
  }

  private matchesSet(vm: Vm, set: DynamicSet): boolean {
    let result = false;
    set.criteria.forEach((c, i) => {
      const r = this.matchesCriteria(vm, c);
      result = i === 0 ? r : c.operator === 'AND' ? result && r : result || r;
    });
    return result;
  }

  private matchesCriteria(vm: Vm, c: DynamicCriteria): boolean {
    switch (c.key) {
      case 'VM.NAME':
        return matchString(c.criteria, vm.name, c.value);
      case 'VM.GUEST_HOST_NAME':
        return matchString(c.criteria, vm.computerName, c.value);
      case 'VM.GUEST_OS_FULL_NAME':
        return matchString(c.criteria, vm.guestOs, c.value);
      case 'VM.SECURITY_TAG': {
        const tags = this.tagNamesOf(vm.moid);
        if (c.criteria === '!=') return !tags.some((t) => matchString('=', t, c.value));
        return tags.some((t) => matchString(c.criteria, t, c.value));
      }
      case 'ENTITY':
        // belongs_to: the VM is a member of the named object (cluster, host, network, group, tag…).
        return this.index.vnicsOfVm(vm.moid).some((v) => this.members(c.value).vnics.has(v.id));
      default:
        return false;
    }
  }

  /** VMs (moids) in a group, for the members API and the UI. */
  vmsOf(objectId: string): string[] {
    const out = new Set<string>();
    for (const id of this.members(objectId).vnics) {
      const v = this.index.vnic(id);
      if (v) out.add(v.vm.moid);
    }
    return [...out].sort();
  }
}
