/**
 * What vCenter accepts: the lab's reads and operations (inventory, vMotion, power, Edit
 * Settings), its peers' reports (VMware Tools, vMotion done, bulk transfers) and the ESX Agent
 * Manager's messages (NSX Manager's install requests, each host's answer). Each request names
 * its reply.
 */
import type { Address } from './envelope';
import type { Inventory, PowerState } from '../inventory';
import type { TransferRecord } from '../transfer';

/** An ESX Agent Manager agent's state on one host (red: failed, yellow: waiting for a reboot). */
type AgentStatus = 'installing' | 'green' | 'red' | 'yellow';

export interface EamAgent {
  host: string;
  status: AgentStatus;
  /** The agent's issue, as EAM lists it. */
  issue?: string;
}

export interface EamAgency {
  id: string;
  name: string;
  cluster: string;
  agents: EamAgent[];
}

/** What EAM tells NSX Manager about one host. */
export interface HostPrepReport {
  host: string;
  cluster: string;
  status: AgentStatus;
  issue?: string;
}

/** A host's answer to EAM's install request. */
export interface AgentResult {
  host: string;
  agency: string;
  ok: boolean;
  reboot: boolean;
  issue?: string;
}

/** Edit Settings of a VM as vCenter's ReconfigVM_Task takes it. */
export interface VmReconfigure {
  vm: string;
  /** MHz; null removes the limit (unlimited). */
  cpuLimitMhz?: number | null;
  cpuReservationMhz?: number;
  /** Network adapter `index` (0 = "Network adapter 1") to the network named or with that moid. */
  adapter?: { index: number; network: string };
}

/** An operation's outcome: done, or refused with the reason. */
export type VCenterTask = { ok: true } | { ok: false; error: string };

interface VmLocation {
  vm: string;
  name: string;
  host: string;
  powerState: PowerState;
}

export type VCenterMessages = {
  /** NSX Manager prepares a cluster, or retries its failed hosts. */
  'eam-install': { body: { cluster: string }; reply: void };
  'eam-resolve': { body: { cluster: string }; reply: void };
  'eam-agent-result': { body: AgentResult; reply: void };
  'eam-host-rebooted': { body: { host: string }; reply: void };
  'eam-agencies': { body: object; reply: EamAgency[] };
  inventory: { body: object; reply: Inventory };
  locate: { body: { vm: string }; reply: VmLocation };
  'tools-report': { body: { vm: string; ips: string[]; running: boolean }; reply: void };
  vmotion: { body: { vm: string; to: string }; reply: VCenterTask };
  'vmotion-done': { body: { vm: string; host: string }; reply: void };
  power: { body: { vm: string; state: 'on' | 'off' }; reply: VCenterTask };
  'vm-reconfigure': { body: VmReconfigure; reply: { ok: true; text: string } | { ok: false; error: string } };
  'transfer-record': { body: TransferRecord; reply: { ok: true } };
  transfers: { body: object; reply: TransferRecord[] };
  /** A component asks to be told of every inventory change (`inventory-changed`). */
  subscribe: { body: object; reply: void };
};

export const VCENTER: Address<VCenterMessages> = 'vcenter';

/** What vCenter tells a component that subscribed (NSX Manager): the whole inventory after each change. */
type InventorySubscriberMessages = {
  'inventory-changed': { body: Inventory; reply: void };
};

/** A subscriber's component id, typed with what vCenter sends it. */
export const inventorySubscriber = (id: string): Address<InventorySubscriberMessages> => id;
