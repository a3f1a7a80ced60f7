/**
 * Kernel benchmarks: new-flow classification (compiled vs linear), connection-table hits,
 * and the full slot 0–2 path for an established flow. One core, performance.now() only here.
 *
 *   npx tsx -e "import('./test/bench/kernel.ts').then(m=>m.benchKernel(console.log, []))"
 *   … benchKernel(console.log, ['--classbench', 'fw1_10k', '--trace', 'fw1_10k_trace', '--json'])
 */
import { ConnTable } from '../../workers/host/kernel/conntrack/table';
import { BATCH_STRIDE, HostKernel, type VnicAttachment } from '../../workers/host/kernel/host-kernel';
import type { SimContext } from '../../workers/lab/context';
import { buildTcp, TCP_ACK, TCP_SYN } from '../../workers/protocol/frame';
import type { L3RuleLine } from '../../workers/protocol/ruleset';
import { benchClassBench, benchClassify, fmtRate as fmt, rate } from './classbench/bench';
import { generateRules, headersInside, Rng } from './classbench/generator';

function benchStateTable(flows: number, rng: Rng): number {
  const t = new ConnTable(flows);
  const src = new Int32Array(flows);
  const dst = new Int32Array(flows);
  const sp = new Int32Array(flows);
  const dp = new Int32Array(flows);
  for (let i = 0; i < flows; i++) {
    src[i] = (0x0a000000 | rng.int(1 << 24)) | 0;
    dst[i] = (0xac100000 | rng.int(1 << 20)) | 0;
    sp[i] = 1024 + rng.int(60000);
    dp[i] = rng.pick([80, 443, 53, 22]);
    if (t.find(src[i], dst[i], sp[i], dp[i], 6) < 0) t.insert(src[i], dst[i], sp[i], dp[i], 6);
  }
  for (let e = 0; e < t.hiWater; e++) t.expiry[e] = 1e15;
  // Lookups in a shuffled order, half of them from the reply direction.
  const order = new Int32Array(Math.min(flows, 1 << 20));
  for (let i = 0; i < order.length; i++) order[i] = rng.int(flows);
  const now = 1e12;
  let hits = 0;
  const r = rate(1000, order.length, () => {
    const expiry = t.expiry;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const e = k & 1 ? t.find(dst[i], src[i], dp[i], sp[i], 6) : t.find(src[i], dst[i], sp[i], dp[i], 6);
      if (e >= 0 && expiry[e] > now) hits++;
    }
  });
  if (hits === 0) throw new Error('state bench found nothing');
  return r;
}

class BenchClock implements SimContext {
  t = Date.UTC(2024, 0, 1);
  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  emit(): void {}
}

