/**
 * The manager's state machine: holds ManagerState, derives the inventory index and group
 * resolver, publishes configurations (generation numbers, auto-save, translation, host
 * status) and records events. REST handlers and the public facade both work through it.
 *
 * Writes run in transactions: the state is copied first and put back if the handler throws,
 * and events and publish notifications are released only on success, so a refused request
 * changes nothing and says nothing.
 */
import type { EventInput } from '../protocol/events';
import type { SimContext } from '../lab/context';
import type { HostRuleSet } from '../protocol/ruleset';
import type { Outgoing } from '../protocol/messages/envelope';
import type { HostMessages } from '../protocol/messages/host';
import type { VCenterMessages } from '../protocol/messages/vcenter';
import { addSaved } from './config/drafts';
import type { IdAllocator } from './config/firewall-edit';
import { sectionChanged } from './config/firewall-edit';
import { checkFirewallLimits } from './config/limits';
import type { RefDescriber } from './config/firewall-xml';
import { indexInventory, type InventoryIndex } from './grouping/inventory-index';
import { GroupResolver } from './grouping/membership';
import { makeCatalogue, type ServiceCatalogue } from './grouping/services';
import { withPolicySections } from './policy/service-composer';
import { translate } from './translation';
import { addRedirectFilters } from './service-insertion/redirect-translation';
import { withPolicyRedirectSections } from './service-insertion/policy-redirect';
import { spoofGuardPrograms } from './policy/spoofguard';
import type { FirewallConfig, ManagerState, SpoofGuardMode } from './types';

export interface PublishResult {
  generation: number;
  hosts: HostRuleSet[];
}

/** What listeners hear: a rule publish, or address-set-only changes after object/inventory edits. */
export interface ManagerUpdate extends PublishResult {
  reason: 'publish' | 'objects';
  /** forceSync: sent even to hosts whose rule set did not change. */
  forced?: boolean;
}

export const USER = 'admin';

/** What REST handlers queue for other components: EAM's install and resolve, a partner's service VM on a host. */
export type ManagerOutgoing = Outgoing<Pick<VCenterMessages, 'eam-install' | 'eam-resolve'>> | Outgoing<Pick<HostMessages, 'svm-deploy'>>;

export class ManagerCore {
  private events: EventInput[] = [];
  private updates: ManagerUpdate[] = [];
  private depth = 0;
  private cachedIndex: InventoryIndex | null = null;
  private cachedResolver: GroupResolver | null = null;
  private cachedCatalogue: ServiceCatalogue | null = null;
  /** Security group → member VMs as last announced, to report joins and leaves. */
  private membership: Map<string, string[]> | null = null;
  private pendingMembership: Map<string, string[]> | null = null;
  readonly listeners = new Set<(u: ManagerUpdate) => void>();
  /** Messages a REST handler asks the component to send (e.g. to vCenter's EAM), sent after the request succeeds. */
  readonly outbox: ManagerOutgoing[] = [];

  constructor(
    public state: ManagerState,
    readonly ctx: SimContext,
  ) {}

  now(): number {
    return this.ctx.now();
  }

  /** Epoch ms of now, strictly after the previous generation. */
  nextGeneration(): number {
    const g = Math.max(this.ctx.now(), this.state.lastGeneration + 1);
    this.state.lastGeneration = g;
    return g;
  }

  invalidate(): void {
    this.cachedIndex = null;
    this.cachedResolver = null;
    this.cachedCatalogue = null;
  }

  spoofGuardModeOf(network: string): SpoofGuardMode {
    const p = this.state.spoofGuardPolicies.find((x) => !x.defaultPolicy && x.enforcementPoints.includes(network));
    return (p ?? this.state.spoofGuardPolicies.find((x) => x.defaultPolicy))?.operationMode ?? 'DISABLE';
  }

  index(): InventoryIndex {
    return (this.cachedIndex ??= indexInventory(this.state.inventory, (n) => this.spoofGuardModeOf(n), this.state.spoofGuardBindings));
  }

  resolver(): GroupResolver {
    return (this.cachedResolver ??= new GroupResolver(this.index(), this.state));
  }

  catalogue(): ServiceCatalogue {
    return (this.cachedCatalogue ??= makeCatalogue(this.state.services, this.state.serviceGroups));
  }

  ids(): IdAllocator {
    const ids = this.state.ids;
    return { nextSection: () => ids.section++, nextRule: () => ids.rule++ };
  }

