/**
 * One ESXi host: the VMs it runs (their guests), each vNIC's kernel data path, and the
 * uplink to the fabric. Frames from a guest go out through its vNIC filters; frames from
 * the fabric come in through them.
 */
import type { Component, ComponentContext, Envelope } from '../lab/component';
import { GI_REPORT_DELAY_MS } from '../guest/logon';
import { Guest, type GuestIO } from '../guest/guest';
import { replier, unknownMessage, type MessageOf } from '../protocol/messages/envelope';
import { LAB } from '../protocol/messages/lab';
import { MANAGER } from '../protocol/messages/manager';
import { VCENTER } from '../protocol/messages/vcenter';
import { hostAddress, type HostMessages, type VmInfo, type VmTransferBody } from '../protocol/messages/host';
import { FABRIC } from '../protocol/messages/fabric';
import { AMQP } from '../protocol/amqp';
import { runGuestCommand } from '../guest/guest-shell';
import { FLAG_VXLAN, decodeFrameBatch, encodeFrameBatch, type FrameEntry } from '../protocol/frame-batch';
import { describeFrame } from '../protocol/frame-summary';
import { decapsulate } from '../protocol/vxlan';
import type { Datapath, DatapathVerdict } from './datapath';
import type { HostState, HostedVm } from './host-state';
import { filterName } from '../protocol/inventory';
import { pollFollow, runHostCommand, runHostLine, type Follow } from './host-shell';
import { initialShellState, tapUplink, tapVnic, type CapturePort, type HostShellState } from './shell/capture';
import { Vsfwd } from './vsfwd/vsfwd';
import { nameListsBy } from '../lab/frozen-groups';
import { decodedListBytes } from '../protocol/codec/ruleset-codec';
import { initialVsfwd } from './vsfwd/vsfwd-state';
import { runBurst } from './burst';
import { readFile } from './shell/host-files';
import { handleVibInstall } from './installation/host-prep';
import { runPrepCommand } from './installation/prep-shell';
import { nsxLoaded } from './installation/vibs';
import { UnpreparedDatapath } from './installation/unprepared-datapath';
import { handleSvmDeploy, runSvmCommand } from './partner/svm';
import { hostResources } from './vsfwd/host-resources';
import { addCpuLoad } from './vsfwd/resource-sampler';

// A save names the rule lists a host decoded by the bytes they came from (frozen-groups.ts
// listName): of 64 hosts holding the same 10k lines, one serialises and hashes them, the others are told its groups.
nameListsBy(decodedListBytes);

/** Builds a host's data path: the registry passes the NSX kernel (kernel-setup.ts) to every host. */
export type DatapathFactory = (host: HostState, ctx: () => ComponentContext) => Datapath;

/** A VM moving in by vMotion, as this host reads the message body (the VM's state is a host's own). */
interface VmTransfer extends VmTransferBody {
  vm: HostedVm;
}

export class EsxHost implements Component {
  /** Unfiltered until the host is prepared (its NSX VIBs load), then the firewall kernel. */
  datapath: Datapath;
  readonly vsfwd: Vsfwd;
  readonly shell: HostShellState;
  private guests = new Map<number, Guest>();
  /** Consoles following a command (tail -f, a capture): not saved, a reload closes the console. */
  private follows = new Map<number, Follow>();
  private nextFollow = 1;
  private uplink: FrameEntry[] = [];
  private ctx!: ComponentContext;
  /** A fresh host attaches its vNICs' filters on its first message, when the lab clock is known. */
  private unattached: boolean;

  constructor(
    readonly id: string,
    readonly state: HostState,
    private readonly makeDatapath: DatapathFactory,
  ) {
    this.datapath = nsxLoaded(state.prep) ? makeDatapath(state, () => this.ctx) : new UnpreparedDatapath(state.name);
    this.vsfwd = new Vsfwd(this, (state.vsfwd ??= initialVsfwd(0)));
    for (const vm of state.vms) this.guests.set(vm.worldId, new Guest(vm.guest));
    this.unattached = state.kernel === undefined;
    this.shell = state.shell ??= initialShellState();
    // A foreground capture belonged to a console that no longer exists after a restore.
    this.shell.captures = this.shell.captures.filter((c) => c.spec.background);
  }

  /** The host's own state is cloned here, and the kernel and vsfwd snapshots are copies too. */
  readonly snapshotIsCopy = true;

  snapshot(): HostState {
    return { ...structuredClone({ ...this.state, kernel: undefined, vsfwd: undefined }), kernel: this.datapath.snapshot(), vsfwd: this.vsfwd.snapshot() };
  }

  /** A VM's address and identity, answered before anything else a message sets going (see handle). */
  readonly queries: ReadonlySet<string> = new Set(['vm-info']);

