/**
 * The operations a learner, a scenario or a test performs on a lab, in the vocabulary of
 * the scenario format: traffic probes, sessions, consoles, vMotion, power, the clock.
 * Everything goes through lab messages, so it works the same over any transport.
 */
import type { Inventory } from '../protocol/inventory';
import type { RestRequest, RestResponse } from '../protocol/rest';
import { VCENTER, type EamAgency, type VmReconfigure } from '../protocol/messages/vcenter';
import { MANAGER } from '../protocol/messages/manager';
import type { Lab } from './lab';
import type { HostResources } from '../protocol/messages/host';
import type { DialogRequest } from '../protocol/messages/guest';
import type { TraceRecord } from '../protocol/trace';
import { judge, type DecidedBy } from './verdict';
import { traceflow, type TraceflowResult } from './traceflow';
import type { PayloadType } from '../protocol/amqp';
import type { DecodedCapture } from '../protocol/payloads';
import type { Address } from '../protocol/messages/envelope';
import { BUS, type BusDescription } from '../protocol/messages/bus';
import { FABRIC } from '../protocol/messages/fabric';
import { hostAddress, type HostMessages } from '../protocol/messages/host';
import type { FlowRecord, ThresholdView } from '../protocol/host-reports';
import { parseNetTool, runNetTool, type NetIO } from '../guest/net-tools';
import { parseAppTool, runAppTool, type AppIO } from '../guest/app-tools';
import type { DirectoryEdit, IdentityView } from '../protocol/identity';
import { parseIperfClient } from '../guest/iperf';
import { parseGovc } from '../guest/govc';
import { runIperfClient, type TransferIO } from './bulk-transfer';
import { runGovc } from './govc-client';
import { runBridgeIptables } from './bridge-console';
import type { FabricState } from '../fabric/fabric-state';
import type { TransferRecord } from '../protocol/transfer';

export interface ProbeSpec {
  from: string;
  to: string;
  proto: 'tcp' | 'udp' | 'icmp';
  port?: number;
  flags?: string;
  /** For a TCP exchange: the request the client sends (curl's HTTP request); a probe sends a one-line greeting. */
  request?: string;
}

/** What the client guest saw come back, when anything did. */
interface ProbeAnswer {
  /** The exchange completed, or the peer answered at all (even with a refusal). */
  reached: boolean;
  refused?: boolean;
  reply?: string;
  ttl?: number;
}

export interface ProbeResult {
  probe: number;
  spec: ProbeSpec;
  dstIp: string;
  verdict: 'allowed' | 'dropped';
  by: DecidedBy;
  ruleId?: number;
  detail: string;
  trace: TraceRecord[];
  /** Undefined when nothing came back to the client. */
  answer?: ProbeAnswer;
  /** When the deciding rule matched a VM by who is logged on there: the user and directory group (identity firewall). */
  identity?: string;
}

/** What `tnsping`, `sqlplus` or `rpcclient` is asked to do (the probe panel's Oracle and MS-RPC sessions). */
export type DialogCall = Omit<DialogRequest, 'probe' | 'dst' | 'serverName'>;

/** An FTP session's probe and what the client printed. */
interface FtpSessionResult {
  result: ProbeResult;
  session: { finished: boolean; refused: boolean; transcript: string };
}

/** A REST request to NSX Manager as an HTTP client sends it, and its answer. */
export type { RestRequest, RestResponse } from '../manager/rest/http';

interface SessionSpec {
  name: string;
  do: 'open' | 'send' | 'close';
  from?: string;
  to?: string;
  proto?: 'tcp';
  port?: number;
}

/** Where the admin workstation's management screens live, by app. */
const MANAGEMENT_APPS = { vcenter: 'vcsa-01a', 'nsx-manager': 'nsxmgr-01a' } as const;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The probe that asks whether the admin workstation opens a management screen (HTTPS). */
export function reachProbe(app: keyof typeof MANAGEMENT_APPS): ProbeSpec {
  return { from: 'admin-ws', to: MANAGEMENT_APPS[app], proto: 'tcp', port: 443 };
}

