/**
 * NSX Manager as a lab component: REST requests and publishes come in as messages, rule
 * sets go out to the hosts, and host acknowledgements become publish status. The manager
 * appliance can be down, in which case it answers nothing and pushes nothing.
 */
import type { Component, ComponentContext, Envelope } from '../lab/component';
import type { EventInput } from '../lab/events';
import type { SimContext } from '../lab/context';
import type { HostRuleSet } from '../protocol/ruleset';
import type { Inventory } from '../vcenter/inventory';
import { NsxManager, type ManagerState, type ManagerUpdate, type RestRequest } from './manager';

export interface ManagerComponentState {
  manager: ManagerState;
  up: boolean;
  /** The lab clock when the state was built: a fresh manager stamps its default configuration with it. */
  epoch: number;
}

/** Where the manager sends a host's rule set. The control plane (bus + vsfwd) replaces the direct path. */
export type RuleSetRoute = (hostId: string) => { to: string; kind: string };

export let ruleSetRoute: RuleSetRoute = (hostId) => ({ to: hostId, kind: 'ruleset' });

export function routeRuleSets(route: RuleSetRoute): void {
  ruleSetRoute = route;
}

export class ManagerComponent implements Component {
  readonly manager: NsxManager;
  private ctx: ComponentContext | null = null;
  private updates: ManagerUpdate[] = [];

  constructor(
    readonly id: string,
    private state: ManagerComponentState,
  ) {
    const sim: SimContext = {
      now: () => this.ctx?.now() ?? state.epoch,
      random: () => this.ctx?.random() ?? 0,
      emit: (e: EventInput) => this.ctx?.emit(e),
    };
    this.manager = new NsxManager(state.manager, sim);
    this.manager.onUpdate((u) => this.updates.push(u));
  }

  snapshot(): ManagerComponentState {
    return { manager: this.manager.snapshot(), up: this.state.up, epoch: this.state.epoch };
  }

  handle(msg: Envelope, ctx: ComponentContext): void {
    this.ctx = ctx;
    try {
      this.dispatch(msg, ctx);
      this.distribute(ctx);
    } finally {
      this.ctx = null;
    }
  }

  private dispatch(msg: Envelope, ctx: ComponentContext): void {
    const body = msg.body as Record<string, unknown>;
    if (msg.kind === 'appliance') {
      this.state.up = body.state === 'up';
      ctx.emit({ kind: 'system', severity: this.state.up ? 'info' : 'warn', text: `NSX Manager appliance ${this.state.up ? 'is up' : 'is down'}` });
      if (this.state.up) this.pushAll(ctx);
      if (msg.requestId !== undefined) ctx.reply({ ok: true });
      return;
    }
    if (!this.state.up) {
      // A down appliance answers nothing: requests time out, as an HTTP client would see.
      if (msg.requestId !== undefined) ctx.reply({ error: 'NSX Manager is not reachable (the appliance is down)' });
      return;
    }
    switch (msg.kind) {
      case 'rest':
        ctx.reply(this.manager.rest(body as unknown as RestRequest));
        return;
      case 'publish':
        ctx.reply({ generation: this.manager.publish().generation });
        return;
      case 'inventory-changed':
        this.manager.setInventory(body as unknown as Inventory);
        return;
      case 'spoofguard-bindings':
        this.manager.setSpoofGuardBindings(body.bindings as { vnicId: string; mac: string; ip: string; approved: boolean }[]);
        return;
      case 'sync-all':
        this.pushAll(ctx);
        return;
      case 'ruleset-applied':
        this.manager.markHostStatus(String(body.hostId), Number(body.generation), body.ok === false ? 'failed' : 'published');
        return;
      case 'state':
        ctx.reply(this.snapshot());
        return;
      default:
        throw new Error(`manager: unknown message '${msg.kind}'`);
    }
  }

  private pushAll(ctx: ComponentContext): void {
    for (const rs of this.manager.hostRuleSets()) this.push(rs, ctx);
  }

  private distribute(ctx: ComponentContext): void {
    const updates = this.updates;
    this.updates = [];
    const last = new Map<string, HostRuleSet>();
    for (const u of updates) for (const rs of u.hosts) last.set(rs.hostId, rs);
    for (const rs of last.values()) this.push(rs, ctx);
  }

  private push(rs: HostRuleSet, ctx: ComponentContext): void {
    this.manager.markHostStatus(rs.hostId, rs.generation, 'inprogress');
    const route = ruleSetRoute(rs.hostId);
    ctx.send(route.to, route.kind, rs);
  }
}
