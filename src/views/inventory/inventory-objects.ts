/**
 * The vSphere client's object views, without the screen: which object the URL names, which
 * tabs that kind of object has, its events, the VMs and Templates folders, and what the host's
 * shell says about a filter's rules and the DFW's memory. Pure, so the rules are unit-tested.
 */
import type { Inventory, Vm } from '../../../workers/protocol/inventory';
import type { LabEvent } from '../../../workers/protocol/events';

export type ObjectKind = 'datacenter' | 'cluster' | 'host' | 'vm';
type TabId = 'summary' | 'monitor' | 'configure' | 'hosts' | 'vms';
/** Hosts and Clusters (`#/`, `#/inventory/…`) or VMs and Templates (`#/vms/…`). */
export type InventoryView = 'hosts' | 'vms';

export const TAB_TITLES: Record<TabId, string> = { summary: 'Summary', monitor: 'Monitor', configure: 'Configure', hosts: 'Hosts', vms: 'VMs' };

/** The tabs the vSphere client shows for each kind of object (those the lab has something for). */
export function tabsOf(kind: ObjectKind): TabId[] {
  if (kind === 'vm') return ['summary', 'monitor', 'configure'];
  if (kind === 'host') return ['summary', 'monitor', 'configure', 'vms'];
  return ['summary', 'monitor', 'hosts', 'vms'];
}

function kindOf(inv: Inventory, moid: string): ObjectKind | null {
  if (inv.datacenter.moid === moid) return 'datacenter';
  if (inv.clusters.some((c) => c.moid === moid)) return 'cluster';
  if (inv.hosts.some((h) => h.moid === moid)) return 'host';
  if (inv.vms.some((v) => v.moid === moid)) return 'vm';
  return null;
}

export interface InventoryRoute {
  view: InventoryView;
  moid: string;
  kind: ObjectKind;
  tab: TabId;
}

/** Reads `/`, `/inventory/<moid>/<tab>` or `/vms/<moid>/<tab>`; an unknown object or tab falls back to the datacenter's Summary. */
export function readRoute(path: string, inv: Inventory): InventoryRoute {
  const [, first = '', moid = '', tab = ''] = path.split('/');
  const view: InventoryView = first === 'vms' ? 'vms' : 'hosts';
  const kind = kindOf(inv, moid);
  if (!kind) return { view, moid: inv.datacenter.moid, kind: 'datacenter', tab: 'summary' };
  const tabs = tabsOf(kind);
  return { view, moid, kind, tab: tabs.includes(tab as TabId) ? (tab as TabId) : 'summary' };
}

export function routePath(view: InventoryView, moid: string, tab: TabId): string {
  return `/${view === 'vms' ? 'vms' : 'inventory'}/${moid}/${tab}`;
}

/** The tab to open on another object: the same one when that object has it, as the client does. */
export function keepTab(inv: Inventory, moid: string, tab: TabId): TabId {
  const kind = kindOf(inv, moid);
  return kind && tabsOf(kind).includes(tab) ? tab : 'summary';
}

/** The hosts and VMs an object holds: a datacenter all, a cluster its hosts', a host its own. */
export function contents(inv: Inventory, moid: string): { hosts: Inventory['hosts']; vms: Vm[] } {
  const kind = kindOf(inv, moid);
  const hosts = kind === 'host' ? inv.hosts.filter((h) => h.moid === moid) : kind === 'cluster' ? inv.hosts.filter((h) => h.cluster === moid) : kind === 'datacenter' ? inv.hosts : [];
  const vms = kind === 'vm' ? inv.vms.filter((v) => v.moid === moid) : inv.vms.filter((v) => hosts.some((h) => h.moid === v.host));
  return { hosts, vms };
}

/** An object's events (Monitor → Events): those its hosts emitted, and those naming it or its VMs. */
export function eventsOf(inv: Inventory, moid: string, events: readonly LabEvent[]): LabEvent[] {
  const kind = kindOf(inv, moid);
  if (kind === 'datacenter') return [...events];
  const { hosts, vms } = contents(inv, moid);
  const sources = new Set(hosts.map((h) => h.moid));
  if (kind === 'vm') sources.add(moid);
  const names = kind === 'vm' ? vms.map((v) => v.name) : [...hosts.map((h) => h.name), ...(kind === 'cluster' ? [inv.clusters.find((c) => c.moid === moid)!.name] : [])];
  const mentions = (text: string) => names.some((n) => new RegExp(`(^|[^\\w-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(text));
  return events.filter((e) => (kind !== 'vm' && sources.has(e.source)) || e.source === moid || mentions(e.text));
}

/** VMs and Templates: the datacenter's folders, as a fresh vCenter with NSX would file them. */
export function vmFolders(inv: Inventory): { id: string; name: string; vms: Vm[] }[] {
  const folders = [
    { id: 'group-management', name: 'Management', vms: inv.vms.filter((v) => v.role !== 'workload') },
    { id: 'group-workloads', name: 'Workloads', vms: inv.vms.filter((v) => v.role === 'workload') },
  ];
  return folders.filter((f) => f.vms.length > 0);
}

/** The rule ids in a filter's table, from `vsipioctl getrules -f FILTER` (L3 and L2 apart). */
export function rulesInFilter(getrules: string): { l3: number[]; l2: number[] } | null {
  if (!/^ruleset /m.test(getrules)) return null;
  const [l3 = '', l2 = ''] = getrules.split(/^ruleset \S+_L2 \{/m);
  const ids = (text: string) => [...text.matchAll(/^\s+rule (\d+) at /gm)].map((m) => Number(m[1]));
  return { l3: ids(l3), l2: ids(l2) };
}

/** The DFW memory line of `vsipioctl getmeminfo`: used and total max size in MB, percent; null before vsfwd's first sample. */
export function dfwMemory(getmeminfo: string): { usedMB: number; maxMB: number; percent: number; exhausted: boolean } | null {
  const m = /^total used\s+([\d.]+) of ([\d.]+) total max size \((\d+(?:\.\d+)?)%[;)]/m.exec(getmeminfo);
  if (!m) return null;
  return { usedMB: Number(m[1]), maxMB: Number(m[2]), percent: Number(m[3]), exhausted: /HEAP EXHAUSTED/.test(getmeminfo) };
}

/** The heaps `vsipioctl getmeminfo` lists, name and MB used. */
export function heaps(getmeminfo: string): { name: string; usedMB: number }[] {
  return [...getmeminfo.matchAll(/^(?!total used)(\S[^\n]*?)\s+([\d.]+)$/gm)].map((m) => ({ name: m[1].trim(), usedMB: Number(m[2]) }));
}
