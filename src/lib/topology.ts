/**
 * The topology drawing as plain data: clusters containing hosts containing VMs, the networks
 * below, the distributed router, the admin workstation; and a probe's path over those nodes.
 */
import type { ProbeResult } from '../../workers/lab/lab-api';
import type { TraceRecord } from '../../workers/protocol/trace';
import type { Inventory } from '../../workers/protocol/inventory';

export interface TopoNode {
  id: string;
  kind: 'cluster' | 'host' | 'vm' | 'network' | 'router' | 'workstation';
  label: string;
  sub?: string;
  parent?: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface TopoEdge {
  id: string;
  source: string;
  target: string;
}

const VM_W = 150;
const VM_H = 44;
const GAP = 14;
const HOST_W = VM_W + 2 * GAP;

export function layout(inv: Inventory): { nodes: TopoNode[]; edges: TopoEdge[] } {
  const nodes: TopoNode[] = [];
  const edges: TopoEdge[] = [];
  let cx = 0;
  let tallest = 0;
  for (const c of inv.clusters) {
    const hosts = inv.hosts.filter((h) => h.cluster === c.moid);
    const hostNodes: TopoNode[] = [];
    const vmNodes: TopoNode[] = [];
    let hx = GAP;
    let maxH = 0;
    for (const h of hosts) {
      const vms = inv.vms.filter((v) => v.host === h.moid);
      const hh = 30 + vms.length * (VM_H + GAP) + GAP;
      hostNodes.push({ id: `host:${h.moid}`, kind: 'host', label: h.name, sub: `VTEP ${h.vtepIp}`, parent: `cluster:${c.moid}`, x: hx, y: 34, w: HOST_W, h: hh });
      vms.forEach((v, i) =>
        vmNodes.push({ id: `vm:${v.name}`, kind: 'vm', label: v.name, sub: v.guestIps[0] ?? (v.powerState === 'poweredOn' ? 'no Tools IP' : 'powered off'), parent: `host:${h.moid}`, x: GAP, y: 30 + i * (VM_H + GAP), w: VM_W, h: VM_H }),
      );
      hx += HOST_W + GAP;
      maxH = Math.max(maxH, hh);
    }
    const cw = Math.max(hx, 200);
    const ch = 34 + maxH + GAP;
    nodes.push({ id: `cluster:${c.moid}`, kind: 'cluster', label: c.name, x: cx, y: 0, w: cw, h: ch }, ...hostNodes, ...vmNodes);
    cx += cw + 30;
    tallest = Math.max(tallest, ch);
  }
  const netY = tallest + 90;
  const nets = inv.networks;
  const step = Math.max(170, cx / Math.max(1, nets.length));
  nets.forEach((n, i) => {
    nodes.push({ id: `net:${n.name}`, kind: 'network', label: n.name, sub: n.vni ? `VNI ${n.vni} · ${n.subnet}` : `${n.subnet}`, x: i * step, y: netY, w: 150, h: 44 });
  });
  nodes.push({ id: 'router', kind: 'router', label: 'DLR', sub: 'distributed router', x: Math.max(0, cx / 2 - 75), y: netY + 110, w: 150, h: 44 });
  nodes.push({ id: 'vm:admin-ws', kind: 'workstation', label: 'admin-ws', sub: '192.168.110.10', x: 0, y: netY + 110, w: 150, h: 44 });
  for (const v of inv.vms) for (const nic of v.vnics) {
    const net = nets.find((n) => n.moid === nic.network);
    if (net) edges.push({ id: `e:${v.name}:${net.name}`, source: `vm:${v.name}`, target: `net:${net.name}` });
  }
  for (const n of nets) if (n.kind === 'logicalswitch') edges.push({ id: `e:${n.name}:dlr`, source: `net:${n.name}`, target: 'router' });
  const mgmt = nets.find((n) => n.kind === 'portgroup');
  if (mgmt) edges.push({ id: 'e:admin-ws:mgmt', source: 'vm:admin-ws', target: `net:${mgmt.name}` });
  return { nodes, edges };
}

/** The node a trace observation happened at, or undefined for VXLAN and places the drawing lacks. */
export function nodeOfRecord(r: TraceRecord, names: Set<string>): string | undefined {
  const id = r.place === 'router' ? 'router' : r.place === 'switch' ? `net:${r.network}` : r.place === 'vxlan' ? undefined : `vm:${r.vm}`;
  return id && names.has(id) ? id : undefined;
}

/** One observation of the first packet, with the drawing's node it happened at (none for VXLAN). */
interface ProbeHop {
  record: TraceRecord;
  node?: string;
}

interface ProbePath {
  steps: string[];
  /** Every observation in order (slot 0, 1, 2, VTEP, VXLAN, …): the animation walks these. */
  hops: ProbeHop[];
  /** The decisive drop, when the first packet was dropped. */
  drop?: TraceRecord;
}

/**
 * The first packet's way through the drawing, as Traceflow shows one packet: the records
 * carrying the first non-ARP packet the source injected, until it is delivered or dropped.
 */
export function probePath(result: ProbeResult, names: Set<string>): ProbePath {
  const first = result.trace.find((r) => r.action === 'INJECTED' && r.packetKind !== 'arp');
  if (!first) return { steps: [], hops: [] };
  const records = result.trace.filter((r) => r.packet === first.packet);
  const steps: string[] = [];
  const hops: ProbeHop[] = [];
  let drop: TraceRecord | undefined;
  for (const r of records) {
    const id = nodeOfRecord(r, names);
    hops.push({ record: r, node: id });
    if (id && steps.at(-1) !== id) steps.push(id);
    if (r.action === 'DROP' || r.action === 'REJECT') {
      drop = r;
      break;
    }
    if (r.action === 'DELIVERED') break;
  }
  return { steps, hops, drop };
}
