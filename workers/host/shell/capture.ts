/**
 * pktcap-uw capture sessions on one host. The host taps every frame at the points the real
 * tool names (nsx-reference §2.4; vSphere Networking, "Capture Points of the pktcap-uw
 * Utility"): a vNIC's PortInput/VnicTx (from the VM, before its IOChain), PortOutput/VnicRx
 * (to the VM, after it), Pre/PostDVFilter around one dvfilter slot, UplinkRcv/UplinkSnd at
 * vmnic0 and Drop. A packet vmware-sfw drops is seen PreDVFilter and not PostDVFilter.
 * Console lines follow the ESXi 6.x output layout; with -o the frames go to a libpcap file.
 */
import { parseFrame } from '../../protocol/frame';
import type { DatapathVerdict } from '../datapath';
import { appendFile, MAX_FILE_BYTES, resolveWritable, writeFile, type HostFiles } from './host-files';
import { pcapHeader, pcapRecord } from './pcap';
import type { CapturePoint, CaptureSpec } from './pktcap-options';

export const UPLINKS = ['vmnic0'];
export const VMKNICS = ['vmk0'];
/** Console lines a foreground session buffers between two polls; older packets count as dropped. */
const MAX_PENDING_LINES = 4000;

export interface CaptureSession {
  id: number;
  spec: CaptureSpec;
  /** The file's absolute path, with -o. */
  file?: string;
  captured: number;
  dropped: number;
  pending: string[];
  done: boolean;
}

export interface HostShellState {
  files: HostFiles;
  captures: CaptureSession[];
  nextSession: number;
}

export const initialShellState = (): HostShellState => ({ files: {}, captures: [], nextSession: 30 });

/** One vNIC as the capture sees it: its switch port and its dvfilter names per slot (those that exist). */
export interface CapturePort {
  port: number;
  worldId: number;
  vnicIndex: number;
  vmName: string;
  mac: string;
  /** slot → filter name, for the slots this vNIC has. */
  filters: Partial<Record<0 | 1 | 2, string>>;
}

type StartResult = { error: string } | { session: CaptureSession; header: string };

export function startCapture(shell: HostShellState, spec: CaptureSpec, ports: CapturePort[]): StartResult {
  const t = spec.target;
  if (t.kind === 'switchport' && !ports.some((p) => p.port === t.port)) return { error: `pktcap-uw: the switch port ${t.port} (0x${hex8(t.port)}) is not on this host: 'net-stats -l' lists the ports` };
  if (t.kind === 'uplink' && !UPLINKS.includes(t.name)) return { error: `pktcap-uw: the uplink ${t.name} is not on this host (it has ${UPLINKS.join(', ')})` };
  if (t.kind === 'vmk' && !VMKNICS.includes(t.name)) return { error: `pktcap-uw: the vmknic ${t.name} is not on this host (it has ${VMKNICS.join(', ')})` };
  if (t.kind === 'dvfilter' && !ports.some((p) => Object.values(p.filters).includes(t.name))) return { error: `pktcap-uw: the dvfilter ${t.name} is not on this host: 'summarize-dvfilter' lists the filter names` };
  let file: string | undefined;
  if (spec.outfile) {
    const w = resolveWritable(spec.outfile, shell.files, 'pktcap-uw');
    if ('error' in w) return { error: w.error };
    file = w.path;
  }
  const session: CaptureSession = { id: shell.nextSession++, spec, file, captured: 0, dropped: 0, pending: [], done: false };
  if (file) writeFile(shell.files, file, pcapHeader(spec.snaplen));
  shell.captures.push(session);
  return { session, header: headerLines(session).join('\n') };
}

