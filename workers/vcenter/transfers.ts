/**
 * Bulk transfers measured in the lab (`iperf -c` in a guest console), kept by vCenter as its
 * performance history so the Charts screen can compare the bridging firewall VM with the
 * kernel DFW: throughput and the host CPU each one cost.
 */
import type { TransferRecord } from '../protocol/transfer';

export type { TransferRecord };

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
