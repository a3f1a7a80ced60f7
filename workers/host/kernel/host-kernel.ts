/**
 * One ESXi host's kernel side of the DFW: per-vNIC IOChains (slot 0 dvfilter, slot 1 sw-sec,
 * slot 2 vmware-sfw), programmed by vsfwd, fed frames by the switch, inspected by the shell.
 *
 * Time comes only from ctx.now(). Expiry is lazy (on lookup) plus a sweep every 10 virtual
 * seconds, run on the next packet or view after the deadline, as pf's purge does.
 */
import type { SimContext } from '../../lab/context';
import { vnicId } from '../../protocol/inventory';
import type { AddressSets, FilterRules, HostRuleSet } from '../../protocol/ruleset';
import { Act, ACTION_NAMES, DETAIL_TEXT, Detail, Reason, REASON_NAMES, Table, TABLE_NAMES } from './codes';
import { INBOUND_ORDER, OUTBOUND_ORDER, SLOT_AGENTS, VnicChain, vnicKey } from './iochain';
import { PacketHeader, parseHeader, ParseStatus } from './parse';
import { PKTLOG_FILE, PktLog } from './pktlog';
import { SfwFilter } from './sfw/filter';
import { buildRejectReply } from './sfw/reject';
import { SlotResult } from './slot-result';
import type { SpoofGuardPolicy } from './swsec';
import { timeoutsMs, type SessionTimers } from './timers';
import { DEFAULT_HARDWARE, resourceUse, type ResourceUse } from '../vsfwd/resource-model';
import type { DiscoveredBinding, HostKernelState, Observation, SpoofGuardConfig, Verdict, VnicAttachment, VnicTransfer } from './types';
import * as views from './views';
import { slot4FilterName, type PartnerSvm } from './redirect/partner';
import { PARTNER_THREAT_LOG, ServiceInstanceFilter, type ServiceDecision } from './redirect/service-filter';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Act_Drop = Act.Drop;
const Act_Pass = Act.Pass;
const Act_Reject = Act.Reject;
const Detail_None = Detail.None;
const ParseStatus_Ipv4 = ParseStatus.Ipv4;
const Reason_FilterFailure = Reason.FilterFailure;
const Reason_Pass = Reason.Pass;
const Reason_Short = Reason.Short;
const Table_Dvfilter = Table.Dvfilter;
const Table_L2Rule = Table.L2Rule;
const Table_None = Table.None;
const Table_Swsec = Table.Swsec;

/** Counts the resource model reads from the kernel. */
export interface KernelCounts {
  filters: number;
  ruleLines: number;
  addressEntries: number;
  connections: number;
  discoveredIps: number;
  longestTable: number;
  /** Worlds (VMs) whose vNICs have a vmware-sfw filter here: running VMs. */
  worldsWithFilters: number[];
}

export type { DiscoveredBinding, HostKernelState, Observation, SpoofGuardConfig, Verdict, VnicAttachment, VnicTransfer } from './types';

const SWEEP_INTERVAL_MS = 10_000;
const FIRST_PORT = 50331656;
const DIR_IN = 1;
const DIR_OUT = 2;

/**
 * Int32 fields of one pre-parsed header in processBatch(), in this order: srcIp, dstIp, proto,
 * srcPort, dstPort, tcpFlags, seq, ack, win, payloadLen, ipLen, icmpType, icmpCode, icmpId.
 */
export const BATCH_STRIDE = 14;

export class HostKernel {
  private chains = new Map<string, VnicChain>();
  private ruleSet: HostRuleSet | null = null;
  private addressSets: AddressSets = {};
  private excluded = new Set<string>();
  private spoofGuard = new Map<string, SpoofGuardConfig>();
  private readonly log: PktLog;
  private timeouts = timeoutsMs();
  private nextPort = FIRST_PORT;
  private nextSweep = 0;
  /** Simulated agent failures per slot: the slot's failure policy then decides. */
  private slotFaults: [boolean, boolean, boolean] = [false, false, false];
  private heapExhausted = false;
  private resources: ResourceUse | null = null;
  private readonly h = new PacketHeader();
  private readonly results = [new SlotResult(), new SlotResult(), new SlotResult()];
  /** The partner service VM deployed on this host (service insertion), or null. */
  private partner: PartnerSvm | null = null;
  /** Slot 4 filters by vNIC key, on hosts with a partner service. */
  private services = new Map<string, ServiceInstanceFilter>();