  handle(envelope: Envelope, ctx: ComponentContext): void {
    const msg = envelope as MessageOf<HostMessages>;
    const reply = replier<HostMessages>(ctx);
    if (msg.kind === 'vm-info') {
      // A query (see queries): answered without attaching filters, booting vsfwd or flushing.
      // Goal checks ask every host at once, so a VM that runs elsewhere is a plain answer, not a thrown error (no stack to build).
      const vm = this.state.vms.find((v) => v.name === msg.body.vm || v.moid === msg.body.vm);
      if (!vm) return ctx.reply({ error: `${msg.body.vm} is not running on ${this.state.name}` });
      reply(msg, { name: vm.name, moid: vm.moid, ip: vm.guest.ip, mac: vm.guest.mac, worldId: vm.worldId, toolsRunning: vm.guest.toolsRunning } satisfies VmInfo);
      return;
    }
    this.ctx = ctx;
    if (this.unattached) {
      this.unattached = false;
      for (const vm of this.state.vms) this.attach(vm);
    }
    this.vsfwd.boot(ctx);
    switch (msg.kind) {
      case 'vsfwd-boot':
      case 'vsfwd-tick':
      case AMQP.openOk:
      case AMQP.refused:
      case AMQP.closed:
      case AMQP.deliver:
        this.vsfwd.handle(msg, ctx);
        break;
      case 'frames':
        for (const e of decodeFrameBatch(msg.body.frames)) this.fromFabric(e);
        break;
      case 'traffic': {
        const req = msg.body;
        this.guestOf(req.vm).startTraffic(req, this.guestIO(this.vmNamed(req.vm)));
        reply(msg, { ok: true });
        break;
      }
      case 'session': {
        const req = msg.body;
        this.guestOf(req.vm).session(req, this.guestIO(this.vmNamed(req.vm)));
        reply(msg, { ok: true });
        break;
      }
      case 'ftp': {
        const req = msg.body;
        this.guestOf(req.vm).startFtp(req, this.guestIO(this.vmNamed(req.vm)));
        reply(msg, { ok: true });
        break;
      }
      case 'ftp-abort':
        reply(msg, { text: this.guestOf(msg.body.vm).abortFtp() });
        break;
      case 'dialog': {
        const req = msg.body;
        this.guestOf(req.vm).startDialog(req, this.guestIO(this.vmNamed(req.vm)));
        ctx.reply({ ok: true });
        break;
      }
      case 'dialog-abort':
        ctx.reply({ text: this.guestOf(msg.body.vm).abortDialog(msg.body.refused, this.guestIO(this.vmNamed(msg.body.vm))) });
        break;
      case 'guest-shell': {
        const { vm, cmd } = msg.body;
        reply(msg, { text: runGuestCommand(this.guestOf(vm), cmd, this.guestIO(this.vmNamed(vm))) });
        break;
      }
      case 'host-shell': {
        const body = msg.body;
        const prep = runPrepCommand(this, body.cmd, ctx) ?? runSvmCommand(this, body.cmd, ctx);
        if (prep !== undefined) {
          reply(msg, { text: prep });
          break;
        }
        const control = (action: 'start' | 'stop') => this.vsfwd.control(action, ctx);
        if (!body.interactive) {
          reply(msg, { text: runHostCommand(this, body.cmd, control) });
          break;
        }
        const out = runHostLine(this, body.cmd, control);
        if (!out.follow) {
          reply(msg, { text: out.text });
          break;
        }
        const id = this.nextFollow++;
        this.follows.set(id, out.follow);
        reply(msg, { text: out.text, follow: id });
        break;
      }
      case 'host-follow': {
        const body = msg.body;
        const f = this.follows.get(body.follow);
        if (!f) {
          reply(msg, { text: '', done: true });
          break;
        }
        const r = pollFollow(this, f, body.stop);
        if (r.done) this.follows.delete(body.follow);
        reply(msg, r);
        break;
      }
      case 'host-file': {
        const path = msg.body.path;
        reply(msg, { files: Object.entries(this.shell.files).map(([p, f]) => ({ path: p, size: f.size })), bytes: path ? readFile(this.shell.files, path) ?? null : null });
        break;
      }
      case 'vm-export':
        this.exportVm(msg.body.vm, msg.body.to, ctx);
        break;
      case 'vm-import':
        this.importVm(msg.body as VmTransfer, ctx);
        break;
      case 'vsfwd-control':
        reply(msg, { text: this.vsfwd.control(msg.body.action, ctx) });
        break;
      case 'burst':
        runBurst(this, msg.body, ctx);
        break;
      case 'svm-deploy':
        handleSvmDeploy(this, msg.body, ctx);
        break;
      case 'vib-install':
        handleVibInstall(this, msg.body, ctx);
        break;
      case 'power':
        this.power(msg.body.vm, msg.body.on, ctx);
        break;
      case 'describe':
        reply(msg, this.snapshot());
        break;
      case 'resources':
        reply(msg, hostResources(this.state, this.datapath, ctx.now()));
        break;
      case 'cpu-load':
        addCpuLoad(this.state, msg.body, ctx.now());
        ctx.reply(undefined);
        break;
      default:
        unknownMessage(this.id, msg);
    }
    this.flush(ctx);
  }

