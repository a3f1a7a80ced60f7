/**
 * What an ESXi host accepts: the lab's requests (probes, consoles, vsfwd control), its peers'
 * messages (vCenter's power and vMotion, the fabric's frames, another host's VM), bus
 * deliveries and vsfwd's own timers. Each request names its reply.
 */
import type { Address } from './envelope';
import type { BusClientMessages } from './bus';
import type { DialogRequest, FtpRequest, SessionRequest, TrafficRequest } from './guest';
import type { PartnerSvm } from '../partner';
import type { HostCpuLoad } from '../transfer';
import type { FilterRules } from '../ruleset';

export interface BurstRequest {
  vm: string;
  dir: 'in' | 'out';
  /** Int32 headers, BATCH_STRIDE fields per packet; named `frames` so the lab transfers it. */
  frames: ArrayBuffer;
  count: number;
  batch: number;
  /** Where the packets that pass go next (the receiving VM's host and name). */
  forward?: { host: string; vm: string };
}

/** A host's CPU and memory as its Summary shows them (the vSphere client's capacity and usage). */
export interface HostResources {
  cpuCores: number;
  cpuMhz: number;
  memoryGB: number;
  /** The DFW's CPU demand in MHz (not capped: a flood can ask for more than the host has). */
  cpuUsedMhz: number;
  cpuPercent: number;
  /** The DFW's kernel heaps, and their "total max size" for this host's RAM. */
  dfwMemoryUsedBytes: number;
  dfwMemoryMaxBytes: number;
  /** False until vsfwd's first sample: the CPU figure then counts no traffic. */
  sampled: boolean;
}

/** NSX Manager's deployment message: the partner SVM to run, or null to remove it. */
export interface SvmDeployRequest {
  svm: PartnerSvm | null;
}

export interface VibInstallRequest {
  /** EAM's agency, e.g. `_VCNS_153_Compute Cluster B_VMware Network Fabric`. */
  agency: string;
  /** vCenter's name and address: the host resolves the name through its DNS servers. */
  vcenterFqdn: string;
  vcenterIp: string;
  /** The bundle's id in EAM's cache. */
  bundleId: string;
}

/**
 * A vNIC's filter on its way by vMotion: the rules it ran (the receiving vsfwd drops those
 * scoped to the source cluster's objects) and the data path's own state, which only it reads.
 */
export interface VnicFilterTransfer {
  rules: FilterRules | null;
}

/** A VM moving in by vMotion: its state and each vNIC's filter (none where the source host had no filter on it). */
export interface VmTransferBody {
  vm: object;
  filters: (VnicFilterTransfer | null)[];
  /** The source host's cluster: arriving from another one, the VM's Applied To rules stay behind. */
  fromCluster?: string;
}

export interface VmInfo {
  name: string;
  moid: string;
  ip: string;
  mac: string;
  worldId: number;
  toolsRunning: boolean;
}

export type VsfwdTick = 'sample' | 'live' | 'aggregate' | 'reconnect' | 'watchdog';

type Started = { ok: true };
type Text = { text: string };

/** vsfwd's own messages: bus deliveries and its timers (boot, ticks of one incarnation). */
export type VsfwdMessages = BusClientMessages & {
  'vsfwd-boot': { body: object; reply: void };
  'vsfwd-tick': { body: { incarnation: number; what: VsfwdTick }; reply: void };
};

export type HostMessages = VsfwdMessages & {
  frames: { body: { frames: ArrayBuffer }; reply: void };
  traffic: { body: TrafficRequest & { vm: string }; reply: Started };
  session: { body: SessionRequest & { vm: string }; reply: Started };
  ftp: { body: FtpRequest & { vm: string }; reply: Started };
  'ftp-abort': { body: { vm: string }; reply: Text };
  dialog: { body: DialogRequest & { vm: string }; reply: Started };
  /** The dialog did not finish: what the client prints, for a connection refused or one that never answered. */
  'dialog-abort': { body: { vm: string; refused: boolean }; reply: Text };
  'guest-shell': { body: { vm: string; cmd: string }; reply: Text };
  /** `interactive`: a console line, which may start a command that keeps printing (`follow`). */
  'host-shell': { body: { cmd: string; interactive?: boolean }; reply: Text & { follow?: number } };
  'host-follow': { body: { follow: number; stop: boolean }; reply: Text & { done: boolean } };
  'host-file': { body: { path: string }; reply: { files: { path: string; size: number }[]; bytes: Uint8Array | null } };
  'vm-export': { body: { vm: string; to: string }; reply: void };
  'vm-import': { body: VmTransferBody; reply: void };
  'vm-info': { body: { vm: string }; reply: VmInfo };
  'vsfwd-control': { body: { action: 'start' | 'stop' | 'crash' }; reply: Text };
  burst: { body: BurstRequest; reply: void };
  'vib-install': { body: VibInstallRequest; reply: void };
  'svm-deploy': { body: SvmDeployRequest; reply: void };
  resources: { body: object; reply: HostResources };
  /** A transfer's CPU on this host while it runs (bulk transfers through a bridge VM or the DFW). */
  'cpu-load': { body: HostCpuLoad; reply: void };
  power: { body: { vm: string; on: boolean }; reply: void };
  describe: { body: object; reply: object };
};

/** A host's component id (its moid), typed with what it accepts. */
export const hostAddress = (moid: string): Address<HostMessages> => moid;
