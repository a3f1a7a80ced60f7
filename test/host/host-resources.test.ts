/** Issue 13 item 4: the host Summary's CPU and memory, from the host's resource model through the lab API. */
import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { hostResources } from '../../workers/host/vsfwd/host-resources';
import type { HostState } from '../../workers/host/host-state';
import type { ResourceUse } from '../../workers/host/vsfwd/resource-model';

const MB = 1024 * 1024;

describe('host resources', () => {
  it('each host answers with its own hardware and the DFW memory it holds; the CPU counts after vsfwd samples', async () => {
    const api = new LabApi(await Lab.boot(buildLab(), inProcessTransport));
    const before = await api.hostResources('esxcomp-02a');
    expect(before).toMatchObject({ cpuCores: 2, cpuMhz: 2600, memoryGB: 8, dfwMemoryMaxBytes: 160 * MB, sampled: false });
    expect(before.dfwMemoryUsedBytes).toBeGreaterThan(8 * MB); // the vsip module and a filter per vNIC
    expect(await api.hostResources('host-20')).toMatchObject({ cpuCores: 8, memoryGB: 24, dfwMemoryMaxBytes: 608 * MB });
    await api.wait(30);
    const after = await api.hostResources('esxcomp-02a');
    expect(after.sampled).toBe(true);
    expect(after.cpuUsedMhz).toBe(Math.round((after.cpuPercent / 100) * 2 * 2600));
  });

  it('CPU in MHz is the latest reading of the demand over the host’s capacity, not capped', () => {
    const state = { hardware: { memoryGB: 8, cpuCores: 2, cpuMhz: 2600 }, vms: [] } as unknown as HostState;
    const use: ResourceUse = { cpuPercent: 250, memoryPercent: 50, usedBytes: 80 * MB, totalMaxBytes: 160 * MB, heaps: [], exhausted: false };
    const r = hostResources(state, { lastResources: () => use, resourceCounts: () => { throw new Error('the latest reading is used'); } }, 0);
    expect(r).toMatchObject({ cpuUsedMhz: 13_000, cpuPercent: 250, dfwMemoryUsedBytes: 80 * MB, sampled: true });
    // An unprepared host (no NSX data path): capacity only.
    expect(hostResources(state, {}, 0)).toMatchObject({ cpuCores: 2, cpuUsedMhz: 0, dfwMemoryUsedBytes: 0, sampled: false });
  });
});
