/**
 * NSX Manager as a lab component: REST requests and publishes come in as messages; rule
 * sets, address-set updates, thresholds and heartbeats go out to the hosts over the message
 * bus (workers/bus/manager-link.ts), and the hosts' replies become publish status, flows and
 * threshold views. The appliance can be down: it then answers nothing, pushes nothing and
 * its bus connection is closed; coming back up it pushes everything again.
 */
import type { LoginAttempt } from './access-log';
import type { Component, ComponentContext, Envelope } from '../lab/component';
import type { EventInput } from '../protocol/events';
import type { SimContext } from '../lab/context';
import type { HostRuleSet } from '../protocol/ruleset';
import { AMQP } from '../protocol/amqp';
import { replier, unknownMessage, type MessageOf } from '../protocol/messages/envelope';
import type { ManagerMessages } from '../protocol/messages/manager';
import { VCENTER } from '../protocol/messages/vcenter';
import type { RestRequest, RestResponse } from '../protocol/rest';
import { parseXml } from '../protocol/nsx-xml';
import { decodeFlowConfig } from '../protocol/nsx/flow-config';
import { decodeThresholds } from '../protocol/nsx/thresholds';
import { initialLinkState, ManagerLink, type ManagerLinkState, type ManagerSide } from './bus-link';
import { NsxManager, type ManagerState, type ManagerUpdate } from './manager';
import { FLOW_CONFIG_PATH } from './rest/flow-config-routes';

export interface ManagerComponentState {
  manager: ManagerState;
  up: boolean;
  /** The lab clock when the state was built: a fresh manager stamps its default configuration with it. */
  epoch: number;
  /** The manager's end of the message bus (absent in labs saved before the bus existed). */
  bus?: ManagerLinkState;
  /** Each host's last report of discovered addresses; SpoofGuard works on their union. */
  bindingReports?: Record<string, { vnicId: string; mac: string; ip: string; approved: boolean }[]>;
}

const THRESHOLDS_PATH = '/api/4.0/firewall/stats/eventthresholds';
const READ_METHODS = new Set(['GET', 'HEAD']);

function isRestRead(req: RestRequest): boolean {
  return READ_METHODS.has(String(req.method).toUpperCase());
}

export class ManagerComponent implements Component {
  readonly manager: NsxManager;
  private readonly link: ManagerLink;
  private ctx: ComponentContext | null = null;
  private updates: ManagerUpdate[] = [];
  /** Rule sets of the published configuration for the live inventory; recomputed after each update. */
  private current: Map<string, HostRuleSet> | null = null;
  private scoped: { generation: number; ids: number[] } | null = null;
  private hosts: { moid: string; name: string }[];
  private readonly ip: string;

  constructor(
    readonly id: string,
    private state: ManagerComponentState,
    /** The state is this component's own, as a unit hands it (see NsxManager's `owned`). */
    { owned = false }: { owned?: boolean } = {},
  ) {
    const sim: SimContext = {
      now: () => this.ctx?.now() ?? state.epoch,
      random: () => this.ctx?.random() ?? 0,
      emit: (e: EventInput) => this.ctx?.emit(e),
    };
    this.manager = new NsxManager(state.manager, sim, { owned });
    this.manager.onUpdate((u) => this.updates.push(u));
    this.hosts = state.manager.inventory.hosts.map((h) => ({ moid: h.moid, name: h.name }));
    this.ip = state.manager.inventory.vms.find((v) => v.role === 'nsx-manager')?.guestIps[0] ?? '0.0.0.0';
    this.link = new ManagerLink((state.bus ??= initialLinkState()), this.side());
  }

  /** snapshot() builds its value from clones (NsxManager.snapshot clones its state): a dry run keeps it as it is. */
  readonly snapshotIsCopy = true;

  snapshot(): ManagerComponentState {
    return { manager: this.manager.snapshot(), up: this.state.up, epoch: this.state.epoch, bus: structuredClone(this.state.bus), ...(this.state.bindingReports ? { bindingReports: structuredClone(this.state.bindingReports) } : {}) };
  }

