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

/** The event line vCenter logs for a measured transfer (lessons check it). */
export function describeTransfer(t: TransferRecord): string {
  const mb = (t.bytes / 1e6).toFixed(1);
  const rate = (t.bytesPerSecond / 1e6).toFixed(2);
  const path = t.bridge ? `through ${t.bridge.name} (CPU limit ${t.bridge.limitMhz} MHz, ${t.bridge.percent} %)` : 'kernel DFW only';
  const cpu = Object.entries(t.hostCpuMhz).map(([h, mhz]) => `${h} ${mhz.toFixed(1)} MHz`).join(', ');
  return `Performance: iperf ${t.from} → ${t.to}, ${path}: ${mb} MB in ${((t.end - t.start) / 1000).toFixed(1)} s, ${rate} MB/s; host CPU ${cpu}`;
}
