/**
 * How fast a bulk transfer goes, in lab time, through a bridging firewall VM and through the
 * kernel DFW (seeds 001 and 004). Pure arithmetic on the path, so it is deterministic and tested
 * on its own.
 *
 * The bridge (seed 004's OpenWrt VM): its throughput grows linearly with the CPU it may use,
 * 7 MB/s per GHz (3.5 MB/s at 500 MHz, 7 MB/s at 1 GHz), it runs at 100 % of its limit while it
 * does, and its rules barely matter. It bridges the protected port group onto the 100 Mbit/s
 * uplink, so it never goes faster than that link carries.
 * The kernel DFW filters each packet in the sending and receiving vNIC's slot 2: a small
 * per-packet CPU cost on each host, and the transfer runs at the line rate of its path (the
 * uplink across hosts, the virtual switch within one host).
 */

import { MB, type TransferPlan } from '../../protocol/transfer';

export { MB, type TransferPlan };
/** TCP payload per 1500-byte frame (1448 after IP/TCP headers and timestamps). */
const MSS = 1448;
/** A full frame on the wire: 1500 + Ethernet header, FCS, preamble and inter-frame gap. */
const WIRE_FRAME = 1538;
/** The lab's uplinks are 100 Mbit/s, as the seed's. */
const UPLINK_BITS = 100e6;
/** A vmxnet3 vNIC to the virtual switch of its own host. */
const VSWITCH_BITS = 10e9;
/** Bridge VM throughput per MHz of CPU it may use: 7 MB/s per GHz. */
const BRIDGE_BYTES_PER_MHZ = 7_000;
/** CPU cycles the DFW spends per packet in one vNIC's filter (lookup in the state table, counters). */
const DFW_CYCLES_PER_PACKET = 400;
/** Each rule adds this fraction to the bridge's per-packet work: 1,000 rules cost 2 %. */
const BRIDGE_RULE_COST = 0.00002;

function goodput(bits: number): number {
  return ((bits / 8) * MSS) / WIRE_FRAME;
}

export const UPLINK_GOODPUT = goodput(UPLINK_BITS);

/** Bytes per second a bridge VM forwards with `cpuMhz` of CPU and `rules` rules, capped by the uplink. */
export function bridgeThroughput(cpuMhz: number, rules = 0): number {
  const cpuBound = (Math.max(0, cpuMhz) * BRIDGE_BYTES_PER_MHZ) / (1 + BRIDGE_RULE_COST * Math.max(0, rules));
  return Math.min(cpuBound, UPLINK_GOODPUT);
}

/** The CPU the bridge VM uses to forward `bytesPerSecond` with `rules` rules (its whole limit when CPU-bound). */
function bridgeCpuMhz(bytesPerSecond: number, rules = 0): number {
  return (bytesPerSecond * (1 + BRIDGE_RULE_COST * Math.max(0, rules))) / BRIDGE_BYTES_PER_MHZ;
}

/** Packets one filter sees for `bytes` of payload: the data segments and an ACK for every second one. */
function packetsFor(bytes: number): number {
  const segments = Math.ceil(bytes / MSS);
  return segments + Math.ceil(segments / 2);
}

/** MHz the DFW costs one host whose vNIC filter sees a transfer at `bytesPerSecond`. */
export function dfwCpuMhz(bytesPerSecond: number): number {
  return (packetsFor(bytesPerSecond) * DFW_CYCLES_PER_PACKET) / 1e6;
}

export interface PathFacts {
  /** The transfer passes a bridge VM, with that CPU limit (undefined: unlimited, the host's core) and rule count. */
  bridge?: { name: string; host: string; cpuMhz: number; rules: number };
  /** The path crosses an uplink between hosts (a VXLAN hop). */
  crossesHosts: boolean;
  /** Hosts whose vNIC filters (slot 2) see the transfer: one entry per filter. */
  filterHosts: string[];
}

export function planTransfer(bytes: number, path: PathFacts): TransferPlan {
  const line = path.crossesHosts || path.bridge ? UPLINK_GOODPUT : goodput(VSWITCH_BITS);
  const rate = path.bridge ? Math.min(line, bridgeThroughput(path.bridge.cpuMhz, path.bridge.rules)) : line;
  const seconds = bytes / rate;
  const hostCpuMhz: Record<string, number> = {};
  for (const h of path.filterHosts) hostCpuMhz[h] = (hostCpuMhz[h] ?? 0) + dfwCpuMhz(rate);
  const plan: TransferPlan = { bytes, seconds, bytesPerSecond: rate, hostCpuMhz };
  if (path.bridge) {
    const used = bridgeCpuMhz(rate, path.bridge.rules);
    hostCpuMhz[path.bridge.host] = (hostCpuMhz[path.bridge.host] ?? 0) + used;
    plan.bridgeMhz = used;
    plan.bridgePercent = Math.min(100, (used / path.bridge.cpuMhz) * 100);
  }
  for (const h of Object.keys(hostCpuMhz)) hostCpuMhz[h] = Math.round(hostCpuMhz[h] * 10) / 10;
  return plan;
}
