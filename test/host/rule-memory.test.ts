/** vsfwd's check that a rule set fits the host's DFW memory before it programs the filters (301032). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostState } from '../../workers/host/host-state';
import type { KernelCounts } from '../../workers/host/kernel/host-kernel';
import { checkRuleMemory } from '../../workers/host/vsfwd/rule-memory';
import { COSTS } from '../../workers/host/vsfwd/resource-model';
import type { HostRuleSet, L3RuleLine } from '../../workers/protocol/ruleset';

const MB = 1024 * 1024;
/** An 8 GB host: 160 MB of DFW memory. */
const host = { hardware: { memoryGB: 8, cpuCores: 2, cpuMhz: 2600 }, vms: [] } as unknown as HostState;
const counts = (ruleLines: number, connections: number): KernelCounts => ({ filters: 2, ruleLines, addressEntries: 0, connections, discoveredIps: 0, longestTable: ruleLines / 2, worldsWithFilters: [1, 2] });
const ruleSet = (linesPerFilter: number): HostRuleSet => ({
  hostId: 'host-30', generation: 2, addressSets: {}, excluded: [],
  filters: Object.fromEntries(['nic-1-eth0-vmware-sfw.2', 'nic-2-eth0-vmware-sfw.2'].map((n) => [n, { ruleset: 'domain-c26', generation: 2, l3: Array.from({ length: linesPerFilter }, () => ({}) as L3RuleLine), l2: [] }])),
});
/** Connections that leave `free` bytes of the 160 MB once `ruleLines` lines are held. */
const filling = (ruleLines: number, free: number) => Math.floor((160 * MB - free - COSTS.moduleBytes - 2 * COSTS.filterBytes - ruleLines * COSTS.ruleLineBytes) / COSTS.connectionBytes);

describe('rule memory at publish', () => {
  it('a set whose extra lines pass the total max size is refused, naming the largest filter and the sizes', () => {
    const now = counts(10, filling(10, 50 * 1024));
    expect(checkRuleMemory(host, now, ruleSet(5 + 20), 0)).toEqual({ fits: true }); // +40 lines = 40 KB
    const r = checkRuleMemory(host, now, ruleSet(5 + 30), 0); // +60 lines = 60 KB
    expect(r).toMatchObject({ fits: false, filter: 'nic-1-eth0-vmware-sfw.2', ruleLines: 70, totalMaxBytes: 160 * MB });
    expect(r.fits === false && r.neededBytes > 160 * MB).toBe(true);
  });

  it('never refuses a set no larger than the current one, even on a full heap (fail safe both ways)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 400_000 }), (current, next, connections) => {
        const r = checkRuleMemory(host, counts(current * 2, connections), ruleSet(next), 0);
        if (next * 2 <= current * 2) expect(r.fits).toBe(true);
      }),
    );
  });
});
