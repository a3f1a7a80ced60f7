/**
 * NSX Manager's side of the message bus: it connects to the broker, publishes each host's
 * RuleSet (or only new address sets when the rules did not change), sends heartbeats with
 * sequence numbers and notices hosts that stop answering, and turns what hosts send back
 * (publish replies, sync requests, flow and threshold reports) into manager calls.
 */
import type { ComponentContext } from '../lab/component';
import type { HostRuleSet } from '../protocol/ruleset';
import type { FlowRecord, ReportedBinding, ThresholdView } from '../protocol/host-reports';
import { FlowKind, PublishStatus } from '../protocol/gen/vsfw_pb';
import { BUS } from '../protocol/messages/bus';
import type { ManagerLinkMessages, ManagerMessages } from '../protocol/messages/manager';
import type { Address, MessageOf } from '../protocol/messages/envelope';
import { AMQP, HEARTBEAT_INTERVAL_MS, HEARTBEATS_MISSED_LIMIT, HOSTS_EXCHANGE, type Delivery, type PayloadType } from '../protocol/amqp';
import { toBuffer } from '../protocol/bytes';
import { addressSetsToPb, encodeRuleSetParts, spoofGuardToPb } from '../protocol/codec/ruleset-codec';
import type { RuleListsBlob } from '../protocol/shared-rule-lists';
import { ruleSignature } from '../protocol/codec/signature';
import { contentSignature } from '../protocol/codec/content-signature';
import { flowFromPb } from '../protocol/codec/flows';
import { decodePayload, encodePayload } from '../protocol/payloads';

interface HostLink {
  /** Last heartbeat sequence number sent and answered. */
  sent: number;
  answered: number;
  down: boolean;
  /** ruleSignature() of the last RuleSet sent. */
  signature?: string;
  /** contentSignature() of the last RuleSet sent, with its generation. */
  pushed?: { generation: number; content: string };
  /** contentSignature() of what the host last acknowledged applying (absent when unknown or failed). */
  applied?: string;
}

/** Reports kept per host: half an hour of lab time at one report every 10 s. */
export const THRESHOLD_HISTORY_LIMIT = 180;

export interface ManagerLinkState {
  started: boolean;
  connected: boolean;
  heartbeatSeq: number;
  hosts: Record<string, HostLink>;
  thresholds: Record<string, ThresholdView>;
  /** Each host's recent reports, oldest first (the Charts screen's history, saved with the lab; absent in labs saved before it). */
  thresholdHistory?: Record<string, ThresholdView[]>;
  liveFlows: Record<string, FlowRecord[]>;
  /** Set while reconnecting after the appliance was down: everything is pushed again once connected. */
  resyncOnConnect?: boolean;
}

export function initialLinkState(): ManagerLinkState {
  return { started: false, connected: false, heartbeatSeq: 0, hosts: {}, thresholds: {}, liveFlows: {} };
}

/** What the link needs from NSX Manager. */
export interface ManagerSide {
  readonly id: Address<ManagerLinkMessages>;
  readonly ip: string;
  isUp(): boolean;
  hostIds(): string[];
  hostName(hostId: string): string;
  /** The current rule set for a host and the rule ids scoped by Applied To. */
  ruleSetFor(hostId: string): HostRuleSet | undefined;
  scopedRuleIds(generation: number): number[];
  /** The connection is back after the appliance was down. */
  onReconnected(): void;
  thresholds(): { cpuPercent: number; memoryPercent: number; connectionsPerSecond: number };
  flowConfig(): { collectFlows: boolean; ignoreBlockedFlows: boolean; ignoreLayer2Flows: boolean };
  markHostStatus(hostId: string, generation: number, status: 'published' | 'failed' | 'inprogress', error?: string, errorCode?: number): void;
  /** A publish left the host's rule set as it is: it gets no message and counts as up to date. */
  markHostUpToDate(hostId: string, generation: number): void;
  recordFlows(records: FlowRecord[]): void;
  /** A host's complete list of discovered vNIC addresses, for SpoofGuard. */
  reportBindings(hostId: string, bindings: ReportedBinding[]): void;
}

const THRESHOLD_NAMES = ['cpu', 'memory', 'connections per second'];

export class ManagerLink {
  constructor(
    private readonly state: ManagerLinkState,
    private readonly side: ManagerSide,
  ) {}

  /** Whether the link runs (its first message started it): until then any message changes its state. */
  get started(): boolean {
    return this.state.started;
  }

  /** First message of a booted lab: connect and start the heartbeat clock. */
  start(ctx: ComponentContext): void {
    if (this.state.started) return;
    this.state.started = true;
    this.connect(ctx);
    ctx.send(this.side.id, 'bus-heartbeat', {}, HEARTBEAT_INTERVAL_MS);
  }

