/**
 * A lesson's lab with a bridging firewall VM (seed 004): `fw-bridge-01a`, an OpenWrt VM on
 * esxcomp-01b with a 500 MHz CPU limit, bridges the port group `Web-Protected-PG` onto
 * `Web-LS` (same subnet, same gateway). A VM whose adapter is moved onto that port group is
 * "behind" it: all its traffic hairpins through the bridge VM's host (seed 001's tromboning).
 */
import type { LabDocument } from '../lab-document';
import type { HostState } from '../../host/host-state';
import type { VCenterState } from '../../vcenter/vcenter';
import { portsOf } from '../../vcenter/vcenter';
import type { Network, Vm } from '../../protocol/inventory';
import type { FabricState } from '../../fabric/fabric-state';
import type { BridgeFirewall } from '../../fabric/bridge/bridge-firewall';
import type { ManagerComponentState } from '../../manager/manager-component';

const BRIDGE_VM = 'fw-bridge-01a';
const PROTECTED_PG = 'Web-Protected-PG';

const NETWORK: Network = { moid: 'dvportgroup-31', name: PROTECTED_PG, kind: 'portgroup', subnet: '172.16.10.0/24', gateway: '172.16.10.1' };
const MGMT_IP = '192.168.110.40';
const VM: Vm = {
  moid: 'vm-50', name: BRIDGE_VM, uuid: '5013bcd8-0050-4c6e-9a11-000000000050', host: 'host-21', worldId: 35750, powerState: 'poweredOn',
  guestOs: 'Other 2.6.x Linux (32-bit)', computerName: 'OpenWrt', role: 'workload', toolsRunning: true, guestIps: [MGMT_IP],
  vnics: [{ index: 0, mac: '00:50:56:a1:00:50', network: 'dvportgroup-20' }], cpuLimitMhz: 500, appliance: 'bridge-firewall',
};
const BRIDGE: BridgeFirewall = {
  vm: VM.moid, name: BRIDGE_VM, host: VM.host, inside: NETWORK.moid, outside: 'virtualwire-1', mac: '00:50:56:a1:01:50',
  // "many Layer 2, 3, 7 rules" in the seed: P2P and telnet dropped, the rest bridged.
  rules: [
    { target: 'DROP', proto: 'tcp', dport: 23 },
    { target: 'DROP', proto: 'tcp', dport: 6881 },
    { target: 'DROP', proto: 'udp', dport: 6881 },
  ],
};

/** Changes `doc` in place. */
export function withBridgeFirewall(doc: LabDocument): LabDocument {
  const vcenter = doc.components.vcenter!.state as VCenterState;
  const manager = doc.components.manager!.state as ManagerComponentState;
  const fabric = doc.components.fabric!.state as FabricState;
  for (const inv of new Set([vcenter.inventory, manager.manager.inventory])) {
    if (!inv.networks.some((n) => n.moid === NETWORK.moid)) inv.networks.push({ ...NETWORK });
    inv.vms.push(structuredClone(VM));
  }
  if (!fabric.networks.some((n) => n.moid === NETWORK.moid)) fabric.networks.push({ ...NETWORK });
  fabric.ports.push(...portsOf(VM));
  fabric.neighbours[MGMT_IP] = VM.vnics[0].mac;
  (fabric.bridges ??= []).push(structuredClone(BRIDGE));
  const host = doc.components[VM.host]!.state as HostState;
  host.vms.push({
    moid: VM.moid, name: VM.name, uuid: VM.uuid, worldId: VM.worldId, vnics: structuredClone(VM.vnics), excluded: false,
    guest: {
      vm: VM.moid, name: VM.name, mac: VM.vnics[0].mac, ip: MGMT_IP, prefix: 24, gateway: '192.168.110.1',
      listens: ['tcp/22'], toolsRunning: true, arp: {}, conns: [], exchanges: [], parked: [], sessions: {}, nextPort: 0,
    },
  });
  return doc;
}