function headerLines(s: CaptureSession): string[] {
  const { spec } = s;
  const t = spec.target;
  const out: string[] = [];
  if (t.kind === 'switchport') out.push(`The switch port id is 0x${hex8(t.port)}`);
  if (t.kind === 'uplink') out.push(`The name of the uplink is ${t.name}`);
  if (t.kind === 'vmk') out.push(`The name of the vmk is ${t.name}`);
  if (t.kind === 'dvfilter') out.push(`The name of the dvfilter is ${t.name}`);
  out.push(`The dir is ${spec.dir === 0 ? 'Input' : spec.dir === 1 ? 'Output' : 'Input and Output'}`);
  if (spec.count) out.push(`To capture ${spec.count} packets`);
  const f = spec.filters;
  if (f.srcIp) out.push(`The session filter source IP address is ${f.srcIp}`);
  if (f.dstIp) out.push(`The session filter destination IP address is ${f.dstIp}`);
  if (f.ip) out.push(`The session filter IP address is ${f.ip}`);
  if (f.proto !== undefined) out.push(`The session filter IP protocol is 0x${f.proto.toString(16).padStart(2, '0')}`);
  if (f.srcPort !== undefined) out.push(`The session filter source port is ${f.srcPort}`);
  if (f.dstPort !== undefined) out.push(`The session filter destination port is ${f.dstPort}`);
  if (f.tcpPort !== undefined) out.push(`The session filter TCP port is ${f.tcpPort}`);
  if (f.mac) out.push(`The session filter MAC address is ${f.mac}`);
  if (f.srcMac) out.push(`The session filter source MAC address is ${f.srcMac}`);
  if (f.dstMac) out.push(`The session filter destination MAC address is ${f.dstMac}`);
  if (f.ethtype !== undefined) out.push(`The session filter ether type is 0x${f.ethtype.toString(16).padStart(4, '0')}`);
  const points = pointsFor(spec);
  out.push(`The session capture point is ${points.join(',')}`);
  const port = 65400 + (s.id % 100);
  out.push(`No server port specifed, select ${port} as the port`);
  out.push(s.file ? `The output file is ${spec.outfile}` : 'Output the packet info to console.');
  out.push('Local CID 2', `Listen on port ${port}`, `Accept...Vsock connection from port ${1024 + s.id} cid 2`);
  return out;
}

/** The points a session records, per direction: the adapter's defaults unless --capture names one. */
function pointsFor(spec: CaptureSpec): CapturePoint[] {
  if (spec.capture) return [spec.capture];
  const t = spec.target.kind;
  const inPoint: CapturePoint = t === 'uplink' ? 'UplinkRcv' : 'PortInput';
  const outPoint: CapturePoint = t === 'uplink' ? 'UplinkSnd' : 'PortOutput';
  return spec.dir === 0 ? [inPoint] : spec.dir === 1 ? [outPoint] : [inPoint, outPoint];
}

/** The last lines of a session: after -c packets or on Ctrl-C. */
export function endLines(s: CaptureSession): string {
  const where = s.file ? `to file ${s.spec.outfile}` : 'to console';
  return ['Dump thread exiting...', `Destroying session ${s.id}`, '', `Dumped ${s.captured} packet ${where}, dropped ${s.dropped} packets.`, 'Done.'].join('\n');
}

// ---- taps --------------------------------------------------------------------------------

const OUT_ORDER = [0, 1, 2, 4] as const;
const IN_ORDER = [4, 2, 1, 0] as const;

/** A frame passing a vNIC: `out` = from the VM (pktcap dir 0), `in` = to the VM (dir 1). */
export function tapVnic(shell: HostShellState, port: CapturePort, dir: 'in' | 'out', frame: Uint8Array, verdict: DatapathVerdict, now: number): void {
  const pdir = dir === 'out' ? 0 : 1;
  const order = dir === 'out' ? OUT_ORDER : IN_ORDER;
  const dropAt = verdict.pass ? undefined : verdict.observations.find((o) => o.action !== 'PASS')?.slot;
  const at = (slot: 0 | 1 | 2 | 4) => (order as readonly number[]).indexOf(slot);
  const reached = (slot: 0 | 1 | 2) => dropAt === undefined || at(dropAt) >= at(slot);
  const passed = (slot: 0 | 1 | 2) => dropAt === undefined || at(dropAt) > at(slot);
  for (const s of shell.captures) {
    if (s.done || !dirMatches(s.spec.dir, pdir)) continue;
    const t = s.spec.target;
    let point: CapturePoint | undefined;
    if (t.kind === 'switchport' && t.port === port.port) {
      const p = s.spec.capture;
      if (p === 'PreDVFilter' || p === 'PostDVFilter') {
        if (port.filters[2] && (p === 'PreDVFilter' ? reached(2) : passed(2))) point = p;
      } else if (dir === 'out' && (p === undefined || p === 'PortInput' || p === 'VnicTx')) point = p ?? 'PortInput';
      else if (dir === 'in' && verdict.pass && (p === undefined || p === 'PortOutput' || p === 'VnicRx')) point = p ?? 'PortOutput';
    } else if (t.kind === 'dvfilter') {
      const slot = ([0, 1, 2] as const).find((n) => port.filters[n] === t.name);
      if (slot !== undefined && (s.spec.capture === 'PreDVFilter' ? reached(slot) : passed(slot))) point = s.spec.capture;
    } else if (t.kind === 'none' && s.spec.capture === 'Drop' && !verdict.pass) point = 'Drop';
    if (point) record(shell, s, point, frame, now);
  }
}

