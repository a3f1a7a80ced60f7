/**
 * sw-sec, slot 1: IP discovery (ARP snooping, DHCP snooping, VMware Tools) and SpoofGuard.
 *
 * Learning always runs; enforcement only when the vNIC's network has a SpoofGuard policy.
 * The addresses of the first learning event on a vNIC are remembered for good, whatever the
 * policy (seed 003: a binding learned on first use stays realized). TOFU trusts those — also
 * when it is turned on after the guest moved to another address, which stays blocked;
 * anything learned later needs an explicit approval, as in manual mode, so a changed IP is
 * blocked — in and out — until the manager approves it. DHCP is always let through, and the
 * source MAC must be the vNIC's own (MACs are trusted from the VMX).
 */
import { intToIp, isIpv4, ipToInt } from '../../protocol/addresses';
import { PROTO_UDP } from '../../protocol/frame';
import { Act, Detail, Reason, Table } from './codes';
import { macToHiLo, ParseStatus, type PacketHeader } from './parse';
import type { SlotResult } from './slot-result';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Act_Drop = Act.Drop;
const Act_Pass = Act.Pass;
const Detail_Dhcp = Detail.Dhcp;
const Detail_SpoofDestIp = Detail.SpoofDestIp;
const Detail_SpoofSourceIp = Detail.SpoofSourceIp;
const Detail_SpoofSourceMac = Detail.SpoofSourceMac;
const ParseStatus_Arp = ParseStatus.Arp;
const ParseStatus_Ipv4 = ParseStatus.Ipv4;
const ParseStatus_Short = ParseStatus.Short;
const Reason_Pass = Reason.Pass;
const Reason_Short = Reason.Short;
const Reason_SpoofGuard = Reason.SpoofGuard;
const Table_Swsec = Table.Swsec;

export type SpoofGuardMode = 'off' | 'tofu' | 'manual';
export type BindingSource = 'arp' | 'dhcp' | 'tools';

export interface SpoofGuardPolicy {
  mode: SpoofGuardMode;
  /** `mac|ip` pairs the manager approved (MAC lower-case). */
  approved: ReadonlySet<string>;
}

const NO_SPOOFGUARD: SpoofGuardPolicy = { mode: 'off', approved: new Set() };

interface Binding {
  ip: string;
  source: BindingSource;
  learnedAt: number;
  /** DHCP leases end; other sources do not. */
  leaseExpiry?: number;
}

export interface SwsecState {
  bindings: Binding[];
  tofuApproved: string[];
  /** The addresses of the vNIC's first learning event (absent in labs saved before it was kept). */
  firstLearned?: string[];
}

/** ARP snooping keeps at most this many addresses per vNIC. */
const ARP_SNOOP_LIMIT = 128;

const DHCP_MAGIC = 0x63825363;
const DHCP_ACK = 5;
const DHCP_RELEASE = 7;

export class SwitchSecurity {
  bindings: Binding[] = [];
  tofuApproved = new Set<string>();
  /** The addresses of the first learning event on this vNIC, kept for trust on first use. */
  firstLearned: string[] = [];
  private policy: SpoofGuardPolicy = NO_SPOOFGUARD;
  /** Hot-path view: approved IPv4 addresses as int32, and whether to enforce at all. */
  private allowed = new Int32Array(0);
  private enforcing = false;
  /** The vNIC's MAC in PacketHeader's split form. */
  readonly macHi: number;
  readonly macLo: number;

  constructor(readonly mac: string) {
    [this.macHi, this.macLo] = macToHiLo(mac.toLowerCase());
  }

  setPolicy(policy: SpoofGuardPolicy): void {
    const enteringTofu = policy.mode === 'tofu' && this.policy.mode !== 'tofu';
    this.policy = policy;
    if (policy.mode !== 'tofu') this.tofuApproved.clear();
    // Turning TOFU on trusts what the vNIC was first seen with, not what it uses now.
    if (enteringTofu) this.tofuApproved = new Set(this.firstLearned);
    this.refresh();
  }

  isFirstLearned(ip: string): boolean {
    return this.firstLearned.includes(ip);
  }

  isApproved(ip: string): boolean {
    return this.policy.approved.has(`${this.mac.toLowerCase()}|${ip}`) || this.tofuApproved.has(ip);
  }

