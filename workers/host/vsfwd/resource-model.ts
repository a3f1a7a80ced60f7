/**
 * A host's DFW resources: CPU demand and kernel memory, from what the host carries and does.
 *
 * Seed 002 / nsx-reference §1.10: 100 % CPU is the whole host; 100 % memory is the DFW's
 * "total max size", which follows the host's RAM (160 MB up to 8 GB … 4222 MB above 128 GB).
 * The per-item costs below are the lab's estimates (no public figures exist): memory for each
 * filter, rule line per filter, address entry per filter, connection state and discovered
 * address; CPU cycles per packet and per new connection, plus a rule walk per new connection.
 * CPU is demand over capacity and is not capped: a flood can ask for more than the host has.
 * When the memory needed exceeds the total max size, the state heap is exhausted.
 */
export interface HostHardware {
  memoryGB: number;
  cpuCores: number;
  cpuMhz: number;
}

/** A host without hardware in its lab document: a mid-size host of the NSX-V 6.x era. */
export const DEFAULT_HARDWARE: HostHardware = { memoryGB: 24, cpuCores: 8, cpuMhz: 2600 };

/** Aggregate traffic a VM's application carries (a flood, a busy service), beyond the lab's own packets. */
export interface VmLoad {
  /** Lab time (epoch ms) from which the load runs. */
  from: number;
  newConnectionsPerSecond: number;
  packetsPerSecond: number;
  /** Connections it keeps open at once (each holds DFW state). */
  concurrentConnections: number;
}

/** "Total max size" of DFW memory by physical RAM (NSX-V 6.3 admin guide, nsx-reference §1.10). */
export function dfwTotalMaxMB(memoryGB: number): number {
  if (memoryGB <= 8) return 160;
  if (memoryGB <= 32) return 608;
  if (memoryGB <= 64) return 992;
  if (memoryGB <= 96) return 1920;
  if (memoryGB <= 128) return 2944;
  return 4222;
}

const MB = 1024 * 1024;
export const COSTS = {
  moduleBytes: 8 * MB,
  filterBytes: 64 * 1024,
  ruleLineBytes: 1024,
  addressEntryBytes: 64,
  connectionBytes: 1024,
  discoveredIpBytes: 128,
  cyclesPerPacket: 1500,
  cyclesPerNewConnection: 20_000,
  cyclesPerRuleLineWalked: 100,
};

export interface ResourceInput {
  hardware: HostHardware;
  filters: number;
  /** Rule lines summed over the filters (each filter holds its own table). */
  ruleLines: number;
  addressEntries: number;
  connections: number;
  discoveredIps: number;
  packetsPerSecond: number;
  newConnectionsPerSecond: number;
  /** Longest rule table a new connection walks (half of it on average). */
  longestTable: number;
  /** MHz other work on the host used over the sample (a bridge VM's vCPU, a transfer's filtering). */
  extraMhz?: number;
}

export interface HeapUse {
  name: string;
  bytes: number;
}

export interface ResourceUse {
  cpuPercent: number;
  memoryPercent: number;
  usedBytes: number;
  totalMaxBytes: number;
  heaps: HeapUse[];
  exhausted: boolean;
}

export function resourceUse(i: ResourceInput): ResourceUse {
  const heaps: HeapUse[] = [
    { name: 'vsip-module', bytes: COSTS.moduleBytes + i.filters * COSTS.filterBytes },
    { name: 'vsip-rules', bytes: i.ruleLines * COSTS.ruleLineBytes },
    { name: 'vsip-attr', bytes: i.addressEntries * COSTS.addressEntryBytes },
    { name: 'vsip-state', bytes: i.connections * COSTS.connectionBytes },
    { name: 'vsip-ipdiscovery', bytes: i.discoveredIps * COSTS.discoveredIpBytes },
  ];
  const usedBytes = heaps.reduce((n, h) => n + h.bytes, 0);
  const totalMaxBytes = dfwTotalMaxMB(i.hardware.memoryGB) * MB;
  const cycles = i.packetsPerSecond * COSTS.cyclesPerPacket + i.newConnectionsPerSecond * (COSTS.cyclesPerNewConnection + (i.longestTable / 2) * COSTS.cyclesPerRuleLineWalked) + (i.extraMhz ?? 0) * 1e6;
  const capacity = i.hardware.cpuCores * i.hardware.cpuMhz * 1e6;
  return {
    cpuPercent: round((cycles / capacity) * 100),
    memoryPercent: round((usedBytes / totalMaxBytes) * 100),
    usedBytes,
    totalMaxBytes,
    heaps,
    exhausted: usedBytes > totalMaxBytes,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
