/**
 * vsfwd, the host agent ("vShield-Stateful-Firewall" service): the host's client of the
 * message bus. It decodes rule sets and address-set updates, programs the kernel's vNIC
 * filters, keeps vsipfw_ruleset.dat, answers NSX Manager (publish replies, heartbeats),
 * asks for a full sync whenever it (re)connects, and reports thresholds and flows.
 * A crash is restarted by the watchdog; a manual stop is not. The kernel keeps enforcing
 * whatever it was last given while vsfwd is away.
 */
import type { ComponentContext } from '../../lab/component';
import type { HostRuleSet } from '../../protocol/ruleset';
import { FlowKind, PublishStatus, ThresholdKind } from '../../protocol/gen/vsfw_pb';
import { unknownMessage, type MessageOf } from '../../protocol/messages/envelope';
import { hostAddress, type VnicFilterTransfer, type VsfwdMessages, type VsfwdTick } from '../../protocol/messages/host';
import { BUS } from '../../protocol/messages/bus';
import { AMQP, MANAGER_EXCHANGE, MANAGER_QUEUE, type Delivery, type OpenOk, type PayloadType } from '../../protocol/amqp';
import { joinRuleSet, ruleSetLength, type RuleListsBlob } from '../../protocol/shared-rule-lists';
import { fromBase64, toBase64, toBuffer } from '../../protocol/bytes';
import { addressSetsFromPb, DecodeMemory, decodeRuleSet, encodeRuleSet, spoofGuardFromPb } from '../../protocol/codec/ruleset-codec';
import { flowToPb } from '../../protocol/codec/flows';
import { decodePayload, encodePayload } from '../../protocol/payloads';
import { HEARTBEAT_INTERVAL_MS, HEARTBEATS_MISSED_LIMIT } from '../../protocol/amqp';
import { isServiceInstanceFilter } from '../kernel/redirect/partner';
import type { Datapath, DatapathVerdict } from '../datapath';
import type { HostState } from '../host-state';
import type { FlowRecord } from '../../protocol/host-reports';
import { baselineRules, knownRuleIds, withoutScoped } from './arrival-rules';
import { accountFrame, AGGREGATE_INTERVAL_MS, closeWindow, LIVE_INTERVAL_MS, liveFlows } from './flow-table';
import { sample, SAMPLE_INTERVAL_MS, takeRates, THRESHOLD_LABELS, THRESHOLD_NAMES } from './threshold-monitor';
import { readResources } from './resource-sampler';
import { checkRuleMemory, RULE_NOT_APPLIED } from './rule-memory';
import type { ResourceUse } from './resource-model';
import type { KernelCounts } from '../kernel/host-kernel';

/** What the resource model needs from the kernel (the real kernel has it; test datapaths may not). */
interface ResourceKernel {
  resourceCounts(): KernelCounts;
  setResources(use: ResourceUse): void;
}
import { appendLog, logLine, VSFWD_LOG, type LogLevel } from './vsfwd-log';
import type { VsfwdState } from './vsfwd-state';

export const RULESET_FILE = '/etc/vmware/vsfwd/vsipfw_ruleset.dat';
const WATCHDOG_RESTART_MS = 5_000;
const RECONNECT_INTERVAL_MS = 10_000;
const FIRST_PID = 36169;

type Tick = VsfwdTick;

interface VsfwdHost {
  readonly id: string;
  readonly state: HostState;
  readonly datapath: Datapath;
}

export class Vsfwd {
  /** vsipfw_ruleset.dat: the last RuleSet's bytes, or its head and shared lists until it is read whole. */
  private file: Uint8Array | null;
  private fileParts: { head: Uint8Array; lists: RuleListsBlob } | null = null;
  private ruleSet: HostRuleSet | null = null;
  /** The lines of the last rule set decoded, for the next one to reuse. */
  private readonly lines = new DecodeMemory();