export class LabApi {
  constructor(readonly lab: Lab) {}

  /**
   * Runs `work` as a dry run (Lab.dryRun): its probes, sessions and REST calls answer as they
   * would now, and leave no trace in the lab (no tracker entry, ARP entry, counter, flow record,
   * event or clock tick). Goal checks and Traceflow use it.
   */
  dryRun<T>(work: (api: LabApi) => Promise<T>): Promise<T> {
    return this.lab.dryRun((lab) => work(new LabApi(lab)));
  }

  inventory(): Promise<Inventory> {
    return this.lab.ask(VCENTER, 'inventory', {});
  }

  /**
   * The inventory as the document the lab started from holds it (a copy), without asking
   * vCenter: what a screen shows while the lab's units are still loading (Lab.start). It is
   * what vCenter answers first for a settled document; null when the lab has no vCenter.
   */
  bootInventory(): Inventory | null {
    const inventory = this.lab.documentInventory as Inventory | undefined;
    return inventory ? structuredClone(inventory) : null;
  }

  /** The NSX Manager REST API (NSX-V paths, XML bodies), as the admin workstation reaches it. */
  rest(req: RestRequest): Promise<RestResponse> {
    return this.lab.ask(MANAGER, 'rest', req);
  }

  /** vCenter's ESX Agent Manager: its agencies (host preparation) with each host's agent and issue. */
  eamAgencies(): Promise<EamAgency[]> {
    return this.lab.ask(VCENTER, 'eam-agencies', {});
  }

  /** Publishes the pending firewall configuration, as the UI's Publish button does. */
  publish(): Promise<{ generation: number }> {
    return this.lab.ask(MANAGER, 'publish', {});
  }

  /** The NSX Manager appliance goes down or comes back (its REST API with it). */
  async manager(state: 'up' | 'down'): Promise<void> {
    await this.lab.ask(MANAGER, 'appliance', { state });
  }

  async probe(spec: ProbeSpec): Promise<ProbeResult> {
    const dstIp = await this.addressOf(spec.to);
    const probe = this.lab.newProbeId();
    const fromAdmin = spec.from === 'admin-ws';
    const body = { vm: spec.from, probe, dst: dstIp, proto: spec.proto, port: spec.port, flags: spec.flags, request: spec.request };
    if (fromAdmin) await this.lab.ask(FABRIC, 'admin-traffic', body);
    else await this.lab.ask(await this.hostOf(spec.from), 'traffic', body);
    return this.withIdentity(this.conclude(probe, spec, dstIp));
  }

