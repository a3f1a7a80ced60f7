/**
 * A host's capacity and what the DFW uses of it, as the vSphere client's host Summary shows
 * CPU and memory: the hardware from the host's resource model, and the latest reading vsfwd
 * took (every 10 s of lab time), or one taken now without traffic rates before the first.
 */
import type { HostState } from '../host-state';
import type { KernelCounts } from '../kernel/host-kernel';
import { DEFAULT_HARDWARE, type ResourceUse } from './resource-model';
import { readResources } from './resource-sampler';
import type { HostResources } from '../../protocol/messages/host';

export type { HostResources };

/** What a kernel with the NSX data path offers here; an unprepared host has none of it. */
interface ResourceKernel {
  resourceCounts(): KernelCounts;
  lastResources(): ResourceUse | null;
}

export function hostResources(state: HostState, datapath: object, now: number): HostResources {
  const hw = state.hardware ?? DEFAULT_HARDWARE;
  const kernel = datapath as Partial<ResourceKernel>;
  const last = kernel.lastResources?.() ?? null;
  const use = last ?? (kernel.resourceCounts ? readResources(state, kernel.resourceCounts(), { packetsPerSecond: 0, connectionsPerSecond: 0 }, now).use : null);
  const capacityMhz = hw.cpuCores * hw.cpuMhz;
  return {
    cpuCores: hw.cpuCores,
    cpuMhz: hw.cpuMhz,
    memoryGB: hw.memoryGB,
    cpuUsedMhz: Math.round(((use?.cpuPercent ?? 0) / 100) * capacityMhz),
    cpuPercent: use?.cpuPercent ?? 0,
    dfwMemoryUsedBytes: use?.usedBytes ?? 0,
    dfwMemoryMaxBytes: use?.totalMaxBytes ?? 0,
    sampled: last !== null,
  };
}
