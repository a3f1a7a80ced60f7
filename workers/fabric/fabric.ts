/**
 * The network between hosts: the distributed switch with its port groups and logical
 * switches, VXLAN between host VTEPs, and the distributed router between logical switches.
 * It forwards real frames and records each hop on the probe's trace.
 */
import type { Component, ComponentContext, Envelope } from '../lab/component';
import { replier, unknownMessage, type MessageOf } from '../protocol/messages/envelope';
import { LAB } from '../protocol/messages/lab';
import type { BridgeRulesReply, FabricMessages } from '../protocol/messages/fabric';
import { hostAddress } from '../protocol/messages/host';
import { BROADCAST_MAC, bytesToMac, cidrContains, macToBytes } from '../protocol/addresses';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, buildArp, parseFrame } from '../protocol/frame';
import { FLAG_VXLAN, decodeFrameBatch, encodeFrameBatch, type FrameEntry } from '../protocol/frame-batch';
import { encapsulate } from '../protocol/vxlan';
import { Guest, type GuestIO } from '../guest/guest';
import { describeFrame } from '../protocol/frame-summary';
import type { TraceRecord } from '../protocol/trace';

/** Where in the fabric an observation happens, in a trace record's terms. */
type FabricPlace = Pick<TraceRecord, 'hop' | 'place' | 'vm' | 'network'>;
const ROUTER: FabricPlace = { hop: 'DLR', place: 'router' };
const VXLAN: FabricPlace = { hop: 'VXLAN', place: 'vxlan' };
const onSwitch = (network: string): FabricPlace => ({ hop: network, place: 'switch', network });
import type { FabricState, SwitchPort } from './fabric-state';
import type { BridgeFirewall } from './bridge/bridge-firewall';
import { matchBridgeRule, type BridgeRule } from './bridge/bridge-rules';


interface Ingress {
  network: string;
  host?: string;
  /** A port's MAC, the router, or the admin workstation. */
  from: string;
  /** The frame just came through a bridging firewall VM: it does not cross back. */
  bridged?: boolean;
}

export class Fabric implements Component {
  private out = new Map<string, FrameEntry[]>();
  private adminGuest: Guest;

  constructor(
    readonly id: string,
    private state: FabricState,
  ) {
    this.adminGuest = new Guest(state.admin);
  }

  readonly snapshotIsCopy = true;

  snapshot(): FabricState {
    return structuredClone(this.state);
  }

  handle(envelope: Envelope, ctx: ComponentContext): void {
    const msg = envelope as MessageOf<FabricMessages>;
    const reply = replier<FabricMessages>(ctx);
    switch (msg.kind) {
      case 'frames':
        this.fromHost(msg.from, decodeFrameBatch(msg.body.frames), ctx);
        break;
      case 'admin-traffic':
        this.adminGuest.startTraffic(msg.body, this.adminIO(ctx));
        reply(msg, { ok: true });
        break;
      case 'port-update':
        this.updatePorts(msg.body);
        break;
      case 'describe':
        reply(msg, this.snapshot());
        break;
      case 'bridge-rules':
        reply(msg, this.bridgeRules(msg.body));
        break;
      case 'bridge-host':
        this.bridgeMoved(msg.body);
        break;
      default:
        unknownMessage('fabric', msg);
    }
    this.flush(ctx);
  }

  private updatePorts(update: { vm: string; ports: SwitchPort[] }): void {
    this.state.ports = [...this.state.ports.filter((p) => p.vm !== update.vm), ...update.ports];
  }

  private fromHost(host: string, entries: FrameEntry[], ctx: ComponentContext): void {
    for (const e of entries) {
      const port = this.state.ports.find((p) => p.worldId === e.worldId && p.vnicIndex === e.vnicIndex && p.host === host);
      if (!port || !port.connected) continue;
      this.forward(e.frame, e.probe, { network: port.network, host, from: port.mac }, ctx);
    }
  }