  constructor(
    readonly hostId: string,
    private readonly ctx: SimContext,
    state?: HostKernelState,
  ) {
    this.log = new PktLog((line) => this.ctx.emit({ kind: 'log', file: PKTLOG_FILE, text: line }));
    if (state) this.restore(state);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  attachVnic(a: VnicAttachment): void {
    const key = vnicKey(a.worldId, a.vnicIndex);
    if (this.chains.has(key)) this.detachVnic(a.worldId, a.vnicIndex);
    const chain = new VnicChain({ ...a, toolsIps: [...a.toolsIps] }, this.nextPort++);
    this.chains.set(key, chain);
    chain.swsec.setPolicy(this.policyFor(a.network));
    if (a.toolsIps.length) chain.swsec.setToolsIps(a.toolsIps, this.ctx.now());
    this.syncSlot2(chain);
    this.syncSlot4(chain);
  }

  detachVnic(worldId: number, vnicIndex: number): void {
    this.chains.delete(vnicKey(worldId, vnicIndex));
    this.services.delete(vnicKey(worldId, vnicIndex));
  }

  exportVnic(worldId: number, vnicIndex: number): VnicTransfer {
    const chain = this.chain(worldId, vnicIndex);
    const sfw = chain.sfw;
    const sets: AddressSets = {};
    if (sfw) for (const name of sfw.referencedSets()) if (this.addressSets[name]) sets[name] = [...this.addressSets[name]];
    return {
      format: 'dfw-lab/vnic-transfer@1',
      fromHost: this.hostId,
      filterName: chain.names[2],
      rules: sfw?.rules ? structuredClone(sfw.rules) : null,
      addressSets: sets,
      connections: sfw ? sfw.ct.entries().map((e) => sfw.ct.record(e)) : [],
      expectations: sfw ? sfw.alg.snapshot() : [],
      hits: sfw ? Array.from(sfw.hits) : [],
      swsec: chain.swsec.snapshot(),
    };
  }

  importVnic(t: VnicTransfer, a: VnicAttachment): void {
    for (const [name, list] of Object.entries(t.addressSets)) if (!(name in this.addressSets)) this.addressSets[name] = [...list];
    this.attachVnic(a);
    const chain = this.chain(a.worldId, a.vnicIndex);
    chain.swsec.restore(t.swsec);
    const sfw = chain.sfw;
    if (!sfw) return; // excluded here: nothing to enforce
    if (!this.ruleSet?.filters[chain.names[2]] && t.rules) sfw.program(t.rules, this.addressSets);
    if (t.rules && sfw.rules === t.rules && t.hits.length === sfw.hits.length) sfw.hits = Float64Array.from(t.hits);
    for (const r of t.connections) sfw.ct.insertRecord(r);
    sfw.alg.restore(t.expectations);
  }

  // ---- configuration ---------------------------------------------------------------------

  program(rs: HostRuleSet): void {
    for (const sg of rs.spoofGuard ?? []) {
      const current = this.spoofGuard.get(sg.network);
      if (!current || current.mode !== sg.mode || JSON.stringify(current.approved) !== JSON.stringify(sg.approved.map((x) => ({ mac: x.mac.toLowerCase(), ip: x.ip })))) {
        this.setSpoofGuard(sg.network, sg.mode, sg.approved);
      }
    }
    const changed = changedSets(this.addressSets, rs.addressSets);
    this.ruleSet = rs;
    this.addressSets = { ...rs.addressSets };
    this.excluded = new Set(rs.excluded);
    for (const chain of this.chains.values()) {
      this.syncSlot2(chain, changed);
      this.syncSlot4(chain);
    }
  }

  /** The partner SVM deployed here (or removed: null), or its power state changed. */
  setPartner(p: PartnerSvm | null): void {
    this.partner = p ? structuredClone(p) : null;
    for (const chain of this.chains.values()) this.syncSlot4(chain);
  }

  partnerSvm(): PartnerSvm | null {
    return this.partner;
  }

  setSpoofGuard(network: string, mode: 'off' | 'tofu' | 'manual', approved: { mac: string; ip: string }[]): void {
    this.spoofGuard.set(network, { mode, approved: approved.map((x) => ({ mac: x.mac.toLowerCase(), ip: x.ip })) });
    const policy = this.policyFor(network);
    for (const chain of this.chains.values()) if (chain.attachment.network === network) chain.swsec.setPolicy(policy);
  }

  setToolsIps(worldId: number, vnicIndex: number, ips: string[]): void {
    const chain = this.chain(worldId, vnicIndex);
    chain.attachment.toolsIps = [...ips];
    chain.swsec.setToolsIps(ips, this.ctx.now());
  }

  /** Host-wide session timer overrides (NSX-V 6.3+ timer profile), seconds by API name. */
  setSessionTimers(t: SessionTimers): void {
    const next = timeoutsMs(t);
    this.timeouts.set(next);
  }

  /** Simulates a failed dvfilter agent in a slot; its failure policy decides what traffic does. */
  setSlotFault(slot: 0 | 1 | 2, failing: boolean): void {
    this.slotFaults[slot] = failing;
  }

  // ---- data path -------------------------------------------------------------------------

  process(worldId: number, vnicIndex: number, dir: 'in' | 'out', frame: Uint8Array): Verdict {
    const chain = this.chains.get(vnicKey(worldId, vnicIndex));
    if (!chain) return { pass: false, observations: [{ slot: 0, filter: '', table: 'none', action: 'DROP', reason: 'no-filter', detail: `no vNIC ${worldId}/eth${vnicIndex} on ${this.hostId}` }] };
    const now = this.ctx.now();
    if (now >= this.nextSweep) this.sweep(now);
    const h = this.h;
    parseHeader(frame, h);
    const out = dir === 'out';
    const observations: Observation[] = [];
    const svc = this.services.get(chain.key);
    // Inbound, slot 4 (the partner's serviceinstance filter) comes first; outbound, last.
    if (svc && !out && !this.runSlot4(svc, frame, false, now, observations)) return { pass: false, observations };
    for (const slot of out ? OUTBOUND_ORDER : INBOUND_ORDER) {
      const r = this.results[slot];
      if (slot === 2 && !chain.sfw) {
        observations.push({ slot: 2, filter: chain.names[2], table: 'none', action: 'PASS', reason: 'excluded', detail: 'VM is on the exclusion list: no vmware-sfw filter' });
        continue;
      }
      this.runSlot(chain, slot, frame, out, now, r);
      if (slot === 2 && r.l2RuleId >= 0 && r.table !== Table_L2Rule) {
        observations.push({ slot: 2, filter: chain.names[2], table: 'l2-rule', ruleId: r.l2RuleId, action: 'PASS', reason: 'match' });
      }
      observations.push(toObservation(slot, chain.names[slot], r));
      if (r.action !== Act_Pass) {
        const reply = r.action === Act_Reject && h.status === ParseStatus_Ipv4 ? buildRejectReply(frame, h) : undefined;
        return reply ? { pass: false, observations, reply } : { pass: false, observations };
      }
    }
    if (svc && out && !this.runSlot4(svc, frame, true, now, observations)) return { pass: false, observations };
    return { pass: true, observations };
  }

  /** Slot 4 for one packet; `observations` (trace) gets its decision. True when the packet goes on. */
  private runSlot4(svc: ServiceInstanceFilter, frame: Uint8Array | null, out: boolean, now: number, observations: Observation[] | null): boolean {
    let d: ServiceDecision;
    try {
      d = svc.process(this.h, frame, out ? DIR_OUT : DIR_IN, now, this.partner);
    } catch {
      const open = this.partner?.failurePolicy === 'failOpen';
      d = { act: open ? Act_Pass : Act_Drop, table: 'redirect', reason: 'filter-failure', detail: `the serviceinstance filter failed: failure policy ${open ? 'failOpen' : 'failClosed'}` };
    }
    if (d.threat) this.ctx.emit({ kind: 'log', file: PARTNER_THREAT_LOG, severity: 'warn', text: d.threat });
    if (observations) {
      const o: Observation = { slot: 4, filter: svc.name, table: d.table, action: ACTION_NAMES[d.act], reason: d.reason, detail: d.detail };
      if (d.ruleId !== undefined) o.ruleId = d.ruleId;
      observations.push(o);
    }
    return d.act === Act_Pass;
  }

  /**
   * Fast path for bursts of real frames: same decisions as process(), verdicts written as
   * action codes (0 pass, 1 drop, 2 reject) without observation objects.
   */
  processFrames(worldId: number, vnicIndex: number, dir: 'in' | 'out', frames: readonly Uint8Array[], out: Uint8Array): void {
    const chain = this.chain(worldId, vnicIndex);
    const now = this.ctx.now();
    if (now >= this.nextSweep) this.sweep(now);
    const outbound = dir === 'out';
    const svc = this.services.get(chain.key);
    for (let i = 0; i < frames.length; i++) {
      parseHeader(frames[i], this.h);
      out[i] = svc ? this.runWithSlot4(svc, chain, frames[i], outbound, now) : this.runChain(chain, frames[i], outbound, now);
    }
  }

  /**
   * Fast path for pre-parsed IPv4 headers (BATCH_STRIDE int32 fields each, see BATCH_STRIDE),
   * e.g. a burst handed over from another worker as a transferred Int32Array. Frames are
   * taken to carry the vNIC's own MAC; payload bytes are not available (no ALG, no DHCP snooping).
   */
  processBatch(worldId: number, vnicIndex: number, dir: 'in' | 'out', headers: Int32Array, count: number, out: Uint8Array): void {
    const chain = this.chain(worldId, vnicIndex);
    const now = this.ctx.now();
    if (now >= this.nextSweep) this.sweep(now);
    const outbound = dir === 'out';
    const h = this.h;
    const svc = this.services.get(chain.key);
    const { macHi, macLo } = chain.swsec;
    h.status = ParseStatus_Ipv4;
    h.ethertype = 0x0800;
    h.innerValid = false;
    h.wscale = -1;
    for (let i = 0, o = 0; i < count; i++, o += BATCH_STRIDE) {
      h.srcIp = headers[o];
      h.dstIp = headers[o + 1];
      h.proto = headers[o + 2];
      h.srcPort = headers[o + 3];
      h.dstPort = headers[o + 4];
      h.tcpFlags = headers[o + 5];
      h.seq = headers[o + 6];
      h.ack = headers[o + 7];
      h.win = headers[o + 8];
      h.payloadLen = headers[o + 9];
      h.ipLen = headers[o + 10];
      h.icmpType = headers[o + 11];
      h.icmpCode = headers[o + 12];
      h.icmpId = headers[o + 13];
      h.frameLen = h.ipLen + 14;
      if (outbound) {
        h.srcMacHi = macHi;
        h.srcMacLo = macLo;
      } else {
        h.dstMacHi = macHi;
        h.dstMacLo = macLo;
      }
      out[i] = svc ? this.runWithSlot4(svc, chain, null, outbound, now) : this.runChain(chain, null, outbound, now);
    }
  }

  /** The burst walk on a vNIC with a slot 4: slot 4 before the chain inbound, after it outbound. */
  private runWithSlot4(svc: ServiceInstanceFilter, chain: VnicChain, frame: Uint8Array | null, out: boolean, now: number): number {
    if (!out && !this.runSlot4(svc, frame, false, now, null)) return Act_Drop;
    const act = this.runChain(chain, frame, out, now);
    if (act !== Act_Pass || !out) return act;
    return this.runSlot4(svc, frame, true, now, null) ? Act_Pass : Act_Drop;
  }

  /** Expires sessions and DHCP leases up to `now` (the host calls it on clock ticks; packets and views do too). */
  sweep(now = this.ctx.now()): void {
    for (const chain of this.chains.values()) {
      chain.sfw?.sweep(now);
      chain.swsec.expire(now);
    }
    this.nextSweep = now + SWEEP_INTERVAL_MS;
  }

  discoveredBindings(): DiscoveredBinding[] {
    const out: DiscoveredBinding[] = [];
    for (const chain of this.chains.values()) {
      const a = chain.attachment;
      for (const b of chain.swsec.bindings) {
        out.push({ vnicId: vnicId({ uuid: a.vcUuid }, a.vnicIndex), filter: chain.names[1], mac: a.mac.toLowerCase(), ip: b.ip, source: b.source, approved: chain.swsec.isApproved(b.ip), firstLearned: chain.swsec.isFirstLearned(b.ip) });
      }
    }
    return out;
  }

  // ---- host shell views ------------------------------------------------------------------

  summarizeDvfilter(): string {
    const slot4 = (c: VnicChain) => this.services.get(c.key)?.name ?? null;
    return views.summarizeDvfilter([...this.chains.values()], this.partner, slot4);
  }

  /** Each vNIC's switch port and its slot 1/2 filter names, for pktcap-uw and net-stats. */
  capturePorts(): { port: number; worldId: number; vnicIndex: number; vmName: string; mac: string; filters: Partial<Record<0 | 1 | 2, string>> }[] {
    return [...this.chains.values()].map((c) => ({
      port: c.port, worldId: c.attachment.worldId, vnicIndex: c.attachment.vnicIndex, vmName: c.attachment.vmName, mac: c.attachment.mac,
      filters: c.sfw ? { 1: c.names[1], 2: c.names[2] } : { 1: c.names[1] },
    }));
  }

  getfilters(): string {
    return views.getfilters([...this.chains.values()]);
  }

  getrules(filter: string): string {
    const svc = [...this.services.values()].find((f) => f.name === filter);
    if (svc) return views.getrules({ rules: svc.rules, hits: svc.hits, l2Hits: [] }, filter);
    return views.getrules(this.sfwOrNull(filter), filter);
  }

  getaddrsets(filter: string): string {
    return views.getaddrsets(this.sfwOrNull(filter), filter, this.addressSets);
  }

  getflows(filter: string): string {
    const now = this.ctx.now();
    this.sweep(now);
    return views.getflows(this.sfwOrNull(filter), filter, now);
  }

  getfilterstat(filter: string): string {
    return views.getfilterstat(this.sfwOrNull(filter), filter);
  }

  getmeminfo(): string {
    if (this.resources) return views.getmeminfo(this.resources, []);
    const c = this.resourceCounts();
    const tables = resourceUse({ hardware: DEFAULT_HARDWARE, ...c, packetsPerSecond: 0, newConnectionsPerSecond: 0 }).heaps;
    return views.getmeminfo(null, tables);
  }

  // ---- resources ---------------------------------------------------------------------------

  /** What the DFW holds on this host, for the resource model (each filter has its own tables). */
  resourceCounts(): KernelCounts {
    const c: KernelCounts = { filters: 0, ruleLines: 0, addressEntries: 0, connections: 0, discoveredIps: 0, longestTable: 0, worldsWithFilters: [] };
    for (const chain of this.chains.values()) {
      c.discoveredIps += chain.swsec.bindings.length;
      const f = chain.sfw;
      if (!f) continue;
      c.filters++;
      c.worldsWithFilters.push(chain.attachment.worldId);
      const lines = (f.rules?.l3.length ?? 0) + (f.rules?.l2.length ?? 0);
      c.ruleLines += lines;
      c.longestTable = Math.max(c.longestTable, lines);
      c.connections += f.ct.count;
      for (const name of f.referencedSets()) c.addressEntries += this.addressSets[name]?.length ?? 0;
    }
    return c;
  }

  /** The resource model's reading: while the heap is exhausted no filter allocates new state (vmware-sfw fails closed). */
  /** vsfwd's latest reading (null before its first sample). */
  lastResources(): ResourceUse | null {
    return this.resources;
  }

  setResources(use: ResourceUse): void {
    this.resources = use;
    if (use.exhausted === this.heapExhausted) return;
    this.heapExhausted = use.exhausted;
    for (const chain of this.chains.values()) if (chain.sfw) chain.sfw.heapFull = use.exhausted;
  }

  gettimeout(filter: string): string {
    return views.gettimeout(this.sfwOrNull(filter), filter, this.timeouts);
  }

  pktlog(): string[] {
    this.sweep(this.ctx.now());
    return [...this.log.lines];
  }

  /** The slot-2 filter by name, for the shell and tests. */
  filter(name: string): SfwFilter | undefined {
    for (const chain of this.chains.values()) if (chain.sfw?.name === name) return chain.sfw;
    return undefined;
  }

  // ---- snapshot --------------------------------------------------------------------------

  snapshot(): HostKernelState {
    // The rule set and the filters' rules are not copied: a rule set is replaced whole by the next
    // program(), never changed, and its lists and lines are immutable (README, "Rule lines are
    // immutable"). So the copy shares them with the kernel and each filter's rules stay the rule
    // set's very list: a save groups and hashes each list once, and a snapshot costs no 10k-line clone.
    const ruleSet = this.ruleSet;
    const sfws = [...this.chains.values()].map((c) => (c.sfw ? withRules(structuredClone({ ...c.sfw.snapshot(), rules: null }), c.sfw.rules) : null));
    const services = this.partner ? Object.fromEntries([...this.services].map(([k, f]) => [k, withRules(structuredClone({ ...f.snapshot(), rules: null }), f.snapshot().rules)])) : null;
    return {
      format: 'dfw-lab/host-kernel@1',
      hostId: this.hostId,
      nextPort: this.nextPort,
      nextSweep: this.nextSweep,
      slotFaults: [...this.slotFaults],
      ruleSet,
      addressSets: structuredClone(this.addressSets),
      spoofGuard: Object.fromEntries([...this.spoofGuard].map(([k, v]) => [k, structuredClone(v)])),
      vnics: [...this.chains.values()].map((c, i) => ({ attachment: structuredClone(c.attachment), port: c.port, swsec: c.swsec.snapshot(), sfw: sfws[i] })),
      pktlog: [...this.log.lines],
      timeouts: Array.from(this.timeouts),
      ...(this.heapExhausted ? { heapExhausted: true } : {}),
      ...(this.resources ? { resources: structuredClone(this.resources) } : {}),
      ...(this.partner ? { partner: structuredClone(this.partner), services: services! } : {}),
    };
  }

  /**
   * Takes the state over as it is, without copying it: every state a kernel is built from is
   * its own (a unit's load gets a copy of the document, a dry run's undo hands back the
   * snapshot it kept, which snapshot() already copied), and copying it again was most of a
   * goal check's undo.
   */
  private restore(s: HostKernelState): void {
    this.ruleSet = s.ruleSet;
    this.addressSets = s.addressSets;
    this.excluded = new Set(this.ruleSet?.excluded ?? []);
    this.spoofGuard = new Map(Object.entries(s.spoofGuard));
    this.slotFaults = [...s.slotFaults];
    this.timeouts = Float64Array.from(s.timeouts);
    this.heapExhausted = s.heapExhausted ?? false;
    this.resources = s.resources ?? null;
    for (const v of s.vnics) {
      const chain = new VnicChain(v.attachment, v.port);
      this.chains.set(chain.key, chain);
      chain.swsec.setPolicy(this.policyFor(v.attachment.network));
      chain.swsec.restore(v.swsec);
      if (v.sfw) {
        chain.sfw = new SfwFilter(chain.names[2], this.log, this.timeouts);
        chain.sfw.heapFull = this.heapExhausted;
        chain.sfw.restore(v.sfw, this.addressSets);
      }
    }
    this.partner = s.partner ?? null;
    for (const chain of this.chains.values()) {
      this.syncSlot4(chain);
      const saved = s.services?.[chain.key];
      if (saved) this.services.get(chain.key)?.restore(saved, this.addressSets);
    }
    this.log.lines = [...s.pktlog];
    this.nextPort = s.nextPort;
    this.nextSweep = s.nextSweep;
  }

  // ---- internals -------------------------------------------------------------------------

  private chain(worldId: number, vnicIndex: number): VnicChain {
    const c = this.chains.get(vnicKey(worldId, vnicIndex));
    if (!c) throw new Error(`${this.hostId}: no vNIC attached for world ${worldId} eth${vnicIndex}`);
    return c;
  }

  private sfwOrNull(name: string): SfwFilter | null {
    return this.filter(name) ?? null;
  }

  private policyFor(network: string): SpoofGuardPolicy {
    const cfg = this.spoofGuard.get(network);
    if (!cfg) return { mode: 'off', approved: new Set() };
    return { mode: cfg.mode, approved: new Set(cfg.approved.map((x) => `${x.mac}|${x.ip}`)) };
  }

  /**
   * Creates or removes slot 2 as exclusion requires and installs the filter's rules.
   * `changedSets`: the address sets that changed since the filter was last programmed.
   */
  private syncSlot2(chain: VnicChain, changedSets?: ReadonlySet<string>): void {
    const name = chain.names[2];
    const want = !chain.attachment.excluded && !this.excluded.has(name);
    if (!want) {
      chain.sfw = null;
      return;
    }
    if (!chain.sfw) {
      chain.sfw = new SfwFilter(name, this.log, this.timeouts);
      chain.sfw.heapFull = this.heapExhausted;
    }
    const rules = this.ruleSet?.filters[name] ?? null;
    if (rules) chain.sfw.program(rules, this.addressSets, changedSets);
    // vsfwd has nothing for it yet: it keeps what it has, with its addresses up to date
    else if (changedSets?.size) chain.sfw.setsChanged(this.addressSets, changedSets);
  }

  /**
   * Slot 4 exists on a protected vNIC (one with vmware-sfw) while a partner service is deployed
   * on the host, with the redirect lines vsfwd programmed for its filter name.
   */
  private syncSlot4(chain: VnicChain): void {
    const p = this.partner;
    if (!p || !chain.sfw) {
      this.services.delete(chain.key);
      return;
    }
    const name = slot4FilterName(chain.names[2], p.instanceId);
    let svc = this.services.get(chain.key);
    if (!svc || svc.name !== name) this.services.set(chain.key, (svc = new ServiceInstanceFilter(name, this.log)));
    const rules = this.ruleSet?.filters[name];
    if (rules) svc.program(rules, this.addressSets);
  }

  /** Runs a slot under its failure policy: a failing agent (simulated or a thrown bug) never escapes as an exception. */
  private runSlot(chain: VnicChain, slot: 0 | 1 | 2, frame: Uint8Array | null, out: boolean, now: number, r: SlotResult): void {
    r.reset();
    if (this.slotFaults[slot]) return this.failSlot(slot, r);
    try {
      if (slot === 0) {
        if (this.h.frameLen < 14) r.set(Act_Drop, Table_Dvfilter, Reason_Short);
        else r.set(Act_Pass, Table_Dvfilter, Reason_Pass);
      } else if (slot === 1) {
        chain.swsec.process(this.h, frame ?? EMPTY_FRAME, out, now, r);
      } else {
        chain.sfw!.process(this.h, frame, out ? DIR_OUT : DIR_IN, now, r);
      }
    } catch {
      r.reset();
      this.failSlot(slot, r);
    }
  }

  private failSlot(slot: 0 | 1 | 2, r: SlotResult): void {
    const closed = SLOT_AGENTS[slot].failurePolicy === 'failClosed';
    const table = slot === 0 ? Table_Dvfilter : slot === 1 ? Table_Swsec : Table_None;
    r.set(closed ? Act_Drop : Act_Pass, table, Reason_FilterFailure);
  }

  /**
   * The burst paths' chain walk: the same decisions as runSlot() in chain order, without its
   * per-slot dispatch. Slot 0 keeps no state, so only slots 1 and 2 fill a SlotResult; a slot
   * that throws still meets its failure policy, and a simulated fault takes the general walk.
   */
  private runChain(chain: VnicChain, frame: Uint8Array | null, out: boolean, now: number): number {
    const faults = this.slotFaults;
    if (faults[0] || faults[1] || faults[2]) return this.runChainFrom(chain, frame, out, now, 0);
    const h = this.h;
    const sfw = chain.sfw;
    let at = 0;
    try {
      if (out) {
        if (h.frameLen < 14) return Act_Drop;
        at = 1;
        const r1 = this.results[1];
        r1.reset();
        chain.swsec.process(h, frame ?? EMPTY_FRAME, true, now, r1);
        if (r1.action !== Act_Pass || sfw === null) return r1.action;
        at = 2;
        const r2 = this.results[2];
        r2.reset();
        sfw.process(h, frame, DIR_OUT, now, r2);
        return r2.action;
      }
      if (sfw !== null) {
        const r2 = this.results[2];
        r2.reset();
        sfw.process(h, frame, DIR_IN, now, r2);
        if (r2.action !== Act_Pass) return r2.action;
      }
      at = 1;
      const r1 = this.results[1];
      r1.reset();
      chain.swsec.process(h, frame ?? EMPTY_FRAME, false, now, r1);
      if (r1.action !== Act_Pass) return r1.action;
      at = 2;
      return h.frameLen < 14 ? Act_Drop : Act_Pass;
    } catch {
      const slot = (out ? OUTBOUND_ORDER : INBOUND_ORDER)[at];
      const r = this.results[slot];
      r.reset();
      this.failSlot(slot, r);
      return r.action !== Act_Pass ? r.action : this.runChainFrom(chain, frame, out, now, at + 1);
    }
  }

  /** The general walk from position `from` of the chain order, slot by slot under runSlot(). */
  private runChainFrom(chain: VnicChain, frame: Uint8Array | null, out: boolean, now: number, from: number): number {
    const order = out ? OUTBOUND_ORDER : INBOUND_ORDER;
    for (let i = from; i < 3; i++) {
      const slot = order[i];
      if (slot === 2 && chain.sfw === null) continue;
      const r = this.results[slot];
      this.runSlot(chain, slot, frame, out, now, r);
      if (r.action !== Act_Pass) return r.action;
    }
    return Act_Pass;
  }
}

const EMPTY_FRAME = new Uint8Array(0);

function toObservation(slot: 0 | 1 | 2, filter: string, r: SlotResult): Observation {
  const o: Observation = { slot, filter, table: TABLE_NAMES[r.table], action: ACTION_NAMES[r.action], reason: REASON_NAMES[r.reason] };
  if (r.ruleId >= 0) o.ruleId = r.ruleId;
  if (r.detail !== Detail_None) o.detail = DETAIL_TEXT[r.detail];
  return o;
}

function changedSets(before: AddressSets, after: AddressSets): Set<string> {
  const out = new Set<string>();
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name];
    const b = after[name];
    if (!a || !b || a.length !== b.length || a.some((x, i) => x !== b[i])) out.add(name);
  }
  return out;
}

/** A filter's copied state with its (shared, immutable) rules put back. */
function withRules<S extends { rules: FilterRules | null }>(state: S, rules: FilterRules | null): S {
  state.rules = rules;
  return state;
}
