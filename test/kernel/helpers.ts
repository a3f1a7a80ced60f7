/** Shared fixtures for the kernel tests: a clocked SimContext, two VMs, rule lines and frames. */
import type { SimContext } from '../../workers/lab/context';
import type { EventInput } from '../../workers/protocol/events';
import { buildArp, buildIcmp, buildTcp, buildUdp, TCP_ACK, TCP_SYN } from '../../workers/protocol/frame';
import type { AddressSets, FilterRules, HostRuleSet, L2RuleLine, L3RuleLine } from '../../workers/protocol/ruleset';
import { HostKernel, type VnicAttachment } from '../../workers/host/kernel/host-kernel';

export class TestClock implements SimContext {
  t = Date.UTC(2024, 0, 15, 9, 0, 0);
  events: EventInput[] = [];
  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  emit(e: EventInput): void {
    this.events.push(e);
  }
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export const WEB: VnicAttachment = {
  vmMoid: 'vm-41',
  vmName: 'web-01',
  worldId: 35677,
  vnicIndex: 0,
  mac: '00:50:56:8c:00:01',
  network: 'virtualwire-1',
  vcUuid: '5026b74d-c56c-1ed9-47c0-092595802fad',
  excluded: false,
  toolsIps: ['172.16.10.11'],
};

export const APP: VnicAttachment = {
  vmMoid: 'vm-42',
  vmName: 'app-01',
  worldId: 35690,
  vnicIndex: 0,
  mac: '00:50:56:8c:00:02',
  network: 'virtualwire-2',
  vcUuid: '502611aa-bbcc-ddee-ff00-112233445566',
  excluded: false,
  toolsIps: ['172.16.20.11'],
};

export const WEB_IP = '172.16.10.11';
export const APP_IP = '172.16.20.11';
export const GW_MAC = '00:50:56:01:00:01';
export const WEB_FILTER = 'nic-35677-eth0-vmware-sfw.2';
export const APP_FILTER = 'nic-35690-eth0-vmware-sfw.2';

let nextId = 2000;

export function l3(partial: Partial<L3RuleLine> & Pick<L3RuleLine, 'action'>): L3RuleLine {
  return {
    id: partial.id ?? nextId++,
    sectionId: 1003,
    direction: 'inout',
    packetType: 'any',
    protocol: 'any',
    src: { sets: [], cidrs: [], negate: false },
    dst: { sets: [], cidrs: [], negate: false },
    srcPorts: [],
    dstPorts: [],
    logged: false,
    stateless: false,
    tcpStrict: false,
    ...partial,
  };
}

export function defaultRule(action: L3RuleLine['action'] = 'allow', logged = false): L3RuleLine {
  return l3({ id: 1001, action, logged });
}

export function l2(partial: Partial<L2RuleLine> & Pick<L2RuleLine, 'action'>): L2RuleLine {
  return {
    id: partial.id ?? nextId++,
    sectionId: 1001,
    direction: 'inout',
    ethertype: 'any',
    src: { sets: [], macs: [], negate: false },
    dst: { sets: [], macs: [], negate: false },
    logged: false,
    ...partial,
  };
}

export function filterRules(l3Lines: L3RuleLine[], l2Lines: L2RuleLine[] = []): FilterRules {
  return { ruleset: 'domain-c25', generation: 1, l3: l3Lines, l2: l2Lines };
}

export const BASE_SETS: AddressSets = {
  'ip-securitygroup-10': [WEB_IP],
  'ip-securitygroup-11': [APP_IP],
};

export function hostRuleSet(filters: Record<string, FilterRules>, addressSets: AddressSets = BASE_SETS, excluded: string[] = []): HostRuleSet {
  return { hostId: 'host-20', generation: 1, filters, addressSets, excluded };
}

/** A host with web-01 and app-01 attached and the given rules on both filters. */
export function labHost(lines: L3RuleLine[], l2Lines: L2RuleLine[] = [], sets: AddressSets = BASE_SETS): { k: HostKernel; clock: TestClock } {
  const clock = new TestClock();
  const k = new HostKernel('host-20', clock);
  k.attachVnic(WEB);
  k.attachVnic(APP);
  const rules = filterRules(lines, l2Lines);
  k.program(hostRuleSet({ [WEB_FILTER]: rules, [APP_FILTER]: rules }, sets));
  return { k, clock };
}

export interface TcpOpts {
  from?: VnicAttachment;
  srcIp?: string;
  dstIp?: string;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  payload?: Uint8Array;
  window?: number;
}

/** A TCP frame web → app (or reversed with from: APP). */
export function tcp(o: TcpOpts = {}): Uint8Array {
  const fromWeb = (o.from ?? WEB) === WEB;
  return buildTcp({
    srcMac: fromWeb ? WEB.mac : APP.mac,
    dstMac: GW_MAC,
    srcIp: o.srcIp ?? (fromWeb ? WEB_IP : APP_IP),
    dstIp: o.dstIp ?? (fromWeb ? APP_IP : WEB_IP),
    srcPort: o.srcPort ?? (fromWeb ? 49152 : 443),
    dstPort: o.dstPort ?? (fromWeb ? 443 : 49152),
    seq: o.seq ?? 1000,
    ack: o.ack ?? 0,
    flags: o.flags ?? TCP_SYN,
    payload: o.payload,
    window: o.window,
  });
}

export function udp(o: { from?: VnicAttachment; srcIp?: string; dstIp?: string; srcPort?: number; dstPort?: number; payload?: Uint8Array } = {}): Uint8Array {
  const fromWeb = (o.from ?? WEB) === WEB;
  return buildUdp({
    srcMac: fromWeb ? WEB.mac : APP.mac,
    dstMac: GW_MAC,
    srcIp: o.srcIp ?? (fromWeb ? WEB_IP : APP_IP),
    dstIp: o.dstIp ?? (fromWeb ? APP_IP : WEB_IP),
    srcPort: o.srcPort ?? (fromWeb ? 5353 : 53),
    dstPort: o.dstPort ?? (fromWeb ? 53 : 5353),
    payload: o.payload,
  });
}

export function icmp(o: { from?: VnicAttachment; type?: number; code?: number; id?: number; srcIp?: string; dstIp?: string; payload?: Uint8Array } = {}): Uint8Array {
  const fromWeb = (o.from ?? WEB) === WEB;
  return buildIcmp({
    srcMac: fromWeb ? WEB.mac : APP.mac,
    dstMac: GW_MAC,
    srcIp: o.srcIp ?? (fromWeb ? WEB_IP : APP_IP),
    dstIp: o.dstIp ?? (fromWeb ? APP_IP : WEB_IP),
    type: o.type ?? 8,
    code: o.code ?? 0,
    id16: o.id ?? 7,
    seq16: 1,
    payload: o.payload,
  });
}

export function arp(from: VnicAttachment, senderIp: string, targetIp: string): Uint8Array {
  return buildArp({ srcMac: from.mac, dstMac: 'ff:ff:ff:ff:ff:ff', op: 1, senderMac: from.mac, senderIp, targetMac: '00:00:00:00:00:00', targetIp });
}

/** Sends a frame out of `from` and, if it passes, into the other VM (same host), like the switch would. */
export function send(k: HostKernel, from: VnicAttachment, frame: Uint8Array) {
  const to = from === WEB ? APP : WEB;
  const out = k.process(from.worldId, from.vnicIndex, 'out', frame);
  if (!out.pass) return { out, in: undefined, delivered: false };
  const inn = k.process(to.worldId, to.vnicIndex, 'in', frame);
  return { out, in: inn, delivered: inn.pass };
}

/** Opens web → app TCP (SYN, SYN-ACK, ACK) and returns the next sequence numbers. */
export function handshake(k: HostKernel, opts: { srcPort?: number; dstPort?: number } = {}): { c: number; s: number; ok: boolean } {
  const sp = opts.srcPort ?? 49152;
  const dp = opts.dstPort ?? 443;
  const a = send(k, WEB, tcp({ srcPort: sp, dstPort: dp, seq: 1000, flags: TCP_SYN }));
  const b = send(k, APP, tcp({ from: APP, srcPort: dp, dstPort: sp, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }));
  const c = send(k, WEB, tcp({ srcPort: sp, dstPort: dp, seq: 1001, ack: 5001, flags: TCP_ACK }));
  return { c: 1001, s: 5001, ok: a.delivered && b.delivered && c.delivered };
}

export function slot2(v: { observations: { slot: number }[] }) {
  return v.observations.filter((o) => o.slot === 2).at(-1);
}
