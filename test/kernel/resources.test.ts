/**
 * The host resource model (seed 002, nsx-reference §1.10) and what the kernel does when the
 * DFW heap runs out: vmware-sfw is failClosed, so new connections drop with reason memory.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TCP_ACK } from '../../workers/protocol/frame';
import { dfwTotalMaxMB, resourceUse, type ResourceInput } from '../../workers/host/vsfwd/resource-model';
import { readResources } from '../../workers/host/vsfwd/resource-sampler';
import { HostKernel } from '../../workers/host/kernel/host-kernel';
import { TestClock, WEB, WEB_FILTER, defaultRule, handshake, labHost, slot2, tcp } from './helpers';

const idle: ResourceInput = {
  hardware: { memoryGB: 8, cpuCores: 2, cpuMhz: 2600 },
  filters: 2, ruleLines: 10, addressEntries: 0, connections: 0, discoveredIps: 2, packetsPerSecond: 0, newConnectionsPerSecond: 0, longestTable: 5,
};

describe('resource model', () => {
  it('DFW total max size follows the host RAM (NSX-V 6.3 table)', () => {
    expect([4, 8, 16, 32, 48, 64, 96, 128, 256].map(dfwTotalMaxMB)).toEqual([160, 160, 608, 608, 992, 992, 1920, 2944, 4222]);
    expect(resourceUse({ ...idle, hardware: { ...idle.hardware, memoryGB: 24 } }).totalMaxBytes).toBe(608 * 1024 * 1024);
  });

  it('CPU is demand over capacity and is not capped at 100 %: a flood of new connections can ask for more than the host has', () => {
    const flood = resourceUse({ ...idle, newConnectionsPerSecond: 150_000, packetsPerSecond: 2_000_000 });
    expect(flood.cpuPercent).toBeGreaterThan(100);
    const bigger = resourceUse({ ...idle, hardware: { memoryGB: 24, cpuCores: 8, cpuMhz: 2600 }, newConnectionsPerSecond: 150_000, packetsPerSecond: 2_000_000 });
    expect(bigger.cpuPercent).toBeCloseTo(flood.cpuPercent / 4, 0);
  });

  it('a huge rule set costs CPU per new connection and memory per filter', () => {
    const small = resourceUse({ ...idle, newConnectionsPerSecond: 1000 });
    const huge = resourceUse({ ...idle, newConnectionsPerSecond: 1000, ruleLines: 2 * 20_000, longestTable: 20_000 });
    expect(huge.cpuPercent).toBeGreaterThan(small.cpuPercent * 10);
    expect(huge.heaps.find((h) => h.name === 'vsip-rules')!.bytes).toBe(40_000 * 1024);
  });

  it('memory only grows with what the host holds, and the heap is exhausted exactly when it exceeds the total max size', () => {
    fc.assert(
      fc.property(fc.nat(400_000), fc.nat(50_000), fc.nat(20_000), (connections, ruleLines, entries) => {
        const use = resourceUse({ ...idle, connections, ruleLines, addressEntries: entries });
        const more = resourceUse({ ...idle, connections: connections + 1, ruleLines, addressEntries: entries });
        expect(more.usedBytes).toBeGreaterThan(use.usedBytes);
        expect(use.exhausted).toBe(use.usedBytes > use.totalMaxBytes);
        expect(use.memoryPercent).toBeCloseTo((use.usedBytes / use.totalMaxBytes) * 100, 1);
      }),
    );
  });

  it("a VM's modelled load counts only while it runs on the host and after it started", () => {
    const host = { moid: 'host-30', name: 'esxcomp-02a', cluster: 'domain-c26', vtepIp: '', mgmtIp: '', hardware: idle.hardware, vms: [{ worldId: 1, load: { from: 1000, newConnectionsPerSecond: 10, packetsPerSecond: 0, concurrentConnections: 160_000 } }] } as never;
    const counts = { filters: 1, ruleLines: 5, addressEntries: 0, connections: 0, discoveredIps: 0, longestTable: 5, worldsWithFilters: [1] };
    expect(readResources(host, counts, { packetsPerSecond: 0, connectionsPerSecond: 2 }, 999).connectionsPerSecond).toBe(2);
    const on = readResources(host, counts, { packetsPerSecond: 0, connectionsPerSecond: 2 }, 1000);
    expect(on.connectionsPerSecond).toBe(12);
    expect(on.use.exhausted).toBe(true);
    expect(readResources(host, { ...counts, worldsWithFilters: [] }, { packetsPerSecond: 0, connectionsPerSecond: 0 }, 1000).use.exhausted).toBe(false);
  });
});

describe('kernel with the DFW heap exhausted', () => {
  const full = { ...resourceUse({ ...idle, connections: 200_000 }) };

  it('drops a new connection with reason memory (slot 2 fails closed) while established state keeps passing', () => {
    const { k } = labHost([defaultRule('allow')]);
    handshake(k);
    expect(full.exhausted).toBe(true);
    k.setResources(full);
    const syn = k.process(WEB.worldId, 0, 'out', tcp({ seq: 9000, srcPort: 50001 }));
    expect(syn.pass).toBe(false);
    expect(slot2(syn)).toMatchObject({ action: 'DROP', reason: 'memory', detail: expect.stringContaining('fails closed') });
    const established = k.process(WEB.worldId, 0, 'out', tcp({ flags: TCP_ACK, seq: 1001, ack: 5001 }));
    expect(slot2(established)).toMatchObject({ table: 'state', action: 'PASS' });
    expect(k.getmeminfo()).toContain('HEAP EXHAUSTED');
    // room again: the next connection is accepted
    k.setResources(resourceUse(idle));
    expect(k.process(WEB.worldId, 0, 'out', tcp({ seq: 9000, srcPort: 50002 })).pass).toBe(true);
  });

  it('the exhausted heap survives a snapshot and applies to filters created later', () => {
    const { k } = labHost([defaultRule('allow')]);
    k.setResources(full);
    const copy = new HostKernel('host-20', new TestClock(), k.snapshot());
    expect(slot2(copy.process(WEB.worldId, 0, 'out', tcp({ seq: 1 })))).toMatchObject({ reason: 'memory' });
    expect(copy.filter(WEB_FILTER)).toBeDefined();
  });
});