/** A frame at vmnic0: `rcv` from the wire (dir 0), `snd` to it (dir 1). */
export function tapUplink(shell: HostShellState, dir: 'rcv' | 'snd', frame: Uint8Array, now: number): void {
  const pdir = dir === 'rcv' ? 0 : 1;
  for (const s of shell.captures) {
    const t = s.spec.target;
    if (s.done || t.kind !== 'uplink' || !dirMatches(s.spec.dir, pdir)) continue;
    const p = s.spec.capture;
    const want: CapturePoint = dir === 'rcv' ? 'UplinkRcv' : 'UplinkSnd';
    const other: CapturePoint = dir === 'rcv' ? 'PortInput' : 'PortOutput';
    if (p === undefined || p === want || p === other) record(shell, s, p ?? want, frame, now);
  }
}

const dirMatches = (want: 0 | 1 | 2, got: 0 | 1) => want === 2 || want === got;

function record(shell: HostShellState, s: CaptureSession, point: CapturePoint, frame: Uint8Array, now: number): void {
  if (!matchesFilters(s.spec, frame)) return;
  s.captured++;
  const n = s.captured;
  const cut = frame.length > s.spec.snaplen ? frame.subarray(0, s.spec.snaplen) : frame;
  if (s.file) {
    if (!appendFile(shell.files, s.file, pcapRecord({ timeUs: now * 1000, frame: cut, origLen: frame.length }))) {
      s.captured--;
      s.dropped++;
    }
  } else {
    s.pending.push(...packetLines(n, point, now, frame, cut));
    if (s.pending.length > MAX_PENDING_LINES) {
      s.pending.splice(0, s.pending.length - MAX_PENDING_LINES);
      s.dropped++;
    }
  }
  if (s.spec.count && s.captured >= s.spec.count) s.done = true;
}

function matchesFilters(spec: CaptureSpec, frame: Uint8Array): boolean {
  const f = spec.filters;
  if (Object.keys(f).length === 0) return true;
  const p = parseFrame(frame);
  if (p.kind === 'malformed') return false;
  if (f.mac && p.srcMac !== f.mac && p.dstMac !== f.mac) return false;
  if (f.srcMac && p.srcMac !== f.srcMac) return false;
  if (f.dstMac && p.dstMac !== f.dstMac) return false;
  const ethertype = p.kind === 'arp' ? 0x0806 : p.kind === 'ipv4' ? 0x0800 : p.ethertype;
  if (f.ethtype !== undefined && ethertype !== f.ethtype) return false;
  const needsIp = f.srcIp || f.dstIp || f.ip || f.proto !== undefined || f.srcPort !== undefined || f.dstPort !== undefined || f.tcpPort !== undefined;
  if (!needsIp) return true;
  if (p.kind !== 'ipv4') return false;
  if (f.srcIp && p.srcIp !== f.srcIp) return false;
  if (f.dstIp && p.dstIp !== f.dstIp) return false;
  if (f.ip && p.srcIp !== f.ip && p.dstIp !== f.ip) return false;
  if (f.proto !== undefined && p.proto !== f.proto) return false;
  const ports = p.proto === 6 || p.proto === 17;
  if (f.srcPort !== undefined && (!ports || p.srcPort !== f.srcPort)) return false;
  if (f.dstPort !== undefined && (!ports || p.dstPort !== f.dstPort)) return false;
  if (f.tcpPort !== undefined && (p.proto !== 6 || (p.srcPort !== f.tcpPort && p.dstPort !== f.tcpPort))) return false;
  return true;
}

/** `16:12:40.631403[1] Captured at PortOutput point, …, length 98.`, then the bytes as pktcap-uw dumps them. */
function packetLines(n: number, point: CapturePoint, now: number, frame: Uint8Array, shown: Uint8Array = frame): string[] {
  const time = `${new Date(now).toISOString().slice(11, 23)}${String((now * 1000) % 1000).padStart(3, '0')}`;
  const lines = [`${time}[${n}] Captured at ${point} point, TSO not enabled, Checksum not offloaded and not verified, length ${frame.length}.`, `Segment[0] ---- ${shown.length} bytes:`];
  for (let off = 0; off < shown.length; off += 16) {
    const words: string[] = [];
    for (let i = off; i < Math.min(off + 16, shown.length); i += 2) words.push(Array.from(shown.subarray(i, Math.min(i + 2, shown.length)), (b) => b.toString(16).padStart(2, '0')).join(''));
    lines.push(`0x${off.toString(16).padStart(4, '0')}:  ${words.join(' ')}`);
  }
  return lines;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export { MAX_FILE_BYTES };