  /** The NSX VIBs loaded (host preparation): every vNIC gets its dvfilter slots and vsfwd starts. */
  loadNsx(ctx: ComponentContext): void {
    this.datapath = this.makeDatapath(this.state, () => this.ctx);
    for (const vm of this.state.vms) this.attach(vm);
    this.vsfwd.control('start', ctx);
  }

  vmNamed(name: string): HostedVm {
    const vm = this.state.vms.find((v) => v.name === name || v.moid === name);
    if (!vm) throw new Error(`${name} is not running on ${this.state.name}`);
    return vm;
  }

  private guestOf(name: string): Guest {
    return this.guests.get(this.vmNamed(name).worldId)!;
  }

  private attach(vm: HostedVm): void {
    for (const nic of vm.vnics) {
      this.datapath.attachVnic({
        vmMoid: vm.moid, vmName: vm.name, worldId: vm.worldId, vnicIndex: nic.index, mac: nic.mac, network: nic.network,
        vcUuid: vm.uuid, excluded: vm.excluded, toolsIps: vm.guest.toolsRunning ? [vm.guest.ip] : [],
      });
    }
  }

  private fromFabric(e: FrameEntry): void {
    const vm = this.state.vms.find((v) => v.worldId === e.worldId);
    if (!vm) return;
    const frame = e.flags & FLAG_VXLAN ? decapsulate(e.frame).frame : e.frame;
    const nic = vm.vnics.find((n) => n.index === e.vnicIndex)!;
    const where = `${vm.name} vNIC eth${nic.index}`;
    if (this.shell.captures.length) tapUplink(this.shell, 'rcv', e.frame, this.ctx.now());
    const verdict = this.datapath.process(vm.worldId, nic.index, 'in', frame);
    this.vsfwd.account(vm.moid, nic.network, 'in', frame, verdict, this.ctx.now());
    if (this.shell.captures.length) this.tap(vm, nic.index, 'in', frame, verdict);
    this.observe(e.probe, vm.name, where, 'in', frame, verdict);
    if (verdict.reply) this.toUplink(vm.worldId, nic.index, verdict.reply, e.probe);
    if (!verdict.pass) return;
    if (e.probe) this.ctx.trace(e.probe, { component: this.id, hop: `${vm.name} guest`, place: 'guest', vm: vm.name, action: 'DELIVERED', ...describeFrame(frame) });
    this.guests.get(vm.worldId)!.receive(frame, e.probe, this.guestIO(vm));
  }

  private guestIO(vm: HostedVm): GuestIO {
    const ctx = this.ctx;
    return {
      now: ctx.now,
      random: ctx.random,
      transmit: (frame, probe) => this.fromGuest(vm, frame, probe),
      report: (result) => ctx.send(LAB, 'probe-result', { ...result, vm: vm.name }),
      toolsReport: (ips, running) => ctx.send(VCENTER, 'tools-report', { vm: vm.moid, ips, running }),
      emit: ctx.emit,
      trace: ctx.trace,
      identity: (event, user) => ctx.send(MANAGER, 'identity-event', { event, user, vm: vm.moid, vmName: vm.name, ip: vm.guest.ip, at: ctx.now() }, GI_REPORT_DELAY_MS),
    };
  }

  private fromGuest(vm: HostedVm, frame: Uint8Array, probe: number): void {
    const nic = vm.vnics[0];
    const where = `${vm.name} vNIC eth${nic.index}`;
    if (probe) this.ctx.trace(probe, { component: this.id, hop: `${vm.name} guest`, place: 'guest', vm: vm.name, action: 'INJECTED', ...describeFrame(frame) });
    const verdict = this.datapath.process(vm.worldId, nic.index, 'out', frame);
    this.vsfwd.account(vm.moid, nic.network, 'out', frame, verdict, this.ctx.now());
    if (this.shell.captures.length) this.tap(vm, nic.index, 'out', frame, verdict);
    this.observe(probe, vm.name, where, 'out', frame, verdict);
    if (verdict.reply) this.guests.get(vm.worldId)!.receive(verdict.reply, probe, this.guestIO(vm));
    if (verdict.pass) this.toUplink(vm.worldId, nic.index, frame, probe);
  }