  /** Names and validity of referenced objects, for `<name>` and `<isValid>` in responses. */
  readonly describe: RefDescriber = (ref) => {
    const s = this.state;
    const find = <T extends { objectId: string; name: string }>(list: T[]) => list.find((x) => x.objectId === ref.value);
    switch (ref.type) {
      case 'Ipv4Address':
      case 'Ipv6Address':
        return { name: ref.value, valid: true };
      case 'DISTRIBUTED_FIREWALL':
      case 'GlobalRoot':
        return { name: ref.value, valid: true };
      case 'SecurityGroup':
      case 'IPSet':
      case 'MACSet':
      case 'SecurityTag':
      case 'ApplicationGroup': {
        const o = find(s.securityGroups) ?? find(s.ipSets) ?? find(s.macSets) ?? find(s.securityTags) ?? find(s.serviceGroups);
        return { name: o?.name, valid: !!o };
      }
      case 'Application': {
        const o = this.catalogue().service(ref.value);
        return { name: o?.name, valid: !!o };
      }
      default: {
        const name = this.index().nameOf(ref.value);
        return { name, valid: name !== undefined };
      }
    }
  };

  emit(e: EventInput): void {
    this.events.push(e);
    if (this.depth === 0) this.flush();
  }

  system(text: string, opts: { code?: number; severity?: 'info' | 'warn' | 'error'; data?: Record<string, unknown> } = {}): void {
    this.emit({ kind: 'system', text, ...opts });
  }

  audit(operation: string, objectId: string, before: object | null, after: object | null): void {
    this.emit({ kind: 'audit', text: `${USER} ${operation} ${objectId}`, data: { user: USER, operation, objectId, before, after } });
  }

  /** Runs a write; on a throw the state is restored and queued events and updates are dropped. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    const backup = this.state;
    // Copy what handlers change in place; the published configuration, saved configurations,
    // inventory and flows are only ever replaced, so they are shared (10k-rule configs stay cheap).
    const { config, drafts, inventory, flows, ...mutable } = backup;
    this.state = { ...structuredClone(mutable), config, drafts, inventory, flows };
    this.invalidate();
    this.depth++;
    try {
      const out = fn();
      this.depth--;
      this.invalidate();
      this.flush();
      return out;
    } catch (err) {
      this.depth--;
      this.state = backup;
      this.invalidate();
      this.events = [];
      this.updates = [];
      this.outbox.length = 0;
      this.pendingMembership = null;
      throw err;
    }
  }

  private flush(): void {
    if (this.pendingMembership) {
      this.membership = this.pendingMembership;
      this.pendingMembership = null;
    }
    const events = this.events;
    const updates = this.updates;
    this.events = [];
    this.updates = [];
    for (const e of events) this.ctx.emit(e);
    for (const u of updates) for (const l of this.listeners) l(u);
  }

  /** The published configuration ready to publish again (e.g. after an object or exclusion change). */
  republish(reason: string, autoSave = true): PublishResult {
    return this.publishConfig(this.state.config, { reason, autoSave });
  }

  /** The published configuration with Service Composer sections regenerated from the policies. */
  withPolicies(config: FirewallConfig): { config: FirewallConfig; touched: number[] } {
    return withPolicySections(config, this.state.securityPolicies, 0);
  }

  computeHosts(generation: number): HostRuleSet[] {
    const s = this.state;
    const spoofGuard = spoofGuardPrograms(s, this.index().allVnics);
    const hosts = translate({
      config: s.config,
      generation,
      index: this.index(),
      resolver: this.resolver(),
      services: this.catalogue(),
      excluded: new Set([...s.exclusionSystem, ...s.exclusionUser]),
      globalTcpStrict: s.globalConfiguration.tcpStrictOption,
    });
    // Partner redirect rules ride in the same rule set, under each vNIC's slot 4 filter name.
    const redirectSections = s.serviceInsertion ? withPolicyRedirectSections(s.serviceInsertion.sections, s.securityPolicies, generation) : [];
    return addRedirectFilters(hosts, { state: s.serviceInsertion, sections: redirectSections, index: this.index(), resolver: this.resolver(), services: this.catalogue() }).map((h) => ({ ...h, spoofGuard }));
  }

