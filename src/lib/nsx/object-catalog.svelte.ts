/**
 * What the firewall's object pickers offer: grouping objects and services from NSX Manager,
 * inventory objects (VMs, logical switches, clusters, hosts) from the lab's inventory.
 */
import { type Inventory, networkObjectType } from '../../../workers/protocol/inventory';
import type { FwRef } from './firewall-model';
import type { NsxClient } from './nsx-client.svelte';
import { list, obj, str } from './xml';

export interface Choice extends FwRef {
  name: string;
  group: string;
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
        this.nsx.getXml(`${svc}/securitygroup/scope/globalroot-0`),
        this.nsx.getXml(`${svc}/ipset/scope/globalroot-0`),
        this.nsx.getXml(`${svc}/application/scope/globalroot-0`),
      ]);
      const item = (group: string, type: string) => (o: Record<string, unknown>): Choice => ({ value: str(o, 'objectId'), name: str(o, 'name'), type, group });
      this.grouping = [...list(obj(groups.doc.list).securitygroup).map(item('Security groups', 'SecurityGroup')), ...list(obj(ipsets.doc.list).ipset).map(item('IP sets', 'IPSet'))];
      this.services = list(obj(apps.doc.list).application).map(item('Services', 'Application'));
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
    const grouping = forAppliedTo ? this.grouping.filter((g) => g.type === 'SecurityGroup') : this.grouping;
    return [...grouping, ...vms, ...nets, ...clusters, ...(forAppliedTo ? hosts : [])];
  }
}