  /** Switches one frame within its network; the router takes frames addressed to its MAC. */
  private forward(frame: Uint8Array, probe: number, ingress: Ingress, ctx: ComponentContext): void {
    const net = this.network(ingress.network);
    const dstMac = bytesToMac(frame, 0);
    const ethertype = (frame[12] << 8) | frame[13];
    if (ethertype === ETHERTYPE_ARP) this.snoopArp(frame);
    const inFront = this.bridgeInFrontOf(net.moid);
    if (inFront && !ingress.bridged && this.leavesThroughBridge(inFront, frame, probe, ingress, ctx)) return;
    if (dstMac === BROADCAST_MAC && ethertype === ETHERTYPE_ARP && ingress.from !== this.state.routerMac && !inFront && !this.bridgesOnto(net.moid).length && this.asksForGateway(frame, net.gateway)) {
      // The distributed router's interface is in every host's kernel: it answers there, and the
      // request is not flooded to the segment's other hosts (as NSX-V does).
      this.hop(ctx, probe, onSwitch(net.name), 'FORWARDED', frame, `ARP for the gateway ${net.gateway}: answered by the distributed router${ingress.host ? ` on ${this.host(ingress.host).name}` : ''}, not flooded`);
      this.routerAnswersArp(frame, net.moid, probe, ctx, ingress.host);
      return;
    }
    if (dstMac === BROADCAST_MAC) {
      this.hop(ctx, probe, onSwitch(net.name), 'FORWARDED', frame, 'broadcast flooded to the segment');
      for (const port of this.portsOn(net.moid)) if (port.mac !== ingress.from) this.deliver(port, frame, probe, ingress, ctx);
      if (this.state.admin.network === net.moid && ingress.from !== this.state.admin.mac) this.toAdmin(frame, probe, ctx);
      if (ethertype === ETHERTYPE_ARP) this.routerAnswersArp(frame, net.moid, probe, ctx);
      if (!ingress.bridged) for (const b of this.bridgesOnto(net.moid)) this.entersThroughBridge(b, frame, probe, ingress, ctx);
      return;
    }
    if (dstMac === this.state.routerMac && ethertype === ETHERTYPE_IPV4) {
      this.route(frame, probe, ingress, ctx);
      return;
    }
    if (dstMac === this.state.routerMac) return; // ARP replies to the router were learned above
    if (dstMac === this.state.admin.mac && net.moid === this.state.admin.network) {
      this.hop(ctx, probe, onSwitch(net.name), 'FORWARDED', frame);
      this.toAdmin(frame, probe, ctx);
      return;
    }
    const port = this.state.ports.find((p) => p.mac === dstMac && p.network === net.moid && p.connected);
    const behind = port || ingress.bridged ? undefined : this.bridgesOnto(net.moid).find((b) => this.portOn(b.inside, dstMac));
    if (behind) {
      this.entersThroughBridge(behind, frame, probe, ingress, ctx);
      return;
    }
    if (!port) {
      this.hop(ctx, probe, onSwitch(net.name), 'DROP', frame, `no port with MAC ${dstMac} on ${net.name}`);
      return;
    }
    this.hop(ctx, probe, onSwitch(net.name), 'FORWARDED', frame);
    this.deliver(port, frame, probe, ingress, ctx);
  }

  private route(frame: Uint8Array, probe: number, ingress: Ingress, ctx: ComponentContext): void {
    const parsed = parseFrame(frame);
    if (parsed.kind !== 'ipv4') return;
    const out = this.state.networks.find((n) => cidrContains(n.subnet, parsed.dstIp));
    if (!out) {
      this.hop(ctx, probe, ROUTER, 'DROP', frame, `no route to ${parsed.dstIp}`);
      return;
    }
    const nextMac = this.state.neighbours[parsed.dstIp];
    if (!nextMac) {
      this.hop(ctx, probe, ROUTER, 'DROP', frame, `no ARP entry for ${parsed.dstIp} on ${out.name}`);
      return;
    }
    const ttl = frame[22];
    if (ttl <= 1) {
      this.hop(ctx, probe, ROUTER, 'DROP', frame, 'TTL expired');
      return;
    }
    const routed = Uint8Array.from(frame);
    macToBytes(nextMac, routed, 0);
    macToBytes(this.state.routerMac, routed, 6);
    routed[22] = ttl - 1;
    fixIpChecksum(routed);
    this.hop(ctx, probe, ROUTER, 'FORWARDED', frame, `routed ${this.network(ingress.network).name} → ${out.name} (LIF ${out.gateway})`);
    this.forward(routed, probe, { network: out.moid, host: ingress.host, from: this.state.routerMac }, ctx);
  }

