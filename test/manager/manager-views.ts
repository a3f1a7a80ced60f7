/**
 * What tests read of NSX Manager's state, built from its snapshot: views the product itself
 * reads through the REST API, so NsxManager keeps no accessor that only tests call.
 */
import type { NsxManager } from '../../workers/manager/manager';
import { ManagerCore } from '../../workers/manager/core';
import { rulesPerCluster } from '../../workers/manager/translation';
import type { FirewallConfig, HostPublishStatus, SavedConfiguration } from '../../workers/manager/types';

const still = { now: () => 0, random: () => 0.5, emit: () => {} };

/** The published firewall configuration. */
export function firewallConfig(m: NsxManager): FirewallConfig {
  return m.snapshot().config;
}

/** Saved configurations, newest first, without their contents. */
export function savedConfigurations(m: NsxManager): Omit<SavedConfiguration, 'config'>[] {
  return m.snapshot().drafts.map(({ config: _config, ...rest }) => rest).reverse();
}

export function exclusionList(m: NsxManager): { vmId: string; name: string; system: boolean }[] {
  const s = m.snapshot();
  const name = (id: string) => s.inventory.vms.find((v) => v.moid === id)?.name ?? id;
  return [...s.exclusionSystem.map((vmId) => ({ vmId, name: name(vmId), system: true })), ...s.exclusionUser.map((vmId) => ({ vmId, name: name(vmId), system: false }))];
}

/** Each security group with the VMs and addresses it stands for now. */
export function securityGroups(m: NsxManager): { objectId: string; name: string; description: string; vms: string[]; ips: string[] }[] {
  const core = new ManagerCore(m.snapshot(), still);
  const r = core.resolver();
  const index = core.index();
  return core.state.securityGroups.map((g) => {
    const members = r.members(g.objectId);
    const ips = new Set<string>(members.ips);
    for (const id of members.vnics) {
      const v = index.vnic(id);
      if (v) for (const ip of index.ipsOfVnic(v)) ips.add(ip);
    }
    return { objectId: g.objectId, name: g.name, description: g.description, vms: r.vmsOf(g.objectId), ips: [...ips].sort() };
  });
}

export function securityTags(m: NsxManager): { objectId: string; name: string; systemResource: boolean; vms: string[] }[] {
  return m.snapshot().securityTags;
}

export function hostPublishStatus(m: NsxManager): Record<string, HostPublishStatus> {
  return m.snapshot().hostStatus;
}

/** Rule ids each cluster receives under Applied To. */
export function rulesPerClusterOf(m: NsxManager): Record<string, number[]> {
  return rulesPerCluster(m.hostRuleSets(), m.snapshot().inventory);
}
