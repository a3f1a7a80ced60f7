/**
 * vSphere ESX Agent Manager (EAM), part of vCenter (seed 000): NSX Manager asks it to prepare a
 * cluster; it creates an agency (`_VCNS_153_<cluster>_VMware Network Fabric`) with one agent per
 * host, has each host install the VIBs it caches from NSX Manager, and records each agent's
 * issue when a host fails. "Resolve" tries the failed agents again. It tells NSX Manager how
 * every host stands, which is what the Installation screen and /api/2.0/nwfabric/status show.
 */
import { hostAddress } from '../../protocol/messages/host';
import type { ComponentContext } from '../../lab/component';
import type { Inventory } from '../../protocol/inventory';
import { MANAGER } from '../../protocol/messages/manager';
import type { AgentResult, EamAgency, EamAgent } from '../../protocol/messages/vcenter';

/** How long a host takes from EAM's request to the VIB transaction (download, install, module load). */
const VIB_INSTALL_DELAY_MS = 20_000;

export interface EamState {
  agencies: EamAgency[];
  nextAgency: number;
  nextBundle: number;
}

export function initialEam(): EamState {
  return { agencies: [], nextAgency: 1, nextBundle: 1 };
}

export class Eam {
  constructor(
    private readonly state: EamState,
    private readonly inventory: () => Inventory,
  ) {}

  /** NSX Manager's install request for a cluster: an agency, and an install on every host not yet green. */
  install(cluster: string, ctx: ComponentContext): void {
    const inv = this.inventory();
    const c = inv.clusters.find((x) => x.moid === cluster);
    if (!c) return;
    let agency = this.state.agencies.find((a) => a.cluster === cluster);
    if (!agency) {
      agency = { id: `agency-${this.state.nextAgency++}`, name: `_VCNS_153_${c.name}_VMware Network Fabric`, cluster, agents: [] };
      this.state.agencies.push(agency);
      ctx.emit({ kind: 'system', text: `vSphere ESX Agent Manager: agency ${agency.name} created for ${c.name}` });
    }
    for (const h of inv.hosts.filter((x) => x.cluster === cluster)) {
      let agent = agency.agents.find((a) => a.host === h.moid);
      if (!agent) agency.agents.push((agent = { host: h.moid, status: 'installing' }));
      if (agent.status === 'green' || agent.status === 'yellow') continue;
      this.startAgent(agency, agent, ctx);
    }
  }

  /** Resolve: the agency's failed agents try again (an agent waiting for a reboot keeps waiting). */
  resolve(cluster: string, ctx: ComponentContext): boolean {
    const agency = this.state.agencies.find((a) => a.cluster === cluster);
    if (!agency) return false;
    for (const agent of agency.agents) if (agent.status === 'red') this.startAgent(agency, agent, ctx);
    return true;
  }

  /** A host's answer to an install request. */
  agentResult(r: AgentResult, ctx: ComponentContext): void {
    const agency = this.state.agencies.find((a) => a.name === r.agency);
    const agent = agency?.agents.find((a) => a.host === r.host);
    if (!agency || !agent) return;
    agent.status = r.ok ? 'green' : r.reboot ? 'yellow' : 'red';
    agent.issue = r.ok ? undefined : r.issue;
    const host = this.hostName(r.host);
    if (r.ok) ctx.emit({ kind: 'system', text: `vSphere ESX Agent Manager: NSX VIBs installed on ${host}` });
    else ctx.emit({ kind: 'system', severity: r.reboot ? 'warn' : 'error', text: `vSphere ESX Agent Manager: agency ${agency.name}, host ${host}: ${r.issue}` });
    this.report(agency, agent, ctx);
  }

  /** A host that waited for a reboot came back with its VIBs loaded. */
  rebooted(host: string, ctx: ComponentContext): void {
    for (const agency of this.state.agencies) {
      const agent = agency.agents.find((a) => a.host === host && a.status === 'yellow');
      if (!agent) continue;
      agent.status = 'green';
      agent.issue = undefined;
      this.report(agency, agent, ctx);
    }
  }

  private startAgent(agency: EamAgency, agent: EamAgent, ctx: ComponentContext): void {
    agent.status = 'installing';
    agent.issue = undefined;
    const vcenter = this.inventory().vms.find((v) => v.role === 'vcenter');
    const bundleId = `${(0x5f3a + this.state.nextBundle++).toString(16)}-vib-${agency.id}`;
    ctx.send(hostAddress(agent.host), 'vib-install', { agency: agency.name, vcenterFqdn: vcenter?.computerName ?? 'vcenter', vcenterIp: vcenter?.guestIps[0] ?? '', bundleId }, VIB_INSTALL_DELAY_MS);
    this.report(agency, agent, ctx);
  }

  private report(agency: EamAgency, agent: EamAgent, ctx: ComponentContext): void {
    ctx.send(MANAGER, 'host-prep-status', { host: agent.host, cluster: agency.cluster, status: agent.status, issue: agent.issue });
  }

  private hostName(moid: string): string {
    return this.inventory().hosts.find((h) => h.moid === moid)?.name ?? moid;
  }
}