  private deliver(port: SwitchPort, frame: Uint8Array, probe: number, ingress: Ingress, ctx: ComponentContext): void {
    const net = this.network(port.network);
    let flags = 0;
    let bytes = frame;
    if (ingress.host !== undefined && ingress.host !== port.host && net.kind === 'logicalswitch') {
      const src = this.host(ingress.host);
      const dst = this.host(port.host);
      bytes = encapsulate(frame, net.vni!, { srcVtep: src.vtepIp, dstVtep: dst.vtepIp, srcMac: vtepMac(src.vtepIp), dstMac: vtepMac(dst.vtepIp) });
      flags = FLAG_VXLAN;
      this.hop(ctx, probe, VXLAN, 'FORWARDED', frame, `VNI ${net.vni}: VTEP ${src.vtepIp} (${src.name}) → ${dst.vtepIp} (${dst.name})`);
    } else if (ingress.host === port.host) {
      this.hop(ctx, probe, onSwitch(net.name), 'FORWARDED', frame, `switched locally on ${this.host(port.host).name}`);
    }
    if (!this.out.has(port.host)) this.out.set(port.host, []);
    this.out.get(port.host)!.push({ probe, worldId: port.worldId, vnicIndex: port.vnicIndex, flags, frame: bytes });
  }

  /**
   * A frame on a protected port group: to a port of the same group it is switched there; to
   * anything else it crosses the bridge VM first. Returns false when the frame stays inside.
   */
  private leavesThroughBridge(b: BridgeFirewall, frame: Uint8Array, probe: number, ingress: Ingress, ctx: ComponentContext): boolean {
    const dstMac = bytesToMac(frame, 0);
    if (dstMac !== BROADCAST_MAC && this.portOn(b.inside, dstMac)) return false;
    if (dstMac === BROADCAST_MAC) {
      for (const port of this.portsOn(b.inside)) if (port.mac !== ingress.from) this.deliver(port, frame, probe, ingress, ctx);
    }
    if (this.crossBridge(b, frame, probe, ingress, 'out of', ctx)) {
      this.forward(frame, probe, { network: b.outside, host: b.host, from: b.mac, bridged: true }, ctx);
    }
    return true;
  }

  /** A frame on the segment for a port behind the bridge (or a broadcast): through the bridge VM, then to the protected ports. */
  private entersThroughBridge(b: BridgeFirewall, frame: Uint8Array, probe: number, ingress: Ingress, ctx: ComponentContext): void {
    if (!this.crossBridge(b, frame, probe, ingress, 'into', ctx)) return;
    const dstMac = bytesToMac(frame, 0);
    const from = { network: b.inside, host: b.host, from: b.mac, bridged: true };
    const targets = dstMac === BROADCAST_MAC ? this.portsOn(b.inside) : this.portsOn(b.inside).filter((p) => p.mac === dstMac);
    if (dstMac !== BROADCAST_MAC) this.hop(ctx, probe, onSwitch(this.network(b.inside).name), 'FORWARDED', frame, `from ${b.name} to the protected port group`);
    for (const port of targets) this.deliver(port, frame, probe, from, ctx);
  }

  /** The trip to the bridge VM's host and its FORWARD chain's verdict; false when the chain drops the frame. */
  private crossBridge(b: BridgeFirewall, frame: Uint8Array, probe: number, ingress: Ingress, way: 'into' | 'out of', ctx: ComponentContext): boolean {
    const at = this.host(b.host);
    const trip = ingress.host === undefined || ingress.host === b.host
      ? `to ${b.name} on ${at.name}`
      : `hairpin to ${b.name}: across the uplink from ${this.host(ingress.host).name} to ${at.name}`;
    this.hop(ctx, probe, onSwitch(this.network(ingress.network).name), 'FORWARDED', frame, trip);
    const n = matchBridgeRule(b.rules, parseFrame(frame));
    const rule = n ? b.rules[n - 1] : undefined;
    const decided = rule ? `FORWARD rule ${n} (${rule.target})` : `no FORWARD rule matched: policy ACCEPT (${b.rules.length} rules)`;
    const drop = rule?.target === 'DROP';
    this.hop(ctx, probe, { hop: b.name, place: 'bridge-vm', vm: b.name }, drop ? 'DROP' : 'FORWARDED', frame, `bridging firewall VM, ${way} ${this.network(b.inside).name}: ${decided}`);
    return !drop;
  }

  private bridgeInFrontOf(network: string): BridgeFirewall | undefined {
    return this.state.bridges?.find((b) => b.inside === network);
  }

  private bridgesOnto(network: string): BridgeFirewall[] {
    return this.state.bridges?.filter((b) => b.outside === network) ?? [];
  }

  private portOn(network: string, mac: string): SwitchPort | undefined {
    return this.state.ports.find((p) => p.mac === mac && p.network === network && p.connected);
  }