function benchFullPath(ruleCount: number): { process: number; frames: number; batch: number } {
  const clock = new BenchClock();
  const k = new HostKernel('host-bench', clock);
  const vnic: VnicAttachment = { vmMoid: 'vm-1', vmName: 'bench', worldId: 1000, vnicIndex: 0, mac: '00:50:56:00:00:01', network: 'virtualwire-1', vcUuid: '50260000-0000-0000-0000-000000000001', excluded: false, toolsIps: ['172.16.10.11'] };
  k.attachVnic(vnic);
  const filler: L3RuleLine[] = generateRules(ruleCount - 2, 9).map((r, i) => ({
    id: 2000 + i,
    sectionId: 1,
    direction: 'inout',
    packetType: 'any',
    protocol: r.proto < 0 ? 'any' : r.proto,
    src: { sets: [], cidrs: ['prefix' in r.src ? `${r.src.prefix[0] >>> 24}.${(r.src.prefix[0] >>> 16) & 255}.${(r.src.prefix[0] >>> 8) & 255}.${r.src.prefix[0] & 255}/${r.src.prefix[1]}` : '0.0.0.0/0'], negate: false },
    dst: { sets: [], cidrs: [], negate: false },
    srcPorts: [],
    dstPorts: r.proto === 6 || r.proto === 17 ? [r.dport] : [],
    action: 'deny',
    logged: false,
    stateless: false,
    tcpStrict: false,
  }));
  const allow: L3RuleLine = { ...filler[0], id: 1006, protocol: 6, src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, dstPorts: [[443, 443]], action: 'allow' };
  const def: L3RuleLine = { ...filler[0], id: 1001, protocol: 'any', src: { sets: [], cidrs: [], negate: false }, dstPorts: [], action: 'deny' };
  k.program({ hostId: 'host-bench', generation: 1, addressSets: { 'ip-securitygroup-10': ['172.16.10.11'] }, excluded: [], filters: { 'nic-1000-eth0-vmware-sfw.2': { ruleset: 'domain-c25', generation: 1, l3: [allow, ...filler, def], l2: [] } } });
  const f = (from: 'c' | 's', flags: number, seq: number, ack: number) =>
    buildTcp({ srcMac: from === 'c' ? vnic.mac : '00:50:56:00:00:02', dstMac: from === 'c' ? '00:50:56:00:00:02' : vnic.mac, srcIp: from === 'c' ? '172.16.10.11' : '172.16.20.11', dstIp: from === 'c' ? '172.16.20.11' : '172.16.10.11', srcPort: from === 'c' ? 40000 : 443, dstPort: from === 'c' ? 443 : 40000, seq, ack, flags });
  const ok = [k.process(1000, 0, 'out', f('c', TCP_SYN, 100, 0)), k.process(1000, 0, 'in', f('s', TCP_SYN | TCP_ACK, 900, 101)), k.process(1000, 0, 'out', f('c', TCP_ACK, 101, 901))];
  if (!ok.every((v) => v.pass)) throw new Error('bench session did not establish');
  const ack = f('c', TCP_ACK, 101, 901);
  const processRate = rate(500, 1000, () => {
    for (let i = 0; i < 1000; i++) if (!k.process(1000, 0, 'out', ack).pass) throw new Error('dropped');
  });
  const burst = Array.from({ length: 1024 }, () => ack);
  const verdicts = new Uint8Array(1024);
  const framesRate = rate(700, 1024, () => k.processFrames(1000, 0, 'out', burst, verdicts));
  if (verdicts.some((v) => v !== 0)) throw new Error('dropped in processFrames');
  const headers = new Int32Array(1024 * BATCH_STRIDE);
  for (let i = 0; i < 1024; i++) headers.set([0xac100a0b | 0, 0xac10140b | 0, 6, 40000, 443, TCP_ACK, 101, 901, 64240, 0, 40, 0, 0, 0], i * BATCH_STRIDE);
  const batchRate = rate(700, 1024, () => k.processBatch(1000, 0, 'out', headers, 1024, verdicts));
  if (verdicts.some((v) => v !== 0)) throw new Error('dropped in processBatch');
  return { process: processRate, frames: framesRate, batch: batchRate };
}

export async function benchKernel(print: (line: string) => void, argv: string[]): Promise<void> {
  if (argv.includes('--classbench')) return benchClassBench(print, argv);

  print('DFW lab kernel bench (one core; generated firewall-shaped rule sets, headers drawn inside random rules)');
  print('new-flow classification:');
  for (const n of [100, 1_000, 10_000, 100_000]) {
    const specs = generateRules(n, 1);
    const r = benchClassify(specs, headersInside(specs, 20_000, 2), n >= 100_000 ? 1500 : 600);
    print(`  ${String(n).padStart(6)} rules: compiled ${fmt(r.compiledLookupsPerSec)} (${fmt(r.compiledLookupsPerCpuSec)} of CPU time; build ${r.buildMs.toFixed(0)} ms, ${r.tables} tables, ${(r.bytes / n).toFixed(0)} B/rule) | linear ${fmt(r.linearLookupsPerSec)} | mismatches ${r.mismatches}/${r.checked}`);
    if (r.mismatches > 0) process.exitCode = 1;
  }
  print('state-table hits (typed-array open addressing, both directions, expiry checked):');
  for (const n of [10_000, 1_000_000]) print(`  ${String(n).padStart(8)} flows: ${fmt(benchStateTable(n, new Rng(n)))}`);
  const full = benchFullPath(1000);
  print('full slot 0→1→2 path, established TCP flow, 1k-rule filter:');
  print(`  process() per real frame, Verdict objects: ${fmt(full.process)} pps`);
  print(`  processFrames() bursts of 1024 real frames, parsed per packet: ${fmt(full.frames)} pps`);
  print(`  processBatch() bursts of 1024 pre-parsed headers (typed array): ${fmt(full.batch)} pps`);
}