  /** VMware Tools reported the guest's addresses: they replace the Tools-learned bindings. */
  setToolsIps(ips: string[], now: number): void {
    const fresh = ips.filter((ip) => !this.bindings.some((b) => b.source === 'tools' && b.ip === ip));
    this.bindings = this.bindings.filter((b) => b.source !== 'tools' || ips.includes(b.ip));
    for (const ip of fresh) this.bindings.push({ ip, source: 'tools', learnedAt: now });
    this.afterLearning(fresh);
  }

  /** Drops DHCP bindings whose lease ran out. */
  expire(now: number): void {
    const before = this.bindings.length;
    this.bindings = this.bindings.filter((b) => b.leaseExpiry === undefined || b.leaseExpiry > now);
    if (this.bindings.length !== before) this.refresh();
  }

  process(h: PacketHeader, frame: Uint8Array, out: boolean, now: number, r: SlotResult): void {
    if (out) this.snoopOutbound(h, frame, now);
    else this.snoopInbound(h, frame, now);
    if (!this.enforcing) return r.set(Act_Pass, Table_Swsec, Reason_Pass);
    if (h.status === ParseStatus_Short && h.ethertype === 0x0800 && h.frameLen < 34) return r.set(Act_Drop, Table_Swsec, Reason_Short);
    const ipv4 = h.ethertype === 0x0800 && h.frameLen >= 34;
    if (out) {
      if (h.srcMacHi !== this.macHi || h.srcMacLo !== this.macLo) return r.set(Act_Drop, Table_Swsec, Reason_SpoofGuard, -1, Detail_SpoofSourceMac);
      if (h.status === ParseStatus_Arp) {
        if (h.arpSenderIp !== 0 && !this.allows(h.arpSenderIp)) return r.set(Act_Drop, Table_Swsec, Reason_SpoofGuard, -1, Detail_SpoofSourceIp);
      } else if (ipv4) {
        if (isDhcp(h, 68, 67)) return r.set(Act_Pass, Table_Swsec, Reason_Pass, -1, Detail_Dhcp);
        if (!this.allows(h.srcIp)) return r.set(Act_Drop, Table_Swsec, Reason_SpoofGuard, -1, Detail_SpoofSourceIp);
      }
    } else if (ipv4 && h.status !== ParseStatus_Arp) {
      if (isDhcp(h, 67, 68)) return r.set(Act_Pass, Table_Swsec, Reason_Pass, -1, Detail_Dhcp);
      const top = h.dstIp >>> 24;
      const groupOrBroadcast = (top >= 224 && top <= 239) || h.dstIp === -1;
      if (!groupOrBroadcast && !this.allows(h.dstIp)) return r.set(Act_Drop, Table_Swsec, Reason_SpoofGuard, -1, Detail_SpoofDestIp);
    }
    r.set(Act_Pass, Table_Swsec, Reason_Pass);
  }

  snapshot(): SwsecState {
    return { bindings: this.bindings.map((b) => ({ ...b })), tofuApproved: [...this.tofuApproved], firstLearned: [...this.firstLearned] };
  }

  restore(s: SwsecState): void {
    this.bindings = s.bindings.map((b) => ({ ...b }));
    this.tofuApproved = new Set(s.tofuApproved);
    this.firstLearned = s.firstLearned ? [...s.firstLearned] : earliest(this.bindings);
    this.refresh();
  }

  private allows(ip: number): boolean {
    const a = this.allowed;
    for (let i = 0; i < a.length; i++) if (a[i] === ip) return true;
    return false;
  }

  private refresh(): void {
    this.enforcing = this.policy.mode !== 'off';
    const ips = new Set<string>();
    for (const b of this.bindings) if (this.isApproved(b.ip)) ips.add(b.ip);
    for (const key of this.policy.approved) {
      const [mac, ip] = key.split('|');
      if (mac === this.mac.toLowerCase()) ips.add(ip);
    }
    for (const ip of this.tofuApproved) ips.add(ip);
    this.allowed = Int32Array.from([...ips].filter(isIpv4).map((ip) => ipToInt(ip) | 0));
  }

