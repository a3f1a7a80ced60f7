/**
 * vCenter: the inventory's source of truth. It takes VMware Tools reports from guests,
 * orchestrates vMotion and power operations, and tells its subscribers (NSX Manager, the
 * fabric) what changed.
 */
import type { Component, ComponentContext, Envelope } from '../lab/component';
import { FABRIC, type SwitchPort } from '../protocol/messages/fabric';
import { hostAddress } from '../protocol/messages/host';
import { replier, unknownMessage, type MessageOf } from '../protocol/messages/envelope';
import { inventorySubscriber, type VCenterMessages, type VCenterTask } from '../protocol/messages/vcenter';
import type { Inventory, Vm } from '../protocol/inventory';
import { Eam, initialEam, type EamState } from './eam/eam';
import { describeTransfer, MAX_TRANSFERS, type TransferRecord } from './transfers';
import { reconfigureVm } from './reconfigure';

export interface VCenterState {
  inventory: Inventory;
  /** Components told of every inventory change, e.g. `manager`. */
  subscribers: string[];
  /** The ESX Agent Manager's agencies (host preparation); absent until NSX first asks it to install. */
  eam?: EamState;
  /** Bulk transfers measured in guests (iperf), newest last; absent until the first. */
  transfers?: TransferRecord[];
}

export class VCenter implements Component {
  constructor(
    readonly id: string,
    private state: VCenterState,
  ) {}

  /** snapshot() clones the state: a dry run keeps it as it is. */
  readonly snapshotIsCopy = true;

  /**
   * Reads that change nothing: where a VM runs (a dry run's goal checks ask it of every VM they
   * probe), the inventory the screens re-read after each operation, EAM's agencies, transfers.
   */
  readonly queries: ReadonlySet<string> = new Set(['locate', 'inventory', 'eam-agencies', 'transfers']);

  snapshot(): VCenterState {
    return structuredClone(this.state);
  }

  get inventory(): Inventory {
    return this.state.inventory;
  }

  private get eam(): Eam {
    return new Eam((this.state.eam ??= initialEam()), () => this.state.inventory);
  }

  handle(envelope: Envelope, ctx: ComponentContext): void {
    const msg = envelope as MessageOf<VCenterMessages>;
    const reply = replier<VCenterMessages>(ctx);
    switch (msg.kind) {
      case 'eam-install':
        this.eam.install(msg.body.cluster, ctx);
        return;
      case 'eam-resolve':
        this.eam.resolve(msg.body.cluster, ctx);
        return;
      case 'eam-agent-result':
        this.eam.agentResult(msg.body, ctx);
        return;
      case 'eam-host-rebooted':
        this.eam.rebooted(msg.body.host, ctx);
        return;
      case 'eam-agencies':
        // A read: answered without creating EAM's state.
        reply(msg, structuredClone(this.state.eam?.agencies ?? []));
        return;
      case 'inventory':
        reply(msg, structuredClone(this.state.inventory));
        return;
      case 'locate': {
        const vm = this.vm(msg.body.vm);
        reply(msg, { vm: vm.moid, name: vm.name, host: vm.host, powerState: vm.powerState });
        return;
      }
      case 'tools-report':
        this.toolsReport(msg.body, ctx);
        return;
      case 'vmotion':
        reply(msg, this.vmotion(msg.body.vm, msg.body.to, ctx));
        return;
      case 'vmotion-done':
        this.vmotionDone(msg.body.vm, msg.body.host, ctx);
        return;
      case 'power':
        reply(msg, this.power(msg.body.vm, msg.body.state === 'on', ctx));
        return;
      case 'vm-reconfigure': {
        const r = reconfigureVm(this.state.inventory, msg.body);
        if (r.ok) {
          ctx.emit({ kind: 'inventory', text: r.event });
          if (r.vm.vnics.length) ctx.send(FABRIC, 'port-update', { vm: r.vm.moid, ports: portsOf(r.vm) });
          this.changed(ctx);
        }
        reply(msg, r.ok ? { ok: true, text: r.event } : r);
        return;
      }
      case 'transfer-record': {
        const list = (this.state.transfers ??= []);
        list.push(msg.body);
        ctx.emit({ kind: 'inventory', text: describeTransfer(msg.body) });
        if (list.length > MAX_TRANSFERS) list.splice(0, list.length - MAX_TRANSFERS);
        reply(msg, { ok: true });
        return;
      }
      case 'transfers':
        reply(msg, structuredClone(this.state.transfers ?? []));
        return;
      case 'subscribe':
        if (!this.state.subscribers.includes(msg.from)) this.state.subscribers.push(msg.from);
        ctx.send(inventorySubscriber(msg.from), 'inventory-changed', this.snapshot().inventory);
        return;
      default:
        unknownMessage(this.id, msg);
    }
  }

