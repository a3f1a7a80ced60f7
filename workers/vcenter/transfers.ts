/**
 * Bulk transfers measured in the lab (`iperf -c` in a guest console), kept by vCenter as its
 * performance history so the Charts screen can compare the bridging firewall VM with the
 * kernel DFW: throughput and the host CPU each one cost.
 */
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

/** vCenter keeps this many, the oldest dropped first. */
export const MAX_TRANSFERS = 50;
