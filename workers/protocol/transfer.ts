/**
 * A bulk transfer (`iperf -c`) as the lab plans it for a guest and as vCenter records it for the
 * Charts screen: what the guest, vCenter and the screens share.
 */

/** 1 MB = 1,000,000 bytes, as the seed's MB/s. */
export const MB = 1_000_000;

export interface TransferPlan {
  bytes: number;
  seconds: number;
  bytesPerSecond: number;
  /** MHz used on each host while the transfer runs (DFW filters, and the bridge VM on its host). */
  hostCpuMhz: Record<string, number>;
  /** The bridge VM's CPU use, MHz and percent of its limit. */
  bridgeMhz?: number;
  bridgePercent?: number;
}

export interface TransferRecord {
  /** Lab time the transfer started and ended (ms). */
  start: number;
  end: number;
  from: string;
  to: string;
  bytes: number;
  bytesPerSecond: number;
  /** 'bridge': through a bridging firewall VM; 'dfw': the kernel DFW only. */
  path: 'bridge' | 'dfw';
  /** The bridge VM, its CPU limit and its use while the transfer ran. */
  bridge?: { name: string; limitMhz: number; usedMhz: number; percent: number };
  /** MHz each host spent while the transfer ran, by host name. */
  hostCpuMhz: Record<string, number>;
}


/**
 * CPU a transfer costs one host for its duration (the bridge VM's vCPU, the DFW's per-packet
 * work), told to the host so its vsfwd samples count it beside the DFW's own model.
 */
export interface HostCpuLoad {
  /** Lab time (ms) the load starts and ends. */
  from: number;
  until: number;
  mhz: number;
  /** What runs, for the host's record, e.g. `iperf app-sv-01a → web-sv-01a through fw-bridge-01a`. */
  what: string;
}