  private vm(nameOrMoid: string): Vm {
    const vm = this.state.inventory.vms.find((v) => v.name === nameOrMoid || v.moid === nameOrMoid);
    if (!vm) throw new Error(`no VM named ${nameOrMoid}`);
    return vm;
  }

  private hostByName(nameOrMoid: string) {
    const host = this.state.inventory.hosts.find((h) => h.name === nameOrMoid || h.moid === nameOrMoid);
    if (!host) throw new Error(`no host named ${nameOrMoid}`);
    return host;
  }

  private changed(ctx: ComponentContext): void {
    for (const s of this.state.subscribers) ctx.send(inventorySubscriber(s), 'inventory-changed', this.snapshot().inventory);
  }

  private toolsReport(r: { vm: string; ips: string[]; running: boolean }, ctx: ComponentContext): void {
    const vm = this.vm(r.vm);
    const before = vm.guestIps.join(', ') || 'none';
    vm.toolsRunning = r.running;
    vm.guestIps = r.ips;
    ctx.emit({ kind: 'inventory', text: `${vm.name}: VMware Tools ${r.running ? 'reports' : 'stopped; vCenter no longer knows'} IP ${r.ips.join(', ') || before}` });
    this.changed(ctx);
  }

  private vmotion(vmName: string, to: string, ctx: ComponentContext): VCenterTask {
    const vm = this.vm(vmName);
    const dest = this.hostByName(to);
    if (vm.host === dest.moid) return { ok: false, error: `${vm.name} already runs on ${dest.name}` };
    if (vm.powerState !== 'poweredOn') return { ok: false, error: `${vm.name} is powered off: vMotion moves running VMs` };
    const from = this.hostByName(vm.host);
    ctx.emit({ kind: 'inventory', text: `Migrating ${vm.name} from ${from.name} to ${dest.name}` });
    ctx.send(hostAddress(from.moid), 'vm-export', { vm: vm.moid, to: dest.moid });
    return { ok: true };
  }

  private vmotionDone(vmMoid: string, hostMoid: string, ctx: ComponentContext): void {
    const vm = this.vm(vmMoid);
    vm.host = hostMoid;
    ctx.send(FABRIC, 'port-update', { vm: vm.moid, ports: portsOf(vm) });
    if (vm.appliance === 'bridge-firewall') ctx.send(FABRIC, 'bridge-host', { vm: vm.moid, host: hostMoid });
    ctx.emit({ kind: 'inventory', text: `vMotion of ${vm.name} to ${this.hostByName(hostMoid).name} completed` });
    this.changed(ctx);
  }

  private power(vmName: string, on: boolean, ctx: ComponentContext): VCenterTask {
    const vm = this.vm(vmName);
    const want = on ? 'poweredOn' : 'poweredOff';
    if (vm.powerState === want) return { ok: true };
    vm.powerState = want;
    if (!on) vm.guestIps = [];
    ctx.send(hostAddress(vm.host), 'power', { vm: vm.moid, on });
    ctx.send(FABRIC, 'port-update', { vm: vm.moid, ports: portsOf(vm) });
    ctx.emit({ kind: 'inventory', text: `${vm.name} powered ${on ? 'on' : 'off'}` });
    this.changed(ctx);
    return { ok: true };
  }
}

export function portsOf(vm: Vm): SwitchPort[] {
  return vm.vnics.map((n) => ({
    mac: n.mac, host: vm.host, worldId: vm.worldId, vnicIndex: n.index, network: n.network, vm: vm.moid, connected: vm.powerState === 'poweredOn',
  }));
}
