/**
 * NSX Manager: the public face of the manager component. The lab wires it to vCenter
 * (setInventory), to the hosts' SpoofGuard discovery (setSpoofGuardBindings), to the control
 * plane (publish / hostRuleSets / markHostStatus / onUpdate) and to the UI and REST clients
 * (rest; tests read its state through test/manager/manager-views.ts).
 */
import { recordHostPrep } from './installation/host-prep-report';
import type { HostPrepReport } from '../protocol/messages/vcenter';
import type { SimContext } from '../lab/context';
import type { HostRuleSet } from '../protocol/ruleset';
import type { Inventory } from '../protocol/inventory';
import { ManagerCore, type ManagerOutgoing, type ManagerUpdate, type PublishResult } from './core';
import { isFreshLogin, loginEvent, type LoginAttempt } from './access-log';
import { applyTrustOnFirstUse, mergeBindings } from './policy/spoofguard';
import { buildInitialState, type ClassroomPreset } from './preset';
import { buildRouter } from './rest/routes';
import type { RestRequest, RestResponse } from './rest/http';
import type { Router } from './rest/router';
import { IdentityService } from './identity/identity-service';
import { initialIdentity } from './identity/directory';
import type { FlowRecord, ManagerState, ReportedBinding, SpoofGuardBinding } from './types';

export type { RestRequest, RestResponse } from './rest/http';
export type { ClassroomPreset } from './preset';
export type { ManagerState } from './types';
export type { ManagerUpdate, PublishResult } from './core';

/** Flow records kept for the flow monitoring API; the oldest go first. */
const MAX_FLOWS = 10_000;

/** A refusal travelling out of a transaction so that the state is rolled back. */
class Refused extends Error {
  constructor(readonly response: RestResponse) {
    super(`refused with ${response.status}`);
  }
}

/** The host-side event code vsfwd reports when a rule set does not fit its DFW memory. */
export const RULE_NOT_APPLIED = 301032;

export class NsxManager {
  private readonly core: ManagerCore;
  private readonly router: Router;
  /** The identity firewall: directory, logons reported by Guest Introspection, identity-based groups. */
  readonly identity: IdentityService;

  static initialState(preset: ClassroomPreset, inventory: Inventory): ManagerState {
    return buildInitialState(preset, inventory);
  }

  /**
   * `owned`: the state is the manager's own (a unit's load hands each component a fresh copy:
   * parsed from stored parts, or cloned by its transport), so it is not cloned again: a 10k-rule
   * configuration's clone was most of the manager's part of opening a saved lab.
   */
  constructor(state: ManagerState, ctx: SimContext, { owned = false }: { owned?: boolean } = {}) {
    this.core = new ManagerCore(owned ? state : structuredClone(state), ctx);
    // Saves from before 2026-12-07 carry `pending`, which nothing ever set: it is not kept.
    Reflect.deleteProperty(this.core.state, 'pending');
    const s = this.core.state;
    if (s.config.generationNumber === 0) {
      // A fresh state has no clock yet: the defaults get the generation of the manager's start.
      const g = this.core.nextGeneration();
      s.config.generationNumber = s.config.timestamp = g;
      for (const sec of [...s.config.layer3Sections, ...s.config.layer2Sections]) sec.generationNumber = sec.timestamp = g;
      for (const t of s.timeouts) if (t.generationNumber === 0) t.generationNumber = g;
    }
    s.identity ??= initialIdentity(); // labs saved before the identity firewall get the classroom directory
    this.identity = new IdentityService(this.core);
    this.router = buildRouter(this.core);
    this.core.primeMembership();
  }

  // ---- wiring -------------------------------------------------------------------

  /** Membership and translation follow the live inventory (names, Tools IPs, hosts, clusters). */
  setInventory(inventory: Inventory): void {
    const s = this.core.state;
    s.inventory = structuredClone(inventory);
    this.core.invalidate();
    applyTrustOnFirstUse(s, (id) => this.core.index().vnic(id)?.network);
    this.core.objectsChanged('inventory changed');
  }

  /** Bindings the hosts discovered (ARP/DHCP snooping); approved ones feed address sets when SpoofGuard is on. */
  setSpoofGuardBindings(bindings: ReportedBinding[]): void {
    const s = this.core.state;
    const enforced = publishedBindings(s.spoofGuardBindings);
    s.spoofGuardBindings = mergeBindings(s.spoofGuardBindings, bindings);
    this.core.invalidate();
    applyTrustOnFirstUse(s, (id) => this.core.index().vnic(id)?.network);
    // Only approved, published bindings reach translation: discovering more changes no object.
    if (publishedBindings(s.spoofGuardBindings) !== enforced) this.core.objectsChanged('SpoofGuard bindings discovered');
  }

  /** Called for every publish and every address-set-only change; returns an unsubscribe function. */
  onUpdate(listener: (update: ManagerUpdate) => void): () => void {
    this.core.listeners.add(listener);
    return () => this.core.listeners.delete(listener);
  }

  /** Flow records from hosts, for GET /api/2.1/app/flow/flowstats. */
  recordFlows(records: FlowRecord[]): void {
    const s = this.core.state;
    s.flows = [...s.flows, ...structuredClone(records)].slice(-MAX_FLOWS);
  }