  connect(ctx: ComponentContext, resync = false): void {
    this.state.resyncOnConnect = resync;
    ctx.send(BUS, AMQP.open, { client: this.side.id, role: 'manager', ip: this.side.ip });
  }

  disconnect(ctx: ComponentContext): void {
    this.state.connected = false;
    for (const h of Object.values(this.state.hosts)) h.answered = h.sent; // nobody counts while the manager is away
    ctx.send(BUS, AMQP.close, {});
  }

  /** Handles the link's own messages (true) and leaves the manager's others (false). */
  handle(msg: MessageOf<ManagerMessages>, ctx: ComponentContext): boolean {
    switch (msg.kind) {
      case 'bus-start':
        return true; // start() already ran on this first message
      case AMQP.openOk:
        this.state.connected = true;
        if (this.state.resyncOnConnect) {
          this.state.resyncOnConnect = false;
          this.side.onReconnected();
        }
        return true;
      case AMQP.refused:
      case AMQP.closed:
        this.state.connected = false;
        return true;
      case AMQP.deliver:
        this.receive(msg.body, ctx);
        return true;
      case 'bus-heartbeat':
        this.heartbeat(ctx);
        ctx.send(this.side.id, 'bus-heartbeat', {}, HEARTBEAT_INTERVAL_MS);
        return true;
      default:
        return false;
    }
  }

  /**
   * A publish: the host gets its new rule set only when the content differs from what it
   * acknowledged last (Applied To scopes the push); otherwise it is up to date as it is.
   */
  publishRuleSet(rs: HostRuleSet, ctx: ComponentContext): void {
    const h = this.hostLink(rs.hostId);
    const content = contentSignature(rs);
    if (h.applied === undefined || h.applied !== content) return this.pushRuleSet(rs, ctx, content);
    h.signature = ruleSignature(rs);
    this.side.markHostUpToDate(rs.hostId, rs.generation);
  }

  /** A host's full rule set, as a forced publish or a resync sends it; its publish status goes in progress. */
  pushRuleSet(rs: HostRuleSet, ctx: ComponentContext, content = contentSignature(rs)): void {
    this.side.markHostStatus(rs.hostId, rs.generation, 'inprogress');
    const h = this.hostLink(rs.hostId);
    h.signature = ruleSignature(rs);
    h.pushed = { generation: rs.generation, content };
    // The lists go as one blob shared by every host that runs the same lists; the head is this host's own.
    const { head, lists } = encodeRuleSetParts(rs, this.side.scopedRuleIds(rs.generation));
    this.publish(rs.hostId, 'RuleSet', head, ctx, { generation: rs.generation }, undefined, lists);
  }

  /** After an inventory or grouping-object change: only address sets, unless the rules moved too. */
  pushObjects(rs: HostRuleSet, ctx: ComponentContext): void {
    const h = this.hostLink(rs.hostId);
    if (h.signature !== ruleSignature(rs)) return this.pushRuleSet(rs, ctx);
    if (h.applied !== undefined) h.applied = contentSignature(rs);
    const bytes = encodePayload('AddressSetUpdate', { hostId: rs.hostId, generation: BigInt(rs.generation), objectsGeneration: BigInt(ctx.now()), addressSets: addressSetsToPb(rs.addressSets), spoofGuard: spoofGuardToPb(rs.spoofGuard) });
    this.publish(rs.hostId, 'AddressSetUpdate', bytes, ctx, { generation: rs.generation });
  }

  pushThresholds(hostIds: string[], ctx: ComponentContext): void {
    const t = this.side.thresholds();
    const bytes = encodePayload('ThresholdConfig', { cpuPercent: t.cpuPercent, memoryPercent: t.memoryPercent, connectionsPerSecond: t.connectionsPerSecond });
    for (const h of hostIds) this.publish(h, 'ThresholdConfig', bytes, ctx);
  }

  pushFlowConfig(hostIds: string[], ctx: ComponentContext): void {
    const bytes = encodePayload('FlowConfiguration', this.side.flowConfig());
    for (const h of hostIds) this.publish(h, 'FlowConfiguration', bytes, ctx);
  }

  thresholdViews(): Record<string, ThresholdView> {
    return structuredClone(this.state.thresholds);
  }

  /** Each host's kept reports, those taken after `since[host]` (lab time, ms) when given: a host's reports arrive in order. */
  thresholdHistory(since: Record<string, number>): Record<string, ThresholdView[]> {
    const out: Record<string, ThresholdView[]> = {};
    for (const [host, reports] of Object.entries(this.state.thresholdHistory ?? {})) out[host] = structuredClone(reports.filter((r) => r.at > (since[host] ?? -Infinity)));
    return out;
  }

  liveFlows(): Record<string, FlowRecord[]> {
    return structuredClone(this.state.liveFlows);
  }