  /**
   * A REST read (GET, HEAD) is a query: NSX Manager answers it from its state outside any
   * transaction, with no audit line, event, counter or message. So is the login each curl
   * request makes while that user's session is fresh (it writes no audit line then). Not before
   * the bus link runs: the first message of all starts it.
   */
  isQuery(msg: Envelope, now: number): boolean {
    if (!this.link.started) return false;
    if (msg.kind === 'rest') return isRestRead(msg.body as RestRequest);
    return msg.kind === 'login' && this.state.up && this.manager.loginIsFresh(msg.body as LoginAttempt, now);
  }

  handle(msg: Envelope, ctx: ComponentContext): void {
    this.ctx = ctx;
    try {
      this.link.start(ctx);
      this.dispatch(msg, ctx);
      this.distribute(ctx);
    } finally {
      this.ctx = null;
    }
  }

  private dispatch(envelope: Envelope, ctx: ComponentContext): void {
    const msg = envelope as MessageOf<ManagerMessages>;
    const reply = replier<ManagerMessages>(ctx);
    // The bus connection and the heartbeat clock run whether or not the appliance answers.
    if (msg.kind !== 'appliance' && msg.kind !== AMQP.deliver && this.link.handle(msg, ctx)) return;
    if (!this.state.up && msg.kind !== 'appliance') {
      // A down appliance answers nothing: requests time out, as an HTTP client would see.
      if (msg.requestId !== undefined) ctx.reply({ error: 'NSX Manager is not reachable (the appliance is down)' });
      return;
    }
    switch (msg.kind) {
      case 'appliance':
        this.appliance(msg.body.state === 'up', ctx);
        if (msg.requestId !== undefined) reply(msg, { ok: true });
        return;
      case 'bus-start':
      case 'bus-heartbeat':
      case AMQP.openOk:
      case AMQP.refused:
      case AMQP.closed:
      case AMQP.deliver:
        this.link.handle(msg, ctx);
        return;
      case 'rest':
        return this.rest(msg.body, (res) => reply(msg, res), ctx);
      case 'publish':
        reply(msg, { generation: this.manager.publish().generation });
        return;
      case 'login':
        this.manager.login({ user: msg.body.user, via: msg.body.via, ok: msg.body.ok });
        reply(msg, { ok: true });
        return;
      case 'inventory-changed':
        this.hosts = msg.body.hosts.map((h) => ({ moid: h.moid, name: h.name }));
        this.manager.setInventory(msg.body);
        return;
      case 'host-prep-status':
        this.manager.recordHostPrep(msg.body);
        return;
      case 'bus-view':
        reply(msg, { thresholds: this.link.thresholdViews(), liveFlows: this.link.liveFlows() });
        return;
      case 'threshold-history':
        reply(msg, this.link.thresholdHistory(msg.body.since ?? {}));
        return;
      case 'identity-event':
        this.manager.identity.report(msg.body);
        return;
      case 'identity-view':
        reply(msg, this.manager.identity.view());
        return;
      case 'identity-edit':
        try {
          this.manager.identity.edit(msg.body);
          reply(msg, { ok: true, view: this.manager.identity.view() });
        } catch (e) {
          reply(msg, { ok: false, error: (e as Error).message });
        }
        return;
      case 'identity-explain':
        reply(msg, { text: this.manager.identity.explain(msg.body.ruleId, msg.body.src, msg.body.dst) ?? null });
        return;
      default:
        unknownMessage(this.id, msg);
    }
  }

  private appliance(up: boolean, ctx: ComponentContext): void {
    const was = this.state.up;
    this.state.up = up;
    ctx.emit({ kind: 'system', severity: up ? 'info' : 'warn', text: `NSX Manager appliance ${up ? 'is up' : 'is down'}` });
    if (was && !up) this.link.disconnect(ctx);
    // Back up: it asks vCenter for the inventory it missed (vMotions, power, Tools) and, once its
    // bus connection is open again, pushes every host its rules.
    if (!was && up) {
      ctx.send(VCENTER, 'subscribe', {});
      this.link.connect(ctx, true);
    }
  }