  constructor(
    private readonly host: VsfwdHost,
    readonly state: VsfwdState,
  ) {
    this.file = state.rulesetFile ? fromBase64(state.rulesetFile) : null;
  }

  snapshot(): VsfwdState {
    const file = this.rulesetFile();
    return { ...structuredClone({ ...this.state, rulesetFile: null }), rulesetFile: file ? toBase64(file) : null };
  }

  get running(): boolean {
    return this.state.service === 'running';
  }

  /** The host's first message: the service starts with the host. */
  boot(ctx: ComponentContext): void {
    if (this.state.booted) return;
    this.state.booted = true;
    this.state.flows.windowStart = this.state.lastLive = ctx.now();
    if (this.running) this.start(ctx, 'host boot');
  }

  /** Bus deliveries and vsfwd's timers. */
  handle(msg: MessageOf<VsfwdMessages>, ctx: ComponentContext): void {
    switch (msg.kind) {
      case 'vsfwd-boot':
        return;
      case 'vsfwd-tick':
        if (msg.body.incarnation === this.state.incarnation) this.tick(msg.body.what, ctx);
        return;
      case AMQP.openOk:
        if (this.running) this.connected(msg.body, ctx);
        return;
      case AMQP.refused:
      case AMQP.closed:
        if (this.running) this.disconnected(msg.body.reason, ctx);
        return;
      case AMQP.deliver:
        if (this.running && this.state.connection.state === 'established') this.receive(msg.body, ctx);
        return;
      default:
        unknownMessage('vsfwd', msg);
    }
  }

  /** `/etc/init.d/vShield-Stateful-Firewall start|stop`, or a crash (from the lab). */
  control(action: 'start' | 'stop' | 'crash', ctx: ComponentContext): string {
    const name = this.host.state.name;
    if (action === 'start') {
      if (this.running) return 'vShield-Stateful-Firewall is already running';
      ctx.emit({ kind: 'system', text: `vsfwd started on host ${name}` });
      this.start(ctx, 'started by an administrator');
      return 'vShield-Stateful-Firewall started';
    }
    if (!this.running) return action === 'stop' ? 'vShield-Stateful-Firewall is not running' : 'vsfwd is not running: nothing to crash';
    this.state.service = action === 'stop' ? 'stopped' : 'crashed';
    this.dropConnection(ctx);
    if (action === 'stop') {
      this.log(ctx, 'INFO', 'Received SIGTERM: stopping vShield-Stateful-Firewall');
      ctx.emit({ kind: 'system', severity: 'warn', text: `vsfwd stopped on host ${name}: the kernel keeps its rules; new rules stay pending until it is started` });
      return 'Stopping vShield-Stateful-Firewall... done';
    }
    this.log(ctx, 'ERROR', `vsfwd (pid ${this.state.pid}) terminated unexpectedly (signal 11)`);
    ctx.emit({ kind: 'system', severity: 'warn', text: `vsfwd crashed on host ${name}: the watchdog restarts it` });
    ctx.send(hostAddress(this.host.id), 'vsfwd-tick', { incarnation: this.state.incarnation, what: 'watchdog' }, WATCHDOG_RESTART_MS);
    return 'vsfwd crashed';
  }

  /** Counts a frame the kernel judged, for thresholds and flow monitoring. */
  account(contextId: string, network: string, dir: 'in' | 'out', frame: Uint8Array, verdict: DatapathVerdict, now: number): void {
    const t = this.state.thresholds;
    t.packets++;
    if (accountFrame(this.state.flows, now, contextId, network, dir, frame, verdict)) t.connections++;
  }

  /** A vNIC attached (power on): without word from the manager it runs the host's general rules only. */
  vnicAttached(filter: string): void {
    if (!this.currentRuleSet() || this.ruleSet!.filters[filter] || this.ruleSet!.excluded.includes(filter)) return;
    const rules = baselineRules(this.ruleSet, new Set(this.state.scopedRuleIds), this.host.state.cluster);
    if (rules) this.host.datapath.program({ ...this.ruleSet!, filters: { ...this.ruleSet!.filters, [filter]: rules } });
  }

