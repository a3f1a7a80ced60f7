/**
 * `iperf -c` from a guest console: a real TCP connection to the server's port 5001 (so the DFW
 * and any bridging firewall VM decide), then a transfer whose lab time follows the path it took
 * (workers/fabric/bridge/throughput.ts). The lab clock moves by the transfer's duration and
 * vCenter keeps the measurement for the Charts screen.
 */
import type { ProbeResult, ProbeSpec } from './lab-api';
import type { Inventory } from '../protocol/inventory';
import type { FabricState } from '../fabric/fabric-state';
import type { TransferRecord } from '../vcenter/transfers';
import type { HostCpuLoad } from '../protocol/transfer';
import { planTransfer, type PathFacts } from '../fabric/bridge/throughput';
import { bytesToSend, iperfHeader, iperfReport, IPERF_PORT, type IperfClient } from '../guest/iperf';

export interface TransferIO {
  resolve(name: string): Promise<string | undefined>;
  probe(spec: ProbeSpec): Promise<ProbeResult>;
  inventory(): Promise<Inventory>;
  fabric(): Promise<FabricState>;
  now(): number;
  advance(ms: number): Promise<void>;
  record(r: TransferRecord): Promise<void>;
  /** Tells a host the CPU the transfer costs it while it runs, so its samples (Charts) count it. */
  hostLoad(hostId: string, load: HostCpuLoad): Promise<void>;
}

/** A vCPU with no limit runs at the host's clock. */
const HOST_CORE_MHZ = 2600;

/** What the probe's trace says about the path: the bridge it crossed, the uplinks, the filters. */
function pathFacts(r: ProbeResult, fabric: FabricState, inv: Inventory, from: string, to: string): PathFacts {
  const crossed = fabric.bridges?.find((b) => r.trace.some((t) => t.component === 'fabric' && t.hop === b.name && t.action === 'FORWARDED'));
  const vmHost = (name: string) => inv.vms.find((v) => v.name === name || v.guestIps.includes(name))?.host;
  const filterHosts = [vmHost(from), vmHost(to)].filter((h): h is string => h !== undefined && r.trace.some((t) => t.component === h && t.slot === 2));
  const facts: PathFacts = { crossesHosts: r.trace.some((t) => t.hop === 'VXLAN'), filterHosts };
  if (crossed) {
    const vm = inv.vms.find((v) => v.moid === crossed.vm);
    facts.bridge = { name: crossed.name, host: crossed.host, cpuMhz: vm?.cpuLimitMhz ?? HOST_CORE_MHZ, rules: crossed.rules.length };
  }
  return facts;
}

export async function runIperfClient(vm: string, cmd: IperfClient, io: TransferIO): Promise<string> {
  const ip = await io.resolve(cmd.host);
  if (!ip) return `error: ${cmd.host}: Name or service not known`;
  const r = await io.probe({ from: vm, to: ip, proto: 'tcp', port: IPERF_PORT });
  if (!r.answer) return `${iperfHeader(ip)}\nconnect failed: Connection timed out`;
  if (r.answer.refused) return `${iperfHeader(ip)}\nconnect failed: Connection refused`;
  const [inv, fabric] = await Promise.all([io.inventory(), io.fabric()]);
  const facts = pathFacts(r, fabric, inv, vm, ip);
  const rate = planTransfer(1, facts).bytesPerSecond;
  const plan = planTransfer(bytesToSend(cmd, rate), facts);
  const start = io.now();
  const duration = Math.max(1, Math.round(plan.seconds * 1000));
  const what = `iperf ${vm} → ${cmd.host} ${facts.bridge ? `through ${facts.bridge.name}` : 'through the kernel DFW'}`;
  for (const [host, mhz] of Object.entries(plan.hostCpuMhz)) await io.hostLoad(host, { from: start, until: start + duration, mhz, what });
  await io.advance(duration);
  const hostName = (moid: string) => inv.hosts.find((h) => h.moid === moid)?.name ?? moid;
  const named = { ...plan, hostCpuMhz: Object.fromEntries(Object.entries(plan.hostCpuMhz).map(([h, mhz]) => [hostName(h), mhz])) };
  const fromIp = inv.vms.find((v) => v.name === vm)?.guestIps[0] ?? vm;
  const record: TransferRecord = {
    start, end: io.now(), from: vm, to: inv.vms.find((v) => v.guestIps.includes(ip))?.name ?? ip, bytes: plan.bytes, bytesPerSecond: plan.bytesPerSecond,
    path: facts.bridge ? 'bridge' : 'dfw', hostCpuMhz: named.hostCpuMhz,
  };
  if (facts.bridge) record.bridge = { name: facts.bridge.name, limitMhz: facts.bridge.cpuMhz, usedMhz: Math.round(plan.bridgeMhz! * 10) / 10, percent: Math.round(plan.bridgePercent!) };
  await io.record(record);
  const path = facts.bridge
    ? { path: `through ${facts.bridge.name} on ${hostName(facts.bridge.host)}`, detail: `CPU limit ${facts.bridge.cpuMhz} MHz, at ${record.bridge!.percent} %` }
    : { path: 'kernel DFW only', detail: facts.crossesHosts ? 'across the 100 Mbit/s uplink' : 'within one host, at the virtual switch' };
  return iperfReport(fromIp, ip, named, path);
}