  private observe(probe: number, vm: string, where: string, dir: 'in' | 'out', frame: Uint8Array, verdict: DatapathVerdict): void {
    if (!probe) return;
    const { packet, packetKind } = describeFrame(frame);
    for (const o of verdict.observations) {
      this.ctx.trace(probe, {
        component: this.id, hop: `${where} (${dir})`, place: 'vnic', vm, action: o.action, packet, packetKind, slot: o.slot, filter: o.filter, table: o.table, ruleId: o.ruleId, reason: o.reason, detail: o.detail,
      });
    }
  }

  /** pktcap-uw's vNIC points: only while a capture runs, so the data path pays nothing otherwise. */
  private tap(vm: HostedVm, vnicIndex: number, dir: 'in' | 'out', frame: Uint8Array, verdict: DatapathVerdict): void {
    const ports = (this.datapath as Partial<{ capturePorts(): CapturePort[] }>).capturePorts?.() ?? [];
    const port = ports.find((p) => p.worldId === vm.worldId && p.vnicIndex === vnicIndex);
    if (port) tapVnic(this.shell, port, dir, frame, verdict, this.ctx.now());
  }

  private toUplink(worldId: number, vnicIndex: number, frame: Uint8Array, probe: number): void {
    if (this.shell.captures.length) tapUplink(this.shell, 'snd', frame, this.ctx.now());
    this.uplink.push({ probe, worldId, vnicIndex, flags: 0, frame });
  }

  private flush(ctx: ComponentContext): void {
    this.vsfwd.reportBindings(ctx);
    if (!this.uplink.length) return;
    ctx.send(FABRIC, 'frames', { frames: encodeFrameBatch(this.uplink) });
    this.uplink = [];
  }

  /** Powering off removes the vNICs' filters; powering on attaches them again and Tools reports. */
  private power(name: string, on: boolean, ctx: ComponentContext): void {
    const vm = this.vmNamed(name);
    if (on) {
      this.attach(vm);
      this.filterEvents(vm, 'created', 'powered on');
      for (const n of vm.vnics) this.vsfwd.vnicAttached(filterName(vm, n.index));
      if (vm.guest.toolsRunning) ctx.send(VCENTER, 'tools-report', { vm: vm.moid, ips: [vm.guest.ip], running: true });
    } else {
      for (const n of vm.vnics) this.datapath.detachVnic(vm.worldId, n.index);
      this.filterEvents(vm, 'deleted', 'powered off');
      vm.guest.conns = [];
      vm.guest.arp = {};
    }
  }

  private exportVm(name: string, to: string, ctx: ComponentContext): void {
    const vm = this.vmNamed(name);
    const filters = vm.vnics.map((n) => this.datapath.exportVnic(vm.worldId, n.index));
    for (const n of vm.vnics) this.datapath.detachVnic(vm.worldId, n.index);
    this.filterEvents(vm, 'deleted', `vMotion to ${to}`);
    this.state.vms = this.state.vms.filter((v) => v !== vm);
    this.guests.delete(vm.worldId);
    ctx.send(hostAddress(to), 'vm-import', { vm: structuredClone(vm), filters, fromCluster: this.state.cluster } satisfies VmTransfer);
  }

  private importVm(t: VmTransfer, ctx: ComponentContext): void {
    const vm = t.vm;
    this.state.vms.push(vm);
    this.guests.set(vm.worldId, new Guest(vm.guest));
    vm.vnics.forEach((nic, i) => {
      const attachment = {
        vmMoid: vm.moid, vmName: vm.name, worldId: vm.worldId, vnicIndex: nic.index, mac: nic.mac, network: nic.network,
        vcUuid: vm.uuid, excluded: vm.excluded, toolsIps: vm.guest.toolsRunning ? [vm.guest.ip] : [],
      };
      if (t.filters[i]) this.datapath.importVnic(this.vsfwd.localize(t.filters[i], t.fromCluster ?? this.state.cluster), attachment);
      else this.datapath.attachVnic(attachment);
    });
    this.filterEvents(vm, 'created', 'vMotion');
    ctx.send(VCENTER, 'vmotion-done', { vm: vm.moid, host: this.id });
  }

  /** NSX Manager's "Filter created" / "Filter deleted" system events (seed 000) as a vNIC comes and goes; excluded VMs have no DFW filter. */
  private filterEvents(vm: HostedVm, what: 'created' | 'deleted', why: string): void {
    if (vm.excluded) return;
    for (const n of vm.vnics) {
      const filter = filterName(vm, n.index);
      this.ctx.emit({ kind: 'system', text: `Filter ${what}: ${filter} (${vm.name} vNIC eth${n.index}) on host ${this.state.name} (${this.id}), ${why}`, data: { hostId: this.id, vm: vm.moid, filter } });
    }
  }
}