  /**
   * Publishes a configuration: new generation number on the config and on the sections that
   * changed (or are listed in `touched`), auto-save, per-host rule sets, host status in progress.
   */
  publishConfig(next: FirewallConfig, opts: { touched?: number[]; autoSave?: boolean; reason: string }): PublishResult {
    const s = this.state;
    const regenerated = this.withPolicies(next);
    next = regenerated.config;
    checkFirewallLimits(next);
    const previous = new Map([...s.config.layer3Sections, ...s.config.layer2Sections].map((x) => [x.id, x] as const));
    const g = this.nextGeneration();
    const touched = new Set([...(opts.touched ?? []), ...regenerated.touched]);
    // Stamp copies: sections of earlier configurations may be shared with saved configurations.
    const stamp = (list: FirewallConfig['layer3Sections']) =>
      list.map((section) => (touched.has(section.id) || sectionChanged(previous.get(section.id), section) || section.generationNumber === 0 ? { ...section, generationNumber: g, timestamp: g } : section));
    next = { ...next, generationNumber: g, timestamp: g, layer3Sections: stamp(next.layer3Sections), layer2Sections: stamp(next.layer2Sections) };
    s.config = next;
    if (opts.autoSave !== false && !s.globalConfiguration.autoDraftDisabled) {
      s.drafts = addSaved(s.drafts, {
        id: s.ids.draft++,
        name: `Autosaved ${new Date(g).toISOString()}`,
        description: opts.reason,
        preserve: false,
        mode: 'autosaved',
        user: USER,
        timestamp: g,
        // Shared, not copied: a published configuration is never changed in place.
        config: next,
        ...(s.serviceInsertion ? { redirectSections: structuredClone(s.serviceInsertion.sections) } : {}),
      });
    }
    this.invalidate();
    const hosts = this.computeHosts(g);
    for (const h of hosts) s.hostStatus[h.hostId] = { generation: g, status: 'inprogress', startTime: g };
    this.system(`Firewall configuration published (generation ${g}): ${opts.reason}`, { data: { generation: g } });
    this.updates.push({ reason: 'publish', generation: g, hosts });
    if (this.depth === 0) this.flush();
    return { generation: g, hosts };
  }

  /** Pushes the published configuration again to some hosts (forceSync), same generation. */
  publishAgain(hostIds: string[]): void {
    const g = this.state.config.generationNumber;
    const wanted = new Set(hostIds);
    this.updates.push({ reason: 'publish', forced: true, generation: g, hosts: this.computeHosts(g).filter((h) => wanted.has(h.hostId)) });
    if (this.depth === 0) this.flush();
  }

  /** Grouping objects or inventory changed: hosts need new address sets, not new rules. */
  objectsChanged(reason: string): void {
    this.state.objectsGeneration = this.nextGeneration();
    this.invalidate();
    // Translating is only worth it when someone (the control plane) listens; hostRuleSets() recomputes on demand.
    if (this.listeners.size) {
      const g = this.state.config.generationNumber;
      this.updates.push({ reason: 'objects', generation: g, hosts: this.computeHosts(g) });
    }
    this.reportMembershipChanges();
    this.system(`Grouping objects updated: ${reason}`, { data: { generationNumberObjects: this.state.objectsGeneration } });
  }

  currentMembership(): Map<string, string[]> {
    const r = this.resolver();
    return new Map(this.state.securityGroups.map((g) => [g.objectId, r.vmsOf(g.objectId)] as const));
  }

  /** Remembers memberships now, without reporting (at construction). */
  primeMembership(): void {
    this.membership = this.currentMembership();
  }

  /** System events for VMs joining or leaving security groups since the last report. */
  private reportMembershipChanges(): void {
    const before = this.pendingMembership ?? this.membership ?? new Map<string, string[]>();
    const after = this.currentMembership();
    const names = new Map(this.state.inventory.vms.map((v) => [v.moid, v.name] as const));
    for (const g of this.state.securityGroups) {
      const was = new Set(before.get(g.objectId) ?? []);
      const now = after.get(g.objectId) ?? [];
      if (!before.has(g.objectId)) continue; // a new group is announced by its own audit entry
      for (const vm of now) if (!was.has(vm)) this.system(`VM ${names.get(vm) ?? vm} added to security group ${g.name}`, { data: { securityGroup: g.objectId, vm } });
      for (const vm of was) if (!now.includes(vm)) this.system(`VM ${names.get(vm) ?? vm} removed from security group ${g.name}`, { data: { securityGroup: g.objectId, vm } });
    }
    this.pendingMembership = after;
    if (this.depth === 0) this.flush();
  }
}