  /** EAM's report on one host's preparation (vCenter → manager), with the system event NSX raises. */
  recordHostPrep(report: HostPrepReport): void {
    recordHostPrep(this.core, report);
  }

  /** Messages REST handlers queued for other components (vCenter's EAM), taken once. */
  takeOutbox(): ManagerOutgoing[] {
    return this.core.outbox.splice(0);
  }

  // ---- REST -----------------------------------------------------------------------

  /** One NSX-V API request. Reads run directly; writes run in a transaction and roll back on any refusal. */
  rest(req: RestRequest): RestResponse {
    if (req.method.toUpperCase() === 'GET') return this.router.handle(req);
    try {
      return this.core.transaction(() => {
        const res = this.router.handle(req);
        if (res.status >= 400) throw new Refused(res);
        return res;
      });
    } catch (e) {
      if (e instanceof Refused) return e.response;
      throw e;
    }
  }

  // ---- publish and host status ------------------------------------------------------

  /** Whether `attempt` at lab time `now` would change nothing: the same user logged in the same way less than a session ago. */
  loginIsFresh(attempt: LoginAttempt, now: number): boolean {
    return isFreshLogin(attempt, this.core.state.lastLogins, now);
  }

  /** A login through the REST API or the client's session, into the audit log. */
  login(attempt: LoginAttempt): void {
    const s = this.core.state;
    const e = loginEvent(attempt, (s.lastLogins ??= {}), this.core.now());
    if (e) this.core.emit(e);
  }

  /** Publishes the current configuration again with a new generation number (edits publish as they are made). */
  publish(): PublishResult {
    // Published configurations are never changed in place (publishing stamps copies), so no copy here.
    return this.core.publishConfig(this.core.state.config, { reason: 'published by admin' });
  }

  /** Rule sets for the published configuration and the live inventory (e.g. after an IP change). */
  hostRuleSets(): HostRuleSet[] {
    return this.core.computeHosts(this.core.state.config.generationNumber);
  }

  markHostStatus(hostId: string, generation: number, status: 'published' | 'failed' | 'inprogress', error?: string, errorCode?: number): void {
    const s = this.core.state;
    const host = s.inventory.hosts.find((h) => h.moid === hostId);
    const current = s.hostStatus[hostId];
    if (!host || (current && generation < current.generation)) return; // a late report of an older generation
    const now = this.core.now();
    s.hostStatus[hostId] = {
      generation, status, startTime: current?.generation === generation ? current.startTime : now, ...(status === 'inprogress' ? {} : { endTime: now }),
      ...(status === 'failed' && errorCode === RULE_NOT_APPLIED ? { errorCode, error } : {}),
    };
    if (status === 'failed' && errorCode === RULE_NOT_APPLIED) {
      // nsx-reference §1.18: 301032 "Failed to apply firewall rule to vnic" (check the vsip heaps).
      this.core.system(`Failed to apply firewall rule to vnic on host ${host.name} (${hostId}), generation ${generation}: ${error ?? 'the host refused the rules'}`, { code: RULE_NOT_APPLIED, severity: 'error', data: { hostId, generation } });
    }
    if (status === 'failed') {
      this.core.system(`Firewall config update failed on host ${host.name} (${hostId}), generation ${generation}`, { code: 301031, severity: 'error', data: { hostId, generation } });
    } else if (status === 'published') {
      this.core.system(`Firewall configuration ${generation} applied on host ${host.name} (${hostId})`, { data: { hostId, generation } });
    }
  }

  /** A publish that changed nothing on this host (no changed rule applies to its VMs): it keeps its rule set. */
  markHostUpToDate(hostId: string, generation: number): void {
    const s = this.core.state;
    const host = s.inventory.hosts.find((h) => h.moid === hostId);
    const current = s.hostStatus[hostId];
    if (!host || (current && generation < current.generation)) return;
    const now = this.core.now();
    s.hostStatus[hostId] = { generation, status: 'published', startTime: current?.generation === generation ? current.startTime : now, endTime: now };
    this.core.system(`Firewall configuration ${generation}: nothing to send to host ${host.name} (${hostId}), no changed rule applies to its VMs; it keeps its rule set`, { data: { hostId, generation } });
  }

  snapshot(): ManagerState {
    return structuredClone(this.core.state);
  }

  /** Rules whose Applied To names specific objects rather than the whole firewall. */
  scopedRuleIds(): number[] {
    const config = this.core.state.config;
    const ids: number[] = [];
    for (const section of [...config.layer3Sections, ...config.layer2Sections]) {
      for (const rule of section.rules) if (rule.appliedTo.length && !rule.appliedTo.some((a) => a.type === 'DISTRIBUTED_FIREWALL' || a.type === 'GlobalRoot')) ids.push(rule.id);
    }
    return ids;
  }
}

/** The bindings translation uses (approved and published), as one comparable string. */
function publishedBindings(bindings: readonly SpoofGuardBinding[]): string {
  return bindings.filter((b) => b.approved && b.published).map((b) => `${b.vnicId}|${b.mac}|${b.ip}`).sort().join(',');
}
