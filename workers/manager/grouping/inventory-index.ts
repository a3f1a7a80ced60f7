/**
 * Look-ups over the live vCenter inventory that membership and translation need, plus the IPs
 * each vNIC is known by: the ones VMware Tools reports, or the approved SpoofGuard bindings
 * when SpoofGuard is on for the vNIC's network. A VM without Tools contributes no IP.
 */
import ipaddr from 'ipaddr.js';
import { vnicId, type Inventory, type Vm } from '../../protocol/inventory';
import type { SpoofGuardBinding, SpoofGuardMode } from '../types';

export interface VnicInfo {
  /** The NSX vNIC id, `<instance uuid>.000`. */
  id: string;
  vm: Vm;
  index: number;
  mac: string;
  network: string;
  host: string;
  cluster: string;
}

export interface InventoryIndex {
  inventory: Inventory;
  vm(moid: string): Vm | undefined;
  vnicsOfVm(moid: string): VnicInfo[];
  vnic(id: string): VnicInfo | undefined;
  allVnics: VnicInfo[];
  clusterOfHost(hostId: string): string | undefined;
  /** IPs a vNIC is known by, for address sets. */
  ipsOfVnic(v: VnicInfo): string[];
  /** Whether a moid names an inventory object (VM, host, cluster, network, datacenter, vNIC). */
  has(objectId: string): boolean;
  nameOf(objectId: string): string | undefined;
}

function inSubnet(ip: string, subnet: string): boolean {
  try {
    const addr = ipaddr.parse(ip);
    const range = ipaddr.parseCIDR(subnet);
    return addr.kind() === range[0].kind() && addr.match(range);
  } catch {
    return false;
  }
}

/** Tools reports IPs per VM; attribute each to the vNIC whose network holds it (the first vNIC otherwise). */
function toolsIpsByVnic(vm: Vm, subnetOf: (network: string) => string | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>(vm.vnics.map((n) => [n.index, []]));
  if (vm.powerState !== 'poweredOn' || !vm.toolsRunning || vm.vnics.length === 0) return out;
  for (const ip of vm.guestIps) {
    const nic = vm.vnics.length === 1 ? vm.vnics[0]! : (vm.vnics.find((n) => inSubnet(ip, subnetOf(n.network) ?? '')) ?? vm.vnics[0]!);
    out.get(nic.index)!.push(ip);
  }
  return out;
}

export function indexInventory(
  inventory: Inventory,
  spoofGuardModeOf: (network: string) => SpoofGuardMode,
  bindings: SpoofGuardBinding[],
): InventoryIndex {
  const vms = new Map(inventory.vms.map((v) => [v.moid, v] as const));
  const hostCluster = new Map(inventory.hosts.map((h) => [h.moid, h.cluster] as const));
  const subnets = new Map(inventory.networks.map((n) => [n.moid, n.subnet] as const));
  const names = new Map<string, string>();
  names.set(inventory.datacenter.moid, inventory.datacenter.name);
  for (const c of inventory.clusters) names.set(c.moid, c.name);
  for (const h of inventory.hosts) names.set(h.moid, h.name);
  for (const n of inventory.networks) names.set(n.moid, n.name);
  for (const v of inventory.vms) names.set(v.moid, v.name);

  const approved = new Map<string, string[]>();
  for (const b of bindings) {
    if (!b.approved || !b.published) continue;
    const list = approved.get(b.vnicId) ?? [];
    list.push(b.ip);
    approved.set(b.vnicId, list);
  }

  const byVm = new Map<string, VnicInfo[]>();
  const byId = new Map<string, VnicInfo>();
  const ips = new Map<string, string[]>();
  const all: VnicInfo[] = [];
  for (const vm of inventory.vms) {
    const tools = toolsIpsByVnic(vm, (n) => subnets.get(n));
    const list: VnicInfo[] = [];
    for (const nic of vm.vnics) {
      const id = vnicId(vm, nic.index);
      const info: VnicInfo = { id, vm, index: nic.index, mac: nic.mac, network: nic.network, host: vm.host, cluster: hostCluster.get(vm.host) ?? '' };
      list.push(info);
      byId.set(id, info);
      all.push(info);
      names.set(id, `${vm.name} - Network adapter ${nic.index + 1}`);
      ips.set(id, spoofGuardModeOf(nic.network) === 'DISABLE' ? tools.get(nic.index)! : (approved.get(id) ?? []));
    }
    byVm.set(vm.moid, list);
  }

  return {
    inventory,
    vm: (moid) => vms.get(moid),
    vnicsOfVm: (moid) => byVm.get(moid) ?? [],
    vnic: (id) => byId.get(id),
    allVnics: all,
    clusterOfHost: (h) => hostCluster.get(h),
    ipsOfVnic: (v) => ips.get(v.id) ?? [],
    has: (id) => names.has(id),
    nameOf: (id) => names.get(id),
  };
}