  /**
   * Probes asked together, for goal checks in a dry run (Lab.requestAll): one wave asks vCenter
   * where each VM runs and every host for each destination's address (the host running it
   * answers), and exchanges that share no VM run together (the lab's waves carry them all), so
   * they cost the round trips of the longest, not the sum. Each gives what `probe` would, without
   * the identity naming (no check reads it, and asking would reach NSX Manager), or the Error that
   * probe met. `last`: nothing else follows in the dry run, so the last round's waves stop once
   * each of its probes has reported (a TCP exchange's final ACK is then not sent: its verdict,
   * answer and deciding rule are known by then).
   */
  async probeAll(specs: readonly ProbeSpec[], { last = false }: { last?: boolean } = {}): Promise<(ProbeResult | Error)[]> {
    const vms = [...new Set(specs.flatMap((s) => [...(s.from === 'admin-ws' ? [] : [s.from]), ...(IPV4.test(s.to) ? [] : [s.to])]))];
    const targets = [...new Set(specs.map((s) => s.to).filter((t) => !IPV4.test(t)))];
    const hosts = this.lab.componentsOfType('host');
    const asked = await this.lab.requestAll([
      ...vms.map((vm) => ({ to: 'vcenter', kind: 'locate', body: { vm } })),
      ...targets.flatMap((vm) => hosts.map((host) => ({ to: host, kind: 'vm-info', body: { vm } }))),
    ]);
    const hostOf = new Map(vms.map((vm, i) => [vm, asked[i] instanceof Error ? asked[i] : (asked[i] as { host: string }).host]));
    // Each destination's address as the host vCenter places it on answers, or why there is none.
    const addressOf = new Map<string, string | Error>(targets.map((vm, t) => {
      const host = hostOf.get(vm)!;
      if (host instanceof Error) return [vm, host];
      const at = hosts.indexOf(host);
      const info = at < 0 ? new Error(`${host} did not answer 'vm-info'`) : asked[vms.length + t * hosts.length + at];
      return [vm, info instanceof Error ? info : (info as { ip: string }).ip];
    }));
    // Each probe's destination address and the component its exchange starts at, or why it cannot run.
    const planned = specs.map((spec): { dstIp: string; at: string } | Error => {
      const dstIp = IPV4.test(spec.to) ? spec.to : addressOf.get(spec.to)!;
      if (dstIp instanceof Error) return dstIp;
      const at = spec.from === 'admin-ws' ? 'fabric' : hostOf.get(spec.from)!;
      return at instanceof Error ? at : { dstIp, at };
    });
    const out: (ProbeResult | Error)[] = planned.map((p) => (p instanceof Error ? p : new Error('not sent')));
    // Exchanges that share a VM wait for a later round: a guest with two at once would not
    // answer as it does to each alone (its ARP queue holds one packet per address).
    const rounds: { index: number; spec: ProbeSpec; dstIp: string; at: string }[][] = [];
    planned.forEach((p, index) => {
      if (p instanceof Error) return;
      const vms = (r: { spec: ProbeSpec; dstIp: string }) => [r.spec.from, r.spec.to, r.dstIp];
      const mine = vms({ spec: specs[index], dstIp: p.dstIp });
      const round = rounds.find((rs) => rs.every((r) => !vms(r).some((v) => mine.includes(v))));
      const entry = { index, spec: specs[index], ...p };
      if (round) round.push(entry);
      else rounds.push([entry]);
    });
    for (const [n, round] of rounds.entries()) {
      const sent = round.map((r) => ({ ...r, probe: this.lab.newProbeId() }));
      // A lone segment reports as it is sent, before it arrives: its round runs to the end.
      const reported = last && n === rounds.length - 1 && round.every((r) => r.spec.flags === undefined)
        ? () => sent.every((r) => this.lab.probeReported(r.probe))
        : undefined;
      const answers = await this.lab.requestAll(sent.map(({ spec, probe, dstIp, at }) => ({
        to: at,
        kind: spec.from === 'admin-ws' ? 'admin-traffic' : 'traffic',
        body: { vm: spec.from, probe, dst: dstIp, proto: spec.proto, port: spec.port, flags: spec.flags, request: spec.request },
      })), reported);
      const reports = this.lab.takeInbox('probe-result');
      sent.forEach((r, i) => {
        const answer = answers[i];
        out[r.index] = answer instanceof Error ? answer : this.conclude(r.probe, r.spec, r.dstIp, reports);
      });
    }
    return out;
  }

  /** Asks NSX Manager whether the deciding rule matched by identity (a directory group's user logged on at either end). */
  private async withIdentity(r: ProbeResult): Promise<ProbeResult> {
    if (r.by !== 'rule' || r.ruleId === undefined || r.spec.from === 'admin-ws') return r;
    try {
      const srcIp = await this.addressOf(r.spec.from);
      const { text } = await this.lab.ask(MANAGER, 'identity-explain', { ruleId: r.ruleId, src: srcIp, dst: r.dstIp });
      return text ? { ...r, identity: text } : r;
    } catch {
      return r; // NSX Manager is down: the verdict stands, without the identity it would name
    }
  }

  /** The identity firewall as NSX Manager sees it: directory, logons, identity-based security groups. */
  identity(): Promise<IdentityView> {
    return this.lab.ask(MANAGER, 'identity-view', {});
  }