  private rest(req: RestRequest, answer: (res: RestResponse) => void, ctx: ComponentContext): void {
    const res = this.manager.rest(req);
    answer(res);
    for (const m of this.manager.takeOutbox()) {
      switch (m.kind) {
        case 'svm-deploy':
          ctx.send(m.to, m.kind, m.body);
          break;
        case 'eam-install':
        case 'eam-resolve':
          ctx.send(m.to, m.kind, m.body);
          break;
        default:
          unknownMessage(this.id, m);
      }
    }
    if (req.method.toUpperCase() === 'PUT' && req.path.split('?')[0] === THRESHOLDS_PATH && res.status < 300) this.link.pushThresholds(this.hosts.map((h) => h.moid), ctx);
    if (req.method.toUpperCase() === 'PUT' && req.path.split('?')[0] === FLOW_CONFIG_PATH && res.status < 300) this.link.pushFlowConfig(this.hosts.map((h) => h.moid), ctx);
  }

  private pushAll(ctx: ComponentContext): void {
    for (const rs of this.ruleSets().values()) this.link.pushRuleSet(rs, ctx);
  }

  /** Sends what the manager's updates changed: whole rule sets after a publish, address sets after object changes. */
  private distribute(ctx: ComponentContext): void {
    const updates = this.updates;
    if (!updates.length) return;
    this.updates = [];
    const published = new Map<string, HostRuleSet>();
    const forced = new Set<string>();
    const objects = new Map<string, HostRuleSet>();
    for (const u of updates) {
      for (const rs of u.hosts) {
        (u.reason === 'publish' ? published : objects).set(rs.hostId, rs);
        if (u.forced) forced.add(rs.hostId);
        if (u.reason === 'publish') objects.delete(rs.hostId);
      }
    }
    this.current ??= new Map();
    for (const [hostId, rs] of [...published, ...objects]) this.current.set(hostId, rs);
    for (const rs of published.values()) {
      if (forced.has(rs.hostId)) this.link.pushRuleSet(rs, ctx);
      else this.link.publishRuleSet(rs, ctx);
    }
    for (const rs of objects.values()) this.link.pushObjects(rs, ctx);
  }

  private ruleSets(): Map<string, HostRuleSet> {
    if (!this.current || this.hosts.some((h) => !this.current!.has(h.moid))) this.current = new Map(this.manager.hostRuleSets().map((rs) => [rs.hostId, rs] as const));
    return this.current;
  }

  /** Rules whose Applied To names specific objects: a VM arriving from elsewhere runs without them until told. */
  private scopedRuleIds(generation: number): number[] {
    if (this.scoped?.generation !== generation) this.scoped = { generation, ids: this.manager.scopedRuleIds() };
    return this.scoped.ids;
  }

  private side(): ManagerSide {
    return {
      id: this.id,
      ip: this.ip,
      isUp: () => this.state.up,
      hostIds: () => this.hosts.map((h) => h.moid),
      hostName: (hostId) => this.hosts.find((h) => h.moid === hostId)?.name ?? hostId,
      ruleSetFor: (hostId) => this.ruleSets().get(hostId),
      scopedRuleIds: (generation) => this.scopedRuleIds(generation),
      onReconnected: () => this.pushAll(this.ctx!),
      thresholds: () => {
        const read = decodeThresholds(parseXml(this.manager.rest({ method: 'GET', path: THRESHOLDS_PATH }).body));
        const t = read.ok ? read.value : {};
        return { cpuPercent: t.cpuPercent ?? 0, memoryPercent: t.memoryPercent ?? 0, connectionsPerSecond: t.connectionsPerSecond ?? 0 };
      },
      flowConfig: () => {
        const none = { collectFlows: false, ignoreBlockedFlows: false, ignoreLayer2Flows: false };
        const read = decodeFlowConfig(parseXml(this.manager.rest({ method: 'GET', path: FLOW_CONFIG_PATH }).body), none);
        return read.ok ? read.value : none;
      },
      markHostStatus: (hostId, generation, status, error, errorCode) => this.manager.markHostStatus(hostId, generation, status, error, errorCode),
      markHostUpToDate: (hostId, generation) => this.manager.markHostUpToDate(hostId, generation),
      recordFlows: (records) => this.manager.recordFlows(records),
      reportBindings: (hostId, bindings) => {
        const reports = (this.state.bindingReports ??= {});
        reports[hostId] = bindings;
        this.manager.setSpoofGuardBindings(Object.keys(reports).sort().flatMap((h) => reports[h]));
      },
    };
  }
}
