/**
 * One reading of the host's DFW resources: the kernel's tables, the packets and connections
 * counted since the last sample, and the modelled load of the VMs running here.
 */
import type { HostState } from '../host-state';
import type { KernelCounts } from '../kernel/host-kernel';
import { DEFAULT_HARDWARE, resourceUse, type ResourceUse } from './resource-model';

export interface ResourceReading {
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
  });
  return { use, connectionsPerSecond: cps };
}
