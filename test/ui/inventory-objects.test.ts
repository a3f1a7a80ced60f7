import { beforeAll, describe, expect, it } from 'vitest';
import type { LabApi } from '../../workers/lab/lab-api';
import type { LabEvent } from '../../workers/protocol/events';
import { filterName, type Inventory } from '../../workers/protocol/inventory';
import { dfwMemory, eventsOf, heaps, keepTab, readRoute, routePath, rulesInFilter, tabsOf, vmFolders } from '../../src/views/inventory/inventory-objects';
import { bootClassroom } from '../lab/helpers';

let api: LabApi;
let inv: Inventory;
beforeAll(async () => {
  api = await bootClassroom();
  inv = await api.inventory();
});

const ev = (source: string, text: string): LabEvent => ({ t: 0, source, kind: 'system', severity: 'info', text });

describe('object routes', () => {
  it('reads the object and tab from the URL and writes them back', () => {
    const host = inv.hosts[0];
    expect(readRoute('/', inv)).toEqual({ view: 'hosts', moid: inv.datacenter.moid, kind: 'datacenter', tab: 'summary' });
    expect(readRoute(routePath('hosts', host.moid, 'monitor'), inv)).toEqual({ view: 'hosts', moid: host.moid, kind: 'host', tab: 'monitor' });
    const vm = inv.vms[0];
    expect(readRoute(routePath('vms', vm.moid, 'configure'), inv)).toEqual({ view: 'vms', moid: vm.moid, kind: 'vm', tab: 'configure' });
    expect(routePath('vms', vm.moid, 'configure')).toBe(`/vms/${vm.moid}/configure`);
  });

  it('falls back to Summary for a tab the object lacks, and to the datacenter for an unknown object', () => {
    expect(readRoute(`/inventory/${inv.vms[0].moid}/hosts`, inv).tab).toBe('summary');
    expect(readRoute('/inventory/vm-99999/monitor', inv)).toMatchObject({ moid: inv.datacenter.moid, tab: 'summary' });
    expect(keepTab(inv, inv.vms[0].moid, 'monitor')).toBe('monitor');
    expect(keepTab(inv, inv.vms[0].moid, 'vms')).toBe('summary');
    expect(tabsOf('host')).toContain('configure');
    expect(tabsOf('cluster')).not.toContain('configure');
  });
});

describe('object contents', () => {
  it('a VM sees its own events, not a neighbour whose name starts like its own', () => {
    const vm = inv.vms.find((v) => v.name === 'web-sv-01a')!;
    const events = [ev('vcenter', 'web-sv-01a powered off'), ev('vcenter', 'web-sv-01ab powered off'), ev(vm.host, 'Filter created'), ev(vm.moid, 'Tools started')];
    expect(eventsOf(inv, vm.moid, events).map((e) => e.text)).toEqual(['web-sv-01a powered off', 'Tools started']);
  });

  it('a host sees what it emitted and what names it; the datacenter sees everything', () => {
    const host = inv.hosts[0];
    const other = inv.hosts[1];
    const events = [ev(host.moid, 'a'), ev(other.moid, 'b'), ev('manager', `published to ${host.name}`)];
    expect(eventsOf(inv, host.moid, events).map((e) => e.text)).toEqual(['a', `published to ${host.name}`]);
    expect(eventsOf(inv, inv.datacenter.moid, events)).toHaveLength(3);
  });

  it('files every VM in exactly one VMs and Templates folder', () => {
    const filed = vmFolders(inv).flatMap((f) => f.vms.map((v) => v.moid));
    expect(filed.sort()).toEqual(inv.vms.map((v) => v.moid).sort());
    expect(vmFolders(inv).map((f) => f.name)).toEqual(['Management', 'Workloads']);
  });
});

describe('what the host shell says', () => {
  it('reads the rule ids of a VM’s slot-2 filter from real getrules output', async () => {
    const vm = inv.vms.find((v) => v.name === 'web-sv-01a')!;
    const text = await api.host(vm.host, `vsipioctl getrules -f ${filterName(vm, 0)}`);
    const rules = rulesInFilter(text);
    expect(rules).not.toBeNull();
    const inText = [...text.matchAll(/rule (\d+) at/g)].map((m) => Number(m[1]));
    expect([...rules!.l3, ...rules!.l2].sort()).toEqual(inText.sort());
    expect(rules!.l3.length).toBeGreaterThan(0);
    expect(rulesInFilter('vsipioctl: no filter nic-1-eth0-vmware-sfw.2')).toBeNull();
  });

  it('reads the DFW memory and heaps from real getmeminfo output once vsfwd has sampled', async () => {
    const host = inv.hosts[0];
    await api.wait(15);
    const text = await api.host(host.moid, 'vsipioctl getmeminfo');
    const mem = dfwMemory(text);
    expect(mem, text).not.toBeNull();
    expect(mem!.maxMB).toBeGreaterThan(mem!.usedMB);
    expect(heaps(text).map((h) => h.name)).toContain('vsip-rules');
  });
});