  /** Edits the lab's directory (Users and Groups screen); throws with the reason when refused. */
  async editDirectory(edit: DirectoryEdit): Promise<IdentityView> {
    const r = await this.lab.ask(MANAGER, 'identity-edit', edit);
    if (!r.ok) throw new Error(r.error);
    return r.view;
  }

  /** Can the admin workstation open that management screen (HTTPS) through the network? */
  reach(app: keyof typeof MANAGEMENT_APPS): Promise<ProbeResult> {
    return this.probe(reachProbe(app));
  }

  async session(spec: SessionSpec): Promise<ProbeResult> {
    const vm = spec.do === 'open' ? spec.from : this.lab.sessions.get(spec.name);
    if (!vm) throw new Error(spec.do === 'open' ? `session ${spec.name}: open needs 'from'` : `no session named ${spec.name}`);
    const dstIp = spec.to ? await this.addressOf(spec.to) : '';
    const probe = this.lab.newProbeId();
    await this.lab.ask(await this.hostOf(vm), 'session', { vm, probe, name: spec.name, do: spec.do, dst: dstIp, proto: spec.proto ?? 'tcp', port: spec.port });
    if (spec.do === 'open') this.lab.keepSession(spec.name, vm);
    if (spec.do === 'close') this.lab.keepSession(spec.name, undefined);
    return this.conclude(probe, { from: vm, to: spec.to ?? '', proto: 'tcp', port: spec.port }, dstIp);
  }

  /** A line typed in a VM's console; `ping`, `nc` and `curl` run real exchanges from that VM. */
  async guest(vm: string, cmd: string): Promise<string> {
    const tool = parseNetTool(cmd);
    if (tool) {
      await this.hostOf(vm); // an unknown VM fails here, as any console command does
      return tool.ok ? runNetTool(tool.cmd, this.netIO(vm)) : tool.text;
    }
    const app = parseAppTool(cmd);
    if (app) {
      await this.hostOf(vm);
      return app.ok ? runAppTool(app.cmd, this.appIO(vm)) : app.text;
    }
    const iperf = parseIperfClient(cmd);
    if (iperf) {
      await this.hostOf(vm);
      return iperf.ok ? runIperfClient(vm, iperf.cmd, this.transferIO(vm)) : iperf.text;
    }
    const govc = parseGovc(cmd);
    if (govc) {
      await this.hostOf(vm);
      return govc.ok ? runGovc(govc.cmd, { reach: () => this.probe({ from: vm, to: 'vcsa-01a', proto: 'tcp', port: 443 }), inventory: () => this.inventory(), reconfigure: (r) => this.reconfigureVm(r) }) : govc.text;
    }
    const iptables = await runBridgeIptables(vm, cmd, (body) => this.lab.ask(FABRIC, 'bridge-rules', body));
    if (iptables !== null) return iptables;
    const r = await this.lab.ask(await this.hostOf(vm), 'guest-shell', { vm, cmd });
    return r.text;
  }

  /** Edit Settings of a VM (CPU limit/reservation in MHz, a network adapter's port group); throws with vCenter's reason when refused. */
  async reconfigureVm(r: VmReconfigure): Promise<string> {
    const a = await this.lab.ask(VCENTER, 'vm-reconfigure', r);
    if (!a.ok) throw new Error(a.error);
    return a.text;
  }

  /** Bulk transfers measured with iperf (throughput, bridge VM and host CPU), oldest first. */
  transfers(): Promise<TransferRecord[]> {
    return this.lab.ask(VCENTER, 'transfers', {});
  }

  async host(host: string, cmd: string): Promise<string> {
    const r = await this.lab.ask(await this.hostId(host), 'host-shell', { cmd });
    return r.text;
  }

  /** A host's CPU and memory capacity and the DFW's use of them (the vSphere client's host Summary). */
  async hostResources(host: string): Promise<HostResources> {
    return this.lab.ask(await this.hostId(host), 'resources', {});
  }