  /** A vNIC filter arriving by vMotion from another cluster loses the rules scoped to that cluster's objects. */
  localize<T extends VnicFilterTransfer>(transfer: T, fromCluster: string): T {
    if (!transfer.rules || fromCluster === this.host.state.cluster) return transfer;
    const rules = withoutScoped(transfer.rules, new Set(this.state.scopedRuleIds), this.host.state.cluster, knownRuleIds(this.currentRuleSet()));
    return { ...transfer, rules };
  }

  /** vsipfw_ruleset.dat as bytes, if vsfwd has saved one. */
  rulesetFile(): Uint8Array | null {
    // Written when read: address-set updates come one per inventory change, and re-encoding
    // thousands of rules for each of them was most of a large lab's boot.
    // From a shared blob it is joined for each reader and not kept: keeping it would give every host its own copy of the lists.
    if (this.fileParts) return joinRuleSet(this.fileParts.head, this.fileParts.lists);
    if (!this.file && this.ruleSet) this.file = encodeRuleSet(this.ruleSet, this.state.scopedRuleIds);
    return this.file;
  }

  currentRuleSet(): HostRuleSet | null {
    if (!this.ruleSet && this.file) this.ruleSet = decodeRuleSet(this.file, this.lines).ruleSet;
    return this.ruleSet;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  private start(ctx: ComponentContext, why: string): void {
    const s = this.state;
    s.service = 'running';
    s.incarnation++;
    s.pid = FIRST_PID + 11 * (s.incarnation - 1);
    s.heartbeatLost = false;
    s.lastHeartbeat = null;
    this.log(ctx, 'INFO', `vShield-Stateful-Firewall starting (pid ${s.pid}, ${why})`);
    this.open(ctx);
    for (const [what, every] of [['sample', SAMPLE_INTERVAL_MS], ['live', LIVE_INTERVAL_MS], ['aggregate', AGGREGATE_INTERVAL_MS]] as const) this.schedule(what, every, ctx);
  }

  private schedule(what: Tick, delay: number, ctx: ComponentContext): void {
    ctx.send(hostAddress(this.host.id), 'vsfwd-tick', { incarnation: this.state.incarnation, what }, delay);
  }

  private open(ctx: ComponentContext): void {
    this.state.connection = { state: 'connecting' };
    ctx.send(BUS, AMQP.open, { client: this.host.id, role: 'host', ip: this.host.state.mgmtIp });
  }

  private connected(ok: OpenOk, ctx: ComponentContext): void {
    this.state.connection = { state: 'established', localPort: ok.localPort, brokerIp: ok.brokerIp, since: ctx.now() };
    this.log(ctx, 'INFO', `Connected to RabbitMQ broker ${ok.brokerIp}:5671, consuming queue ${ok.queue}`);
    const applied = this.state.applied?.generation ?? 0;
    this.publish('SyncRequest', encodePayload('SyncRequest', { hostId: this.host.id, reason: 'vsfwd connected', appliedGeneration: BigInt(applied) }), ctx);
    this.log(ctx, 'INFO', `Requesting full sync from NSX Manager (applied generation ${applied})`);
  }

  private disconnected(reason: string, ctx: ComponentContext): void {
    const was = this.state.connection.state;
    this.state.connection = { state: 'closed' };
    this.log(ctx, 'WARN', was === 'established' ? `Connection to RabbitMQ broker lost: ${reason}` : `Cannot connect to RabbitMQ broker: ${reason}`);
    this.schedule('reconnect', RECONNECT_INTERVAL_MS, ctx);
  }

  private dropConnection(ctx: ComponentContext): void {
    if (this.state.connection.state !== 'closed') ctx.send(BUS, AMQP.close, {});
    this.state.connection = { state: 'closed' };
  }

  private tick(what: Tick, ctx: ComponentContext): void {
    if (what === 'watchdog') {
      if (this.state.service !== 'crashed') return;
      this.log(ctx, 'INFO', 'watchdog: vsfwd is not running, restarting it');
      return this.start(ctx, 'restarted by the watchdog');
    }
    if (!this.running) return;
    switch (what) {
      case 'reconnect':
        if (this.state.connection.state === 'closed') this.open(ctx);
        return;
      case 'sample':
        this.sampleThresholds(ctx);
        this.checkHeartbeat(ctx);
        break;
      case 'live':
        this.reportLiveFlows(ctx);
        break;
      case 'aggregate':
        this.reportAggregatedFlows(ctx);
        break;
    }
    this.schedule(what, what === 'sample' ? SAMPLE_INTERVAL_MS : what === 'live' ? LIVE_INTERVAL_MS : AGGREGATE_INTERVAL_MS, ctx);
  }

  // ---- messages from NSX Manager ------------------------------------------------------------

  private receive(d: Delivery, ctx: ComponentContext): void {
    ctx.send(BUS, AMQP.ack, { deliveryTag: d.deliveryTag });
    const bytes = new Uint8Array(d.payload);
    if (d.type !== 'Heartbeat') this.log(ctx, 'INFO', `Received vsa message of ${d.type}, length ${ruleSetLength(bytes, d.lists)}`);
    switch (d.type) {
      case 'RuleSet':
        return this.applyRuleSet(bytes, d.lists, Number(d.headers?.generation ?? 0), ctx);
      case 'AddressSetUpdate':
        return this.applyAddressSets(bytes, ctx);
      case 'ThresholdConfig': {
        const m = decodePayload('ThresholdConfig', bytes);
        this.state.thresholds.config = { cpu: m.cpuPercent, memory: m.memoryPercent, cps: m.connectionsPerSecond };
        this.log(ctx, 'INFO', `Loaded threshold config: cpu ${m.cpuPercent}%, memory ${m.memoryPercent}%, cps ${m.connectionsPerSecond}`);
        return;
      }
      case 'FlowConfiguration': {
        const m = decodePayload('FlowConfiguration', bytes);
        this.state.flowConfig = { collectFlows: m.collectFlows, ignoreBlockedFlows: m.ignoreBlockedFlows, ignoreLayer2Flows: m.ignoreLayer2Flows };
        // Seed 000's vsfwd.log quotes these two lines for a flow configuration push.
        this.log(ctx, 'INFO', `Processed vsa message FlowConfiguration: ${bytes.length}`);
        this.log(ctx, 'INFO', `Loaded flow config: [${bytes.length}]`);
        return;
      }
      case 'Heartbeat': {
        const m = decodePayload('Heartbeat', bytes);
        this.state.lastHeartbeat = { seq: Number(m.seq), at: ctx.now() };
        this.log(ctx, 'INFO', `Received HeartBeat Seq ${m.seq} , Sending response`);
        this.publish('HeartbeatResponse', encodePayload('HeartbeatResponse', { hostId: this.host.id, seq: m.seq }), ctx);
        if (this.state.heartbeatLost) {
          this.state.heartbeatLost = false;
          ctx.emit({ kind: 'system', text: `vsfwd on host ${this.host.state.name}: heartbeats from NSX Manager resumed (seq ${m.seq})` });
        }
        return;
      }
      default:
        this.log(ctx, 'WARN', `Ignoring unexpected ${d.type} message`);
    }
  }

  /** `lists`: the rule lists' blob when they came apart from the head (shared with other hosts: read, never written). */
  private applyRuleSet(bytes: Uint8Array, lists: RuleListsBlob | undefined, headerGeneration: number, ctx: ComponentContext): void {
    let decoded;
    try {
      decoded = decodeRuleSet(bytes, this.lines, lists && new Uint8Array(lists.bytes), lists?.origins);
    } catch (err) {
      return this.fail(headerGeneration, 2, `cannot decode RuleSet: ${(err as Error).message}`, ctx);
    }
    const rs = decoded.ruleSet;
    if (this.state.applied && rs.generation < this.state.applied.generation) {
      this.log(ctx, 'INFO', `Ignoring RuleSet generation ${rs.generation}: generation ${this.state.applied.generation} is already applied`);
      return;
    }
    this.log(ctx, 'INFO', `Processed vsa message RuleSet: ${ruleSetLength(bytes, lists)}`);
    this.log(ctx, 'INFO', `applying firewall config to vnic list on host ${this.host.id}`);
    // Seed 000's vsfwd.log: with a default rule that drops, TCP strict applies to it.
    // Slot 4 (serviceinstance) filters hold redirect lines, not a default rule.
    const sfwFilters = Object.entries(rs.filters).filter(([name]) => !isServiceInstanceFilter(name));
    if (sfwFilters.some(([, f]) => f.l3.at(-1)?.action !== undefined && f.l3.at(-1)!.action !== 'allow')) this.log(ctx, 'INFO', 'Enabling TCP strict policy for default drop rule.');
    const kernel = this.host.datapath as Datapath & Partial<ResourceKernel>;
    const memory = kernel.resourceCounts ? checkRuleMemory(this.host.state, kernel.resourceCounts(), rs, ctx.now()) : { fits: true as const };
    if (!memory.fits) {
      const mb = (b: number) => (b / (1024 * 1024)).toFixed(1);
      const why = `${memory.ruleLines} rule lines need ${mb(memory.neededBytes)} MB of DFW memory, more than the ${mb(memory.totalMaxBytes)} MB total max size (vsip heaps); the filters keep generation ${this.state.applied?.generation ?? 'none'}`;
      this.log(ctx, 'ERROR', `Failed to apply firewall rule to vnic ${memory.filter}: ${why}`);
      return this.fail(rs.generation, RULE_NOT_APPLIED, why, ctx);
    }
    try {
      this.host.datapath.program(rs);
    } catch (err) {
      return this.fail(rs.generation, 3, `vSIP refused the rules: ${(err as Error).message}`, ctx);
    }
    this.ruleSet = rs;
    // The delivered head is this host's own copy and the lists are never written: both are kept as they came.
    if (lists) [this.file, this.fileParts] = [null, { head: bytes, lists }];
    else [this.file, this.fileParts] = [bytes, null];
    this.state.scopedRuleIds = decoded.scopedRuleIds;
    const rulesets = [...new Set(Object.values(rs.filters).map((f) => f.ruleset))].sort();
    this.state.applied = { generation: rs.generation, rulesets, at: ctx.now() };
    for (const name of Object.keys(rs.filters)) this.log(ctx, 'INFO', `sending event: applied ${isServiceInstanceFilter(name) ? 'serviceinstance redirect' : 'vmware-sfw'} ruleset ${rs.generation} for vnic ${name}`);
    this.log(ctx, 'INFO', `successfully saved config to file ${RULESET_FILE}`);
    this.log(ctx, 'INFO', `Sending vsa reply of ${rulesets[0] ?? this.host.state.cluster} host ${this.host.id}: 0`);
    this.reply(rs.generation, PublishStatus.SUCCEEDED, 0, '', sfwFilters.length, ctx);
  }

  private applyAddressSets(bytes: Uint8Array, ctx: ComponentContext): void {
    const m = decodePayload('AddressSetUpdate', bytes);
    const current = this.currentRuleSet();
    if (!current) return this.log(ctx, 'WARN', 'Address sets received before any rule set: waiting for the full sync');
    const next = { ...current, addressSets: addressSetsFromPb(m.addressSets), spoofGuard: spoofGuardFromPb(m.spoofGuard) };
    this.host.datapath.program(next);
    this.ruleSet = next;
    [this.file, this.fileParts] = [null, null]; // out of date: rulesetFile() writes it again when read
    this.log(ctx, 'INFO', `Processed vsa message AddressSetUpdate: ${m.addressSets.length} address sets updated`);
  }

  private fail(generation: number, code: number, message: string, ctx: ComponentContext): void {
    this.log(ctx, 'ERROR', `Failed to apply firewall config generation ${generation}: ${message}`);
    this.log(ctx, 'INFO', `Sending vsa reply of ${this.host.state.cluster} host ${this.host.id}: ${code}`);
    this.reply(generation, PublishStatus.FAILED, code, message, 0, ctx);
  }

  private reply(generation: number, status: PublishStatus, errorCode: number, message: string, filtersApplied: number, ctx: ComponentContext): void {
    const bytes = encodePayload('PublishReply', { hostId: this.host.id, clusterId: this.host.state.cluster, generation: BigInt(generation), status, errorCode, message, filtersApplied });
    this.publish('PublishReply', bytes, ctx);
  }

  // ---- reports ------------------------------------------------------------------------------

  private sampleThresholds(ctx: ComponentContext): void {
    const kernel = this.host.datapath as Datapath & Partial<ResourceKernel>;
    const rates = takeRates(this.state.thresholds);
    if (!kernel.resourceCounts || !kernel.setResources) return;
    const reading = readResources(this.host.state, kernel.resourceCounts(), rates, ctx.now());
    const was = this.state.heapExhausted ?? false;
    kernel.setResources(reading.use);
    if (reading.use.exhausted !== was) this.heapChanged(reading.use, ctx);
    const samples = sample(this.state.thresholds, ctx.now(), { cpu: reading.use.cpuPercent, memory: reading.use.memoryPercent, cps: reading.connectionsPerSecond });
    for (const s of samples.filter((x) => x.alarm)) {
      const text = `DFW ${THRESHOLD_LABELS[s.name]} threshold crossed on host ${this.host.state.name}: ${s.value} > ${s.threshold} for 20 consecutive samples within 200 s`;
      ctx.emit({ kind: 'system', severity: 'warn', text, data: { threshold: s.name, value: s.value, limit: s.threshold } });
      this.log(ctx, 'WARN', text);
    }
    const kind = (n: (typeof THRESHOLD_NAMES)[number]) => (n === 'cpu' ? ThresholdKind.CPU : n === 'memory' ? ThresholdKind.MEMORY : ThresholdKind.CPS);
    const bytes = encodePayload('ThresholdReport', {
      hostId: this.host.id,
      atMs: BigInt(ctx.now()),
      samples: samples.map((s) => ({ kind: kind(s.name), value: s.value, threshold: s.threshold, consecutive: s.consecutive })),
      alarms: samples.filter((s) => s.alarm).map((s) => kind(s.name)),
    });
    this.publish('ThresholdReport', bytes, ctx);
  }

  /** The DFW heap ran out or has room again: the slot's failure policy (failClosed) now decides new connections. */
  private heapChanged(use: ResourceUse, ctx: ComponentContext): void {
    this.state.heapExhausted = use.exhausted;
    const mb = (b: number) => Math.round(b / (1024 * 1024));
    const name = this.host.state.name;
    const text = use.exhausted
      ? `DFW memory exhausted on host ${name}: ${mb(use.usedBytes)} MB needed, ${mb(use.totalMaxBytes)} MB total max size; vmware-sfw is failClosed, new connections are dropped`
      : `DFW memory available again on host ${name}: ${mb(use.usedBytes)} MB of ${mb(use.totalMaxBytes)} MB; new connections are accepted`;
    ctx.emit({ kind: 'system', severity: use.exhausted ? 'error' : 'info', text, data: { hostId: this.host.id, usedBytes: use.usedBytes, totalMaxBytes: use.totalMaxBytes } });
    this.log(ctx, use.exhausted ? 'ERROR' : 'INFO', text);
  }

  private checkHeartbeat(ctx: ComponentContext): void {
    const c = this.state.connection;
    if (c.state !== 'established' || this.state.heartbeatLost) return;
    const last = this.state.lastHeartbeat?.at ?? c.since!;
    const silent = ctx.now() - last;
    if (silent <= HEARTBEATS_MISSED_LIMIT * HEARTBEAT_INTERVAL_MS) return;
    this.state.heartbeatLost = true;
    const text = `vsfwd on host ${this.host.state.name}: no heartbeat from NSX Manager for ${Math.round(silent / 1000)} s`;
    ctx.emit({ kind: 'system', severity: 'warn', text });
    this.log(ctx, 'WARN', text);
  }

  /** Flows NSX Manager's flow configuration lets through: none when collection is off, no blocked ones when it ignores them. */
  private collected(flows: FlowRecord[]): FlowRecord[] {
    const c = this.state.flowConfig;
    if (!c) return flows;
    if (!c.collectFlows) return [];
    return c.ignoreBlockedFlows ? flows.filter((f) => f.blocked === 0) : flows;
  }

  private reportLiveFlows(ctx: ComponentContext): void {
    const flows = this.collected(liveFlows(this.state.flows, this.state.lastLive));
    this.state.lastLive = ctx.now() + 1; // what happened up to now is reported
    if (!flows.length || this.state.connection.state !== 'established') return;
    const bytes = encodePayload('FlowReport', { hostId: this.host.id, kind: FlowKind.LIVE, startMs: BigInt(ctx.now() - LIVE_INTERVAL_MS), endMs: BigInt(ctx.now()), flows: flows.map(flowToPb) });
    this.publish('FlowReport', bytes, ctx);
  }

  private reportAggregatedFlows(ctx: ComponentContext): void {
    if (this.state.connection.state !== 'established') return; // keep collecting until the manager can be told
    const start = this.state.flows.windowStart;
    const flows = this.collected(closeWindow(this.state.flows, ctx.now()));
    if (!flows.length) return;
    const bytes = encodePayload('FlowReport', { hostId: this.host.id, kind: FlowKind.AGGREGATED, startMs: BigInt(start), endMs: BigInt(ctx.now()), flows: flows.map(flowToPb) });
    this.publish('FlowReport', bytes, ctx);
    this.log(ctx, 'INFO', `rmqFlowDataPush: sent ${flows.length} aggregated flows`);
  }

  /**
   * Tells the manager what sw-sec learned (ARP/DHCP snooping, Tools) when it changed, so
   * SpoofGuard can list, approve and trust the addresses on first use.
   */
  reportBindings(ctx: ComponentContext): void {
    const datapath = this.host.datapath as Datapath & { discoveredBindings?: () => { vnicId?: string; mac: string; ip: string; source: string; approved: boolean; firstLearned: boolean }[] };
    if (!datapath.discoveredBindings || this.state.connection.state !== 'established') return;
    const bindings = datapath.discoveredBindings().filter((b) => b.vnicId).map((b) => ({ vnicId: b.vnicId!, mac: b.mac, ip: b.ip, source: b.source, approved: b.approved, firstLearned: b.firstLearned }));
    const signature = JSON.stringify(bindings);
    if (signature === this.state.reportedBindings) return;
    this.state.reportedBindings = signature;
    this.publish('BindingReport', encodePayload('BindingReport', { hostId: this.host.id, bindings }), ctx);
  }

  private publish(type: PayloadType, bytes: Uint8Array, ctx: ComponentContext): void {
    if (this.state.connection.state !== 'established') return;
    ctx.send(BUS, AMQP.publish, { exchange: MANAGER_EXCHANGE, routingKey: MANAGER_QUEUE, type, payload: toBuffer(bytes) });
  }

  private log(ctx: ComponentContext, level: LogLevel, text: string): void {
    const line = logLine(ctx.now(), level, text);
    appendLog(this.state.log, line);
    ctx.emit({ kind: 'log', file: VSFWD_LOG, severity: level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error', text: `vsfwd: [${level}] ${text}` });
  }
}