  /** `iptables` in the bridge VM's console: the rule list, replaced when `rules` is given. */
  private bridgeRules(body: { vm: string; rules?: BridgeRule[] }): BridgeRulesReply {
    const b = this.state.bridges?.find((x) => x.vm === body.vm || x.name === body.vm);
    if (!b) return { ok: false, error: `${body.vm} is not a bridging firewall VM` };
    if (body.rules) b.rules = structuredClone(body.rules);
    return { ok: true, rules: structuredClone(b.rules) };
  }

  private bridgeMoved(body: { vm: string; host: string }): void {
    const b = this.state.bridges?.find((x) => x.vm === body.vm);
    if (b) b.host = body.host;
  }

  /** An ARP request (op 1) for `gateway`, the segment's router interface. */
  private asksForGateway(frame: Uint8Array, gateway: string | undefined): boolean {
    if (!gateway) return false;
    const p = parseFrame(frame);
    return p.kind === 'arp' && p.op === 1 && p.targetIp === gateway && p.senderIp !== gateway;
  }

  /** `host`: where the router instance that answers runs (the asking VM's host), when it is known. */
  private routerAnswersArp(frame: Uint8Array, network: string, probe: number, ctx: ComponentContext, host?: string): void {
    const p = parseFrame(frame);
    const net = this.network(network);
    if (p.kind !== 'arp' || p.op !== 1 || p.targetIp !== net.gateway) return;
    const reply = buildArp({ srcMac: this.state.routerMac, dstMac: p.senderMac, op: 2, senderMac: this.state.routerMac, senderIp: net.gateway, targetMac: p.senderMac, targetIp: p.senderIp });
    this.hop(ctx, probe, ROUTER, 'FORWARDED', reply, `answers ARP for its interface ${net.gateway}`);
    this.forward(reply, probe, { network, host, from: this.state.routerMac }, ctx);
  }

  private snoopArp(frame: Uint8Array): void {
    const p = parseFrame(frame);
    if (p.kind === 'arp' && p.senderIp !== '0.0.0.0' && p.senderMac !== this.state.routerMac) this.state.neighbours[p.senderIp] = p.senderMac;
  }

  private toAdmin(frame: Uint8Array, probe: number, ctx: ComponentContext): void {
    this.adminGuest.receive(frame, probe, this.adminIO(ctx));
  }

  private adminIO(ctx: ComponentContext): GuestIO {
    return {
      now: ctx.now,
      random: ctx.random,
      transmit: (frame, probe) => {
        this.hop(ctx, probe, { hop: `${this.state.admin.name} (physical)`, place: 'physical', vm: this.state.admin.name }, 'INJECTED', frame);
        this.forward(frame, probe, { network: this.state.admin.network, from: this.state.admin.mac }, ctx);
      },
      report: (result) => ctx.send(LAB, 'probe-result', result),
      toolsReport: () => {},
      emit: ctx.emit,
      trace: ctx.trace,
    };
  }

  private hop(ctx: ComponentContext, probe: number, at: FabricPlace, action: 'FORWARDED' | 'DROP' | 'INJECTED', frame: Uint8Array, detail?: string): void {
    if (probe) ctx.trace(probe, { component: this.id, ...at, action, ...describeFrame(frame), detail });
  }

  private flush(ctx: ComponentContext): void {
    for (const [host, entries] of this.out) ctx.send(hostAddress(host), 'frames', { frames: encodeFrameBatch(entries) });
    this.out.clear();
  }

  private portsOn(network: string): SwitchPort[] {
    return this.state.ports.filter((p) => p.network === network && p.connected);
  }

  private network(moid: string) {
    const n = this.state.networks.find((x) => x.moid === moid);
    if (!n) throw new Error(`fabric: unknown network ${moid}`);
    return n;
  }

  private host(moid: string) {
    const h = this.state.hosts.find((x) => x.moid === moid);
    if (!h) throw new Error(`fabric: unknown host ${moid}`);
    return h;
  }
}

/** A stable MAC for a VTEP vmknic, derived from its address. */
function vtepMac(ip: string): string {
  const last = ip.split('.').map(Number);
  return `00:50:56:6${last[2] & 7}:${last[2].toString(16).padStart(2, '0')}:${last[3].toString(16).padStart(2, '0')}`;
}

function fixIpChecksum(frame: Uint8Array): void {
  frame[24] = 0;
  frame[25] = 0;
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += (frame[i] << 8) | frame[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  sum = ~sum & 0xffff;
  frame[24] = sum >>> 8;
  frame[25] = sum & 255;
}