  private learn(ip: string, source: BindingSource, now: number, leaseExpiry?: number): void {
    const existing = this.bindings.find((b) => b.ip === ip && b.source === source);
    if (existing) {
      if (leaseExpiry !== undefined) existing.leaseExpiry = leaseExpiry;
      return;
    }
    if (source === 'arp' && this.bindings.filter((b) => b.source === 'arp').length >= ARP_SNOOP_LIMIT) return;
    this.bindings.push({ ip, source, learnedAt: now, ...(leaseExpiry !== undefined ? { leaseExpiry } : {}) });
    this.afterLearning([ip]);
  }

  private afterLearning(ips: string[]): void {
    if (ips.length && this.firstLearned.length === 0) this.firstLearned = [...ips];
    if (ips.length && this.policy.mode === 'tofu' && this.tofuApproved.size === 0) this.trustFirst(ips);
    this.refresh();
  }

  private trustFirst(ips: string[]): void {
    for (const ip of ips) this.tofuApproved.add(ip);
  }

  private snoopOutbound(h: PacketHeader, frame: Uint8Array, now: number): void {
    if (h.status === ParseStatus_Arp) {
      if (h.arpSenderIp !== 0 && h.arpSenderMacHi === this.macHi && h.arpSenderMacLo === this.macLo) this.learn(intToIp(h.arpSenderIp >>> 0), 'arp', now);
      return;
    }
    if (h.status === ParseStatus_Ipv4 && isDhcp(h, 68, 67)) {
      const d = readDhcp(frame, h);
      if (d && d.type === DHCP_RELEASE) {
        const before = this.bindings.length;
        this.bindings = this.bindings.filter((b) => !(b.source === 'dhcp' && b.ip === d.ciaddr));
        if (before !== this.bindings.length) this.refresh();
      }
    }
  }

  private snoopInbound(h: PacketHeader, frame: Uint8Array, now: number): void {
    if (h.status !== ParseStatus_Ipv4 || !isDhcp(h, 67, 68)) return;
    const d = readDhcp(frame, h);
    if (!d || d.type !== DHCP_ACK || d.chaddr !== this.mac.toLowerCase() || d.yiaddr === '0.0.0.0') return;
    this.learn(d.yiaddr, 'dhcp', now, d.leaseSeconds !== undefined ? now + d.leaseSeconds * 1000 : undefined);
  }
}

/** The addresses learned at the earliest time: the first learning event of an older lab. */
function earliest(bindings: Binding[]): string[] {
  if (!bindings.length) return [];
  const first = Math.min(...bindings.map((b) => b.learnedAt));
  return [...new Set(bindings.filter((b) => b.learnedAt === first).map((b) => b.ip))];
}

function isDhcp(h: PacketHeader, sport: number, dport: number): boolean {
  return h.proto === PROTO_UDP && h.status === ParseStatus_Ipv4 && h.srcPort === sport && h.dstPort === dport;
}

interface DhcpInfo {
  type: number;
  ciaddr: string;
  yiaddr: string;
  chaddr: string;
  leaseSeconds?: number;
}

/** Reads the BOOTP fixed header and options 53 (message type) and 51 (lease time). */
function readDhcp(frame: Uint8Array, h: PacketHeader): DhcpInfo | null {
  const p = h.payloadOff;
  const end = p + h.payloadLen;
  if (h.payloadLen < 240 || frame.length < p + 240) return null;
  const u32 = (i: number) => ((frame[i] << 24) | (frame[i + 1] << 16) | (frame[i + 2] << 8) | frame[i + 3]) >>> 0;
  if (u32(p + 236) !== DHCP_MAGIC) return null;
  const chaddr = Array.from(frame.subarray(p + 28, p + 34), (x) => x.toString(16).padStart(2, '0')).join(':');
  const info: DhcpInfo = { type: 0, ciaddr: intToIp(u32(p + 12)), yiaddr: intToIp(u32(p + 16)), chaddr };
  let i = p + 240;
  while (i < end) {
    const code = frame[i];
    if (code === 255) break;
    if (code === 0) {
      i++;
      continue;
    }
    const len = frame[i + 1];
    if (i + 2 + len > end) break;
    if (code === 53 && len >= 1) info.type = frame[i + 2];
    if (code === 51 && len === 4) info.leaseSeconds = u32(i + 2);
    i += 2 + len;
  }
  return info;
}