  /** A login to NSX Manager (the REST API with basic auth, or the client's session): an audit entry. */
  async login(user: string, via: 'rest' | 'ui', ok: boolean): Promise<void> {
    await this.lab.ask(MANAGER, 'login', { user, via, ok });
  }

  /** A line typed in a host's console: `follow` names a command that keeps printing (tail -f, pktcap-uw) until Ctrl-C. */
  async hostConsole(host: string, cmd: string): Promise<{ text: string; follow?: number }> {
    return this.lab.ask(await this.hostId(host), 'host-shell', { cmd, interactive: true });
  }

  /** What a following command printed since the last call; `stop` is Ctrl-C. */
  async hostFollow(host: string, follow: number, stop = false): Promise<{ text: string; done: boolean }> {
    return this.lab.ask(await this.hostId(host), 'host-follow', { follow, stop });
  }

  /** Files the host's shell wrote (pktcap-uw -o), and one file's bytes when `path` is given. */
  async hostFiles(host: string, path = ''): Promise<{ files: { path: string; size: number }[]; bytes: Uint8Array | null }> {
    return this.lab.ask(await this.hostId(host), 'host-file', { path });
  }

  async vmotion(vm: string, to: string): Promise<void> {
    const r = await this.lab.ask(VCENTER, 'vmotion', { vm, to });
    if (!r.ok) throw new Error(r.error);
  }

  async power(vm: string, state: 'on' | 'off'): Promise<void> {
    const r = await this.lab.ask(VCENTER, 'power', { vm, state });
    if (!r.ok) throw new Error(r.error);
  }

  /** vsfwd on a host: crash (the watchdog restarts it), stop (stays down) or start. Returns what the service script prints. */
  async vsfwd(host: string, action: 'crash' | 'stop' | 'start'): Promise<string> {
    const r = await this.lab.ask(await this.hostId(host), 'vsfwd-control', { action });
    return r.text;
  }

  /** Cuts or heals a host's link to the message bus; `corrupt` damages the next RuleSet to it (a failed publish). */
  async bus(host: string, state: 'cut' | 'heal' | 'corrupt'): Promise<void> {
    await this.lab.ask(BUS, state, { host: await this.hostId(host) });
  }

  /** The bus sniffer: every message the broker routed (after `sinceSeq`), decoded and as hex. */
  async busCapture(filter: { sinceSeq?: number; type?: PayloadType; host?: string } = {}): Promise<DecodedCapture[]> {
    const host = filter.host ? await this.hostId(filter.host) : undefined;
    const r = await this.lab.ask(BUS, 'capture', { sinceSeq: filter.sinceSeq ?? 0 });
    // The protobuf decoder (~90 KB) loads when the sniffer is first read, not with the app's first screen.
    const { describeCapture } = await import('../protocol/payloads');
    return r.entries
      .filter((e) => (!filter.type || e.type === filter.type) && (!host || e.from === host || e.to === host || e.routingKey === host))
      .map(describeCapture);
  }

  /** The broker's connections (TCP/5671), queues with their depth, and cut links. */
  busState(): Promise<BusDescription> {
    return this.lab.ask(BUS, 'describe', {});
  }

  /** Latest threshold samples (CPU, memory, connections per second) each host reported to NSX Manager. */
  async thresholds(): Promise<Record<string, ThresholdView>> {
    return (await this.lab.ask(MANAGER, 'bus-view', {})).thresholds;
  }

  /** Each host's recent threshold reports to NSX Manager (half an hour of lab time), oldest first; per host, only those after `since[host]` (lab time, ms). */
  thresholdHistory(since: Record<string, number> = {}): Promise<Record<string, ThresholdView[]>> {
    return this.lab.ask(MANAGER, 'threshold-history', { since });
  }

  /** Live flows (the last 5 s window each host reported); aggregated flows are in GET /api/2.1/app/flow/flowstats. */
  async liveFlows(): Promise<Record<string, FlowRecord[]>> {
    return (await this.lab.ask(MANAGER, 'bus-view', {})).liveFlows;
  }

