import type { HostHardware } from '../../host/vsfwd/resource-model';
/** The shape of a preset data file (e.g. classroom.json): the datacenter as a reader would describe it. */
export interface PresetVm {
  moid: string;
  name: string;
  host: string;
  role: 'vcenter' | 'nsx-manager' | 'workload';
  worldId: number;
  uuid: string;
  guestOs: string;
  computerName: string;
  nic: { mac: string; network: string; ip: string };
  listens: string[];
}

export interface Preset {
  name: string;
  title: string;
  datacenter: { moid: string; name: string };
  vds: { moid: string; name: string };
  underlay: string;
  networks: { moid: string; name: string; kind: 'portgroup' | 'logicalswitch'; vni?: number; subnet: string; gateway: string }[];
  clusters: { moid: string; name: string }[];
  hosts: { moid: string; name: string; cluster: string; vtepIp: string; mgmtIp: string; hardware?: HostHardware }[];
  vms: PresetVm[];
  adminWorkstation: { name: string; ip: string; mac: string; network: string };
  securityTags: { name: string; vms: string[] }[];
  securityGroups: { name: string; tag: string }[];
}
