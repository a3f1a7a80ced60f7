/**
 * What the firewall's object pickers offer: grouping objects and services from NSX Manager,
 * inventory objects (VMs, logical switches, clusters, hosts) from the lab's inventory.
 */
import { type Inventory, networkObjectType } from '../../../workers/protocol/inventory';
import type { FwRef } from './firewall-model';
import type { NsxClient } from './nsx-client.svelte';
import type { SecurityGroupAnswer } from '../../../workers/protocol/nsx/grouping-codec';

export interface Choice extends FwRef {
  name: string;
  group: string;
  /** Shown after the name in a picker (e.g. the directory groups of an identity security group). */
  detail?: string;
}

export const IDENTITY_GROUPS = 'Security groups by directory group';

/**
 * Security groups as a rule's source or destination offers them. Those with directory groups
 * (the identity firewall: rules on Active Directory groups go through a security group that
 * includes them, as in NSX-V) come first, under their own heading, naming their directory groups.
 */
export function securityGroupChoices(groups: SecurityGroupAnswer[]): Choice[] {
  const choices = groups.map((g): Choice => {
    const dirs = g.members.filter((m) => m.objectTypeName === 'DirectoryGroup').map((m) => m.name ?? m.objectId);
    const c: Choice = { value: g.objectId, name: g.name, type: 'SecurityGroup', group: dirs.length ? IDENTITY_GROUPS : 'Security groups' };
    if (dirs.length) c.detail = dirs.join(', ');
    return c;
  });
  return [...choices.filter((c) => c.group === IDENTITY_GROUPS), ...choices.filter((c) => c.group !== IDENTITY_GROUPS)];
}

export class ObjectCatalog {
  grouping = $state.raw<Choice[]>([]);
  services = $state.raw<Choice[]>([]);
  error = $state('');

  constructor(private readonly nsx: NsxClient) {}

  async load(): Promise<void> {
    try {
      const svc = '/api/2.0/services';
      const [groups, ipsets, apps] = await Promise.all([
        this.nsx.read(`${svc}/securitygroup/scope/globalroot-0`, (x) => x.readSecurityGroups),
        this.nsx.read(`${svc}/ipset/scope/globalroot-0`, (x) => x.readIpSets),
        this.nsx.read(`${svc}/application/scope/globalroot-0`, (x) => x.readServices),
      ]);
      const item = (group: string, type: string) => (o: { objectId: string; name: string }): Choice => ({ value: o.objectId, name: o.name, type, group });
      this.grouping = [...securityGroupChoices(groups), ...ipsets.map(item('IP sets', 'IPSet'))];
      this.services = apps.map(item('Services', 'Application'));
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Everything a source, destination or Applied To can name. */
  choices(inv: Inventory | null, forAppliedTo = false): Choice[] {
    const vms = (inv?.vms ?? []).map((v) => ({ value: v.moid, name: v.name, type: 'VirtualMachine', group: 'Virtual machines' }));
    const nets = (inv?.networks ?? []).map((n) => ({ value: n.moid, name: n.name, type: networkObjectType(n.kind), group: 'Logical switches and port groups' }));
    const clusters = (inv?.clusters ?? []).map((c) => ({ value: c.moid, name: c.name, type: 'ClusterComputeResource', group: 'Clusters' }));
    const hosts = (inv?.hosts ?? []).map((h) => ({ value: h.moid, name: h.name, type: 'HostSystem', group: 'Hosts' }));
    // Applied To names where rules are enforced: an identity group's users move, so it is offered with the other security groups.
    const grouping = forAppliedTo ? this.grouping.filter((g) => g.type === 'SecurityGroup').map((g) => ({ ...g, group: 'Security groups' })) : this.grouping;
    return [...grouping, ...vms, ...nets, ...clusters, ...(forAppliedTo ? hosts : [])];
  }
}