  /**
   * NSX Traceflow: a probe from the source VM's vNIC and its ordered observations. It runs as a
   * dry run: NSX marks a Traceflow packet and consumes it before the destination guest, so it
   * opens no connection and teaches no ARP entry in the guests; here it leaves nothing at all.
   */
  traceflow(spec: ProbeSpec): Promise<TraceflowResult & { verdict: ProbeResult['verdict']; ruleId?: number }> {
    return this.dryRun(async (dry) => {
      const r = await dry.probe(spec);
      const names = Object.fromEntries((await dry.inventory()).hosts.map((h) => [h.moid, h.name]));
      return { ...traceflow(r.probe, r.trace, names), verdict: r.verdict, ruleId: r.ruleId };
    });
  }

  wait(seconds: number): Promise<void> {
    return this.lab.advance(Math.round(seconds * 1000));
  }

  /** Advances the clock by whole milliseconds: the app's realtime mode moves it with wall time this way. */
  advanceClock(ms: number): Promise<void> {
    return this.lab.advance(ms);
  }

  /** Runs the clock to the next scheduled message (simulation mode's step); returns how far it moved, in ms. */
  async step(): Promise<number> {
    const next = this.lab.nextDue();
    const by = next === undefined ? 0 : Math.max(0, next - this.lab.now);
    await this.lab.advance(by);
    return by;
  }

  /** `inbox`: probe results already taken from the lab (probes run together share one take). */
  private conclude(probe: number, spec: ProbeSpec, dstIp: string, inbox = this.lab.takeInbox('probe-result')): ProbeResult {
    const report = inbox.find((r) => r.probe === probe);
    const trace = this.lab.takeTrace(probe);
    const lone = spec.flags !== undefined;
    const target = IPV4.test(spec.to) ? undefined : spec.to;
    const v = judge(trace, (report?.ok || report?.reached) ?? false, lone ? (target ?? trace.find((r) => r.action === 'DELIVERED' && r.place === 'guest')?.vm ?? '?') : undefined);
    const detail = v.verdict === 'dropped' && v.decisive
      ? `${v.decisive.action} at ${v.decisive.hop}${v.decisive.slot !== undefined ? ` slot ${v.decisive.slot}` : ''}: ${v.decisive.reason ?? v.decisive.detail ?? ''}`.trim()
      : (report?.detail ?? (v.verdict === 'dropped' ? 'no answer: the exchange did not complete' : 'delivered'));
    const answer = report && (report.ok || report.reached) ? { reached: true, refused: report.refused, reply: report.reply, ttl: report.ttl } : undefined;
    return { probe, spec, dstIp, verdict: v.verdict, by: v.by, ruleId: v.ruleId, detail, trace, answer };
  }

  /** The console tools' view of the network: names resolve to VM addresses (the lab's DNS), exchanges are probes. */
  private netIO(vm: string): NetIO {
    return {
      resolve: async (name) => {
        const bare = name.replace(/\.corp\.local\.?$/i, '');
        if (IPV4.test(bare)) return bare.split('.').every((o) => Number(o) <= 255) ? bare : undefined;
        const known = (await this.inventory()).vms.find((v) => v.name === bare);
        return known ? this.addressOf(known.name) : undefined;
      },
      exchange: async (x) => {
        const r = await this.probe({ from: vm, to: x.dst, proto: x.proto, port: x.port, request: x.request });
        // A TCP segment delivered back to the client (a SYN-ACK at least; ARP replies do not count) means the connection opened.
        const connected = x.proto === 'tcp' && r.trace.some((t) => t.action === 'DELIVERED' && t.place === 'guest' && t.vm === vm && t.packet?.startsWith('TCP ') === true);
        return { answered: r.answer !== undefined, refused: r.answer?.refused, reply: r.answer?.reply, ttl: r.answer?.ttl, connected, hops: r.trace.length };
      },
      elapse: (seconds) => this.wait(seconds),
    };
  }

