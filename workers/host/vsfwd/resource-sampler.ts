/**
 * One reading of the host's DFW resources: the kernel's tables, the packets and connections
 * counted since the last sample, and the modelled load of the VMs running here.
 */
import type { HostState } from '../host-state';
import type { KernelCounts } from '../kernel/host-kernel';
import { DEFAULT_HARDWARE, resourceUse, type ResourceUse } from './resource-model';
import { SAMPLE_INTERVAL_MS } from './threshold-monitor';
import type { HostCpuLoad } from '../../protocol/transfer';

/** Loads kept after they end: long enough for the samples that cover them. */
const KEEP_MS = 10 * 60_000;

/** The MHz a host's transfers used on average over the sample window that ends at `now`. */
export function loadMhz(loads: readonly HostCpuLoad[] | undefined, now: number, window = SAMPLE_INTERVAL_MS): number {
  let mhzMs = 0;
  for (const l of loads ?? []) mhzMs += l.mhz * Math.max(0, Math.min(l.until, now) - Math.max(l.from, now - window));
  return mhzMs / window;
}

/** Records a load on the host, dropping those long over. */
export function addCpuLoad(host: HostState, load: HostCpuLoad, now: number): void {
  host.cpuLoads = [...(host.cpuLoads ?? []).filter((l) => l.until > now - KEEP_MS), load].slice(-50);
}

interface ResourceReading {
  use: ResourceUse;
  connectionsPerSecond: number;
}

export function readResources(host: HostState, counts: KernelCounts, rates: { packetsPerSecond: number; connectionsPerSecond: number }, now: number): ResourceReading {
  const running = new Set(counts.worldsWithFilters);
  let cps = rates.connectionsPerSecond;
  let pps = rates.packetsPerSecond;
  let concurrent = 0;
  for (const vm of host.vms) {
    if (!vm.load || vm.load.from > now || !running.has(vm.worldId)) continue;
    cps += vm.load.newConnectionsPerSecond;
    pps += vm.load.packetsPerSecond;
    concurrent += vm.load.concurrentConnections;
  }
  const use = resourceUse({
    hardware: host.hardware ?? DEFAULT_HARDWARE,
    filters: counts.filters,
    ruleLines: counts.ruleLines,
    addressEntries: counts.addressEntries,
    connections: counts.connections + concurrent,
    discoveredIps: counts.discoveredIps,
    packetsPerSecond: pps,
    newConnectionsPerSecond: cps,
    longestTable: counts.longestTable,
    extraMhz: loadMhz(host.cpuLoads, now),
  });
  return { use, connectionsPerSecond: cps };
}