  private publish(hostId: string, type: PayloadType, bytes: Uint8Array, ctx: ComponentContext, headers?: Record<string, number>, expirationMs?: number, lists?: RuleListsBlob): void {
    // A manager without its bus connection cannot publish: the host stays pending until it resyncs.
    if (!this.state.connected) return;
    ctx.send(BUS, AMQP.publish, { exchange: HOSTS_EXCHANGE, routingKey: hostId, type, payload: toBuffer(bytes), headers, expirationMs, ...(lists ? { lists } : {}) });
  }

  private hostLink(hostId: string): HostLink {
    return (this.state.hosts[hostId] ??= { sent: 0, answered: 0, down: false });
  }

  private heartbeat(ctx: ComponentContext): void {
    if (!this.side.isUp() || !this.state.connected) return;
    const seq = ++this.state.heartbeatSeq;
    const bytes = encodePayload('Heartbeat', { seq: BigInt(seq), sentAtMs: BigInt(ctx.now()) });
    for (const hostId of this.side.hostIds()) {
      const h = this.hostLink(hostId);
      const missed = h.sent - h.answered;
      if (!h.down && missed >= HEARTBEATS_MISSED_LIMIT) {
        h.down = true;
        ctx.emit({
          kind: 'system', severity: 'error', code: 1941,
          text: `Messaging infrastructure down on host ${this.side.hostName(hostId)} (${hostId}): NSX Manager - Firewall Agent: DOWN (${missed} heartbeats unanswered)`,
          data: { hostId },
        });
      }
      h.sent = seq;
      this.publish(hostId, 'Heartbeat', bytes, ctx, undefined, HEARTBEAT_INTERVAL_MS);
    }
  }

  private receive(d: Delivery, ctx: ComponentContext): void {
    ctx.send(BUS, AMQP.ack, { deliveryTag: d.deliveryTag });
    const bytes = new Uint8Array(d.payload);
    switch (d.type) {
      case 'HeartbeatResponse': {
        const m = decodePayload('HeartbeatResponse', bytes);
        const h = this.hostLink(m.hostId);
        h.answered = Math.max(h.answered, Number(m.seq));
        if (h.down) {
          h.down = false;
          ctx.emit({ kind: 'system', code: 1938, text: `Messaging infrastructure up on host ${this.side.hostName(m.hostId)} (${m.hostId}): NSX Manager - Firewall Agent: UP`, data: { hostId: m.hostId } });
        }
        return;
      }
      case 'SyncRequest': {
        const m = decodePayload('SyncRequest', bytes);
        const h = this.hostLink(m.hostId);
        h.answered = h.sent;
        const rs = this.side.ruleSetFor(m.hostId);
        if (rs) this.pushRuleSet(rs, ctx);
        this.pushThresholds([m.hostId], ctx);
        this.pushFlowConfig([m.hostId], ctx);
        return;
      }
      case 'PublishReply': {
        const m = decodePayload('PublishReply', bytes);
        const ok = m.status === PublishStatus.SUCCEEDED;
        const h = this.hostLink(m.hostId);
        if (!ok) delete h.applied;
        else if (h.pushed?.generation === Number(m.generation)) h.applied = h.pushed.content;
        this.side.markHostStatus(m.hostId, Number(m.generation), ok ? 'published' : 'failed', ok ? undefined : m.message, ok ? undefined : m.errorCode);
        return;
      }
      case 'ThresholdReport': {
        const m = decodePayload('ThresholdReport', bytes);
        const view: ThresholdView = {
          at: Number(m.atMs),
          samples: m.samples.map((s) => ({ kind: THRESHOLD_NAMES[s.kind] ?? String(s.kind), value: s.value, threshold: s.threshold, consecutive: s.consecutive })),
          alarms: m.alarms.map((k) => THRESHOLD_NAMES[k] ?? String(k)),
        };
        this.state.thresholds[m.hostId] = view;
        const history = ((this.state.thresholdHistory ??= {})[m.hostId] ??= []);
        history.push(view);
        if (history.length > THRESHOLD_HISTORY_LIMIT) history.splice(0, history.length - THRESHOLD_HISTORY_LIMIT);
        return;
      }
      case 'BindingReport': {
        const m = decodePayload('BindingReport', bytes);
        this.side.reportBindings(m.hostId, m.bindings.map((b) => ({ vnicId: b.vnicId, mac: b.mac, ip: b.ip, approved: b.approved, firstLearned: b.firstLearned })));
        return;
      }
      case 'FlowReport': {
        const m = decodePayload('FlowReport', bytes);
        const records = m.flows.map(flowFromPb);
        if (m.kind === FlowKind.AGGREGATED) this.side.recordFlows(records);
        else this.state.liveFlows[m.hostId] = records;
        return;
      }
      default:
        throw new Error(`NSX Manager: unexpected ${d.type} on its queue`);
    }
  }
}

export type { ThresholdView } from '../protocol/host-reports';
