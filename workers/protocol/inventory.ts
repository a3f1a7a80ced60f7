/**
 * vCenter inventory: the managed objects of the lab datacenter, as plain data.
 * Managed object ids (moids) follow vCenter's shapes: datacenter-2, domain-c7, host-10, vm-36.
 */

export type PowerState = 'poweredOn' | 'poweredOff';

export interface Datacenter {
  moid: string;
  name: string;
}

export interface Cluster {
  moid: string;
  name: string;
}

export interface Host {
  moid: string;
  name: string;
  cluster: string;
  /** VXLAN tunnel endpoint on the underlay. */
  vtepIp: string;
  /** vmk0 management address. */
  mgmtIp: string;
}

/** A distributed port group (VLAN-backed) or an NSX logical switch (VXLAN-backed virtual wire). */
export interface Network {
  moid: string;
  name: string;
  kind: 'portgroup' | 'logicalswitch';
  /** VXLAN network identifier, logical switches only. */
  vni?: number;
  subnet: string;
  /** The distributed router's interface address on this network. */
  gateway: string;
}

/** How NSX names the object type of a network (in Applied To, enforcement points, object pickers). */
export function networkObjectType(kind: Network['kind'] | undefined): 'VirtualWire' | 'DistributedVirtualPortgroup' {
  return kind === 'logicalswitch' ? 'VirtualWire' : 'DistributedVirtualPortgroup';
}

export interface Vnic {
  index: number;
  mac: string;
  network: string;
}

type VmRole = 'vcenter' | 'nsx-manager' | 'workload';

export interface Vm {
  moid: string;
  name: string;
  /** vSphere instance UUID; vNIC ids are `${uuid}.000`. */
  uuid: string;
  host: string;
  /** VMX world id while powered on; filter names derive from it. */
  worldId: number;
  powerState: PowerState;
  guestOs: string;
  computerName: string;
  role: VmRole;
  toolsRunning: boolean;
  /** Addresses VMware Tools reports, empty while Tools is stopped. */
  guestIps: string[];
  vnics: Vnic[];
  /** The VM's CPU limit in MHz (vSphere's resource allocation); absent = unlimited. */
  cpuLimitMhz?: number;
  /** CPU the host guarantees the VM, MHz; absent = none. */
  cpuReservationMhz?: number;
  /** A VM that is an appliance the lab models: a bridging firewall in front of a port group. */
  appliance?: 'bridge-firewall';
}

export interface Inventory {
  datacenter: Datacenter;
  vds: { moid: string; name: string };
  clusters: Cluster[];
  hosts: Host[];
  networks: Network[];
  vms: Vm[];
}

export function filterName(vm: Pick<Vm, 'worldId'>, vnicIndex: number, slot = 2): string {
  const agent = slot === 2 ? 'vmware-sfw' : slot === 1 ? 'dvfilter-generic-vmware-swsec' : 'dvfilter-generic-vmware';
  return `nic-${vm.worldId}-eth${vnicIndex}-${agent}.${slot}`;
}

/** The NSX API id of a vNIC: instance UUID and a three-digit index. */
export function vnicId(vm: Pick<Vm, 'uuid'>, vnicIndex: number): string {
  return `${vm.uuid}.${String(vnicIndex).padStart(3, '0')}`;
}
