/**
 * Turns a preset data file into a lab document: the inventory for vCenter, the switch
 * ports for the fabric and the running guests for each host. Nothing here is random:
 * the same preset and seed give the same document.
 */
import type { ComponentDoc } from '../component';
import { type LabDocument, LAB_FORMAT } from '../lab-document';
import { Rng } from '../rng';
import type { Inventory, Vm } from '../../protocol/inventory';
import type { VCenterState } from '../../vcenter/vcenter';
import { portsOf } from '../../vcenter/vcenter';
import type { FabricState } from '../../fabric/fabric-state';
import type { GuestState } from '../../guest/guest-state';
import type { HostState } from '../../host/host-state';
import type { Preset, PresetVm } from './preset';
import { buildInitialState } from '../../manager/preset';
import type { ManagerComponentState } from '../../manager/manager-component';
import { initialBrokerState } from '../../bus/initial-state';
import { BUS_ID } from '../../protocol/amqp';
import classroom from './classroom.json';

export const CLASSROOM = classroom as Preset;

/** Monday 5 January 2026, 09:00 UTC: every lab's clock starts here. */
const LAB_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

/** NSX's distributed router virtual MAC, the same on every logical interface. */
const ROUTER_MAC = '02:50:56:56:44:52';

export function inventoryOf(preset: Preset): Inventory {
  return {
    datacenter: { ...preset.datacenter },
    vds: { ...preset.vds },
    clusters: preset.clusters.map((c) => ({ ...c })),
    // Hardware belongs to the host component (its resource model), not to vCenter's inventory.
    hosts: preset.hosts.map(({ hardware: _hardware, ...h }) => ({ ...h })),
    networks: preset.networks.map((n) => ({ ...n })),
    vms: preset.vms.map(
      (p): Vm => ({
        moid: p.moid, name: p.name, uuid: p.uuid, host: p.host, worldId: p.worldId, powerState: 'poweredOn', guestOs: p.guestOs,
        computerName: p.computerName, role: p.role, toolsRunning: true, guestIps: [p.nic.ip], vnics: [{ index: 0, mac: p.nic.mac, network: p.nic.network }],
      }),
    ),
  };
}

function guestOf(p: { moid?: string; name: string; nic?: PresetVm['nic']; listens?: string[] }, nic: PresetVm['nic'], preset: Preset): GuestState {
  const net = preset.networks.find((n) => n.moid === nic.network);
  if (!net) throw new Error(`${p.name}: unknown network ${nic.network}`);
  return {
    vm: p.moid ?? p.name, name: p.name, mac: nic.mac, ip: nic.ip, prefix: Number(net.subnet.split('/')[1]), gateway: net.gateway,
    listens: p.listens ?? [], toolsRunning: true, arp: {}, conns: [], exchanges: [], parked: [], sessions: {}, nextPort: 0,
  };
}

export function buildLab(preset: Preset = CLASSROOM, seed = 1, name = preset.title): LabDocument {
  const inventory = inventoryOf(preset);
  const rng = (id: string) => Rng.derive(seed, id).state();
  const components: Record<string, ComponentDoc> = {};

  const vcenter: VCenterState = { inventory, subscribers: ['manager'] };
  components.vcenter = { type: 'vcenter', state: vcenter, rng: rng('vcenter') };

  const admin = preset.adminWorkstation;
  const fabric: FabricState = {
    networks: inventory.networks,
    hosts: preset.hosts.map((h) => ({ moid: h.moid, name: h.name, vtepIp: h.vtepIp })),
    ports: inventory.vms.flatMap(portsOf),
    routerMac: ROUTER_MAC,
    neighbours: Object.fromEntries([...preset.vms.map((v) => [v.nic.ip, v.nic.mac]), [admin.ip, admin.mac]]),
    admin: { ...guestOf({ name: admin.name }, { mac: admin.mac, network: admin.network, ip: admin.ip }, preset), network: admin.network },
  };
  components.fabric = { type: 'fabric', state: fabric, rng: rng('fabric') };

  for (const h of preset.hosts) {
    const host: HostState = {
      ...h,
      vms: preset.vms
        .filter((p) => p.host === h.moid)
        .map((p) => ({
          moid: p.moid, name: p.name, uuid: p.uuid, worldId: p.worldId, vnics: [{ index: 0, mac: p.nic.mac, network: p.nic.network }],
          excluded: false, guest: guestOf(p, p.nic, preset),
        })),
    };
    components[h.moid] = { type: 'host', state: host, rng: rng(h.moid) };
  }
  const manager: ManagerComponentState = { manager: buildInitialState({ ...preset }, inventory), up: true, epoch: LAB_EPOCH };
  components.manager = { type: 'manager', state: manager, rng: rng('manager') };
  const managerIp = preset.vms.find((v) => v.role === 'nsx-manager')?.nic.ip ?? '0.0.0.0';
  components[BUS_ID] = { type: 'bus', state: initialBrokerState(managerIp, preset.hosts.map((h) => h.moid)), rng: rng(BUS_ID) };
  const started = {
    t: LAB_EPOCH, source: 'lab', kind: 'system' as const, severity: 'info' as const,
    text: `${preset.title} started: ${preset.hosts.length} ESXi hosts, ${preset.vms.length} VMs, ${preset.networks.length} networks`,
  };
  return {
    format: LAB_FORMAT, name, seed, clock: LAB_EPOCH, components, nextSeq: preset.hosts.length + 1, counters: { request: 1, probe: 1 }, events: [started],
    // The classroom lab's history starts here: a compact link rebuilds it from the preset, its seed and name.
    ...(preset === CLASSROOM ? { history: { preset: 'classroom' as const, seed, name, actions: [] } } : {}),
    // NSX Manager connects to its message bus and every host's vsfwd starts, connects and asks for its rules.
    pending: [
      { at: LAB_EPOCH, seq: 0, env: { to: 'manager', from: 'lab', kind: 'bus-start', body: {} } },
      ...preset.hosts.map((h, i) => ({ at: LAB_EPOCH, seq: i + 1, env: { to: h.moid, from: 'lab', kind: 'vsfwd-boot', body: {} } })),
    ],
  };
}