  private transferIO(vm: string): TransferIO {
    return {
      resolve: this.netIO(vm).resolve,
      probe: (spec) => this.probe(spec),
      inventory: () => this.inventory(),
      fabric: () => this.lab.request<FabricState>('fabric', 'describe', {}),
      now: () => this.lab.now,
      advance: (ms) => this.lab.advance(ms),
      record: async (r) => {
        await this.lab.ask(VCENTER, 'transfer-record', r);
      },
      hostLoad: async (hostId, load) => {
        await this.lab.request(hostAddress(hostId), 'cpu-load', load);
      },
    };
  }

  /** `ftp` and `rpcinfo`: the same resolver and exchanges as the network tools, plus a whole FTP session. */
  private appIO(vm: string): AppIO {
    const net = this.netIO(vm);
    return {
      resolve: net.resolve,
      exchange: async (x) => {
        const r = await this.probe({ from: vm, to: x.dst, proto: x.proto, port: x.port, request: x.request });
        return { answered: r.answer !== undefined, refused: r.answer?.refused, reply: r.answer?.reply };
      },
      ftp: async (dst, serverName, passive) => (await this.ftpSession(vm, dst, passive, serverName)).session,
      dialog: async (dst, serverName, call) => (await this.dialogSession(vm, dst, call, serverName)).text,
    };
  }

  /**
   * `tnsping`, `sqlplus` or `rpcclient` from a VM: the control connection (listener, endpoint
   * mapper) and the connection it announces share one probe, so the trace shows both and the ALG
   * expectation that let the second one in.
   */
  async dialogSession(vm: string, to: string, call: DialogCall, serverName = to): Promise<{ result: ProbeResult; text: string }> {
    const dst = await this.addressOf(to);
    const probe = this.lab.newProbeId();
    const host = await this.hostOf(vm);
    await this.lab.ask(host, 'dialog', { vm, probe, dst, serverName, ...call });
    const result = this.conclude(probe, { from: vm, to: serverName, proto: 'tcp', port: call.port }, dst);
    if (result.answer?.reply !== undefined && !result.answer.refused) return { result, text: result.answer.reply };
    const { text } = await this.lab.ask(host, 'dialog-abort', { vm, refused: result.answer?.refused === true });
    return { result, text };
  }

  /**
   * One FTP session from a VM to a VM name or address: anonymous login, `ls`, `bye`. Control and
   * data connections share one probe, so its trace shows both (and an ALG expectation, if any).
   */
  async ftpSession(vm: string, to: string, passive: boolean, serverName = to): Promise<FtpSessionResult> {
    const dst = await this.addressOf(to);
    const probe = this.lab.newProbeId();
    const host = await this.hostOf(vm);
    await this.lab.ask(host, 'ftp', { vm, probe, dst, serverName, passive });
    const result = this.conclude(probe, { from: vm, to, proto: 'tcp', port: 21 }, dst);
    if (result.answer?.reply !== undefined && !result.answer.refused) return { result, session: { finished: true, refused: false, transcript: result.answer.reply } };
    // The session stalled (a connection the firewall dropped) or was refused: the client gives up.
    const { text } = await this.lab.ask(host, 'ftp-abort', { vm });
    return { result, session: { finished: false, refused: result.answer?.refused === true, transcript: text } };
  }

  private async hostOf(vm: string): Promise<Address<HostMessages>> {
    const r = await this.lab.ask(VCENTER, 'locate', { vm });
    return hostAddress(r.host);
  }

  private async hostId(nameOrMoid: string): Promise<Address<HostMessages>> {
    const inv = await this.inventory();
    const host = inv.hosts.find((h) => h.name === nameOrMoid || h.moid === nameOrMoid);
    if (!host) throw new Error(`no host named ${nameOrMoid}`);
    return hostAddress(host.moid);
  }

  /** A VM's real address (from its guest, which knows it even when Tools is stopped), or a literal IP. */
  private async addressOf(target: string): Promise<string> {
    if (IPV4.test(target)) return target;
    const r = await this.lab.ask(await this.hostOf(target), 'vm-info', { vm: target });
    return r.ip;
  }
}
