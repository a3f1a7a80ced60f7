/**
 * Flows vsfwd collects from the kernel's verdicts: one record per connection orientation and
 * rule, with packets and bytes each way. Live flows are what changed in the last 5 s;
 * aggregated flows are the 5-minute window NSX Manager stores for flow statistics.
 */
import type { FlowRecord } from '../../protocol/host-reports';
import { parseFrame, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../protocol/frame';
import type { DatapathVerdict } from '../datapath';

export const LIVE_INTERVAL_MS = 5_000;
export const AGGREGATE_INTERVAL_MS = 5 * 60_000;
const MAX_FLOWS = 2_000;

export interface FlowTableState {
  windowStart: number;
  flows: Record<string, FlowRecord & { touched: number }>;
}

export function initialFlows(now: number): FlowTableState {
  return { windowStart: now, flows: {} };
}

const PROTOCOLS: Record<number, number> = { [PROTO_TCP]: 0, [PROTO_UDP]: 1, [PROTO_ICMP]: 2 };

/** Accounts one frame seen on a vNIC. True when it opened a new connection (a rule, not the state table, let it in). */
export function accountFrame(t: FlowTableState, now: number, contextId: string, network: string, dir: 'in' | 'out', frame: Uint8Array, verdict: DatapathVerdict): boolean {
  const slot2 = verdict.observations.filter((o) => o.slot === 2).at(-1);
  if (!slot2) return false;
  const p = parseFrame(frame);
  if (p.kind !== 'ipv4' || !(p.proto in PROTOCOLS)) return false;
  const opened = slot2.table === 'rule' || slot2.table === 'default';
  const blocked = verdict.pass ? 0 : slot2.reason === 'SpoofGuard' ? 2 : 1;
  const fwd = `${contextId}|${p.proto}|${p.srcIp}|${p.dstIp}|${p.dstPort}`;
  const rev = `${contextId}|${p.proto}|${p.dstIp}|${p.srcIp}|${p.srcPort}`;
  const existing = t.flows[fwd] ?? t.flows[rev];
  const forward = existing ? t.flows[fwd] === existing : true;
  const rec = existing && !(opened && forward) ? existing : (t.flows[fwd] ??= newFlow(now, contextId, network, dir, p, slot2.ruleId ?? 0, blocked));
  rec.endTime = now;
  rec.touched = now;
  if (opened && forward) rec.sessions++;
  if (forward) {
    rec.sourcePackets++;
    rec.sourceBytes += frame.length;
  } else {
    rec.destinationPackets++;
    rec.destinationBytes += frame.length;
  }
  trim(t);
  return opened && verdict.pass;
}

function newFlow(now: number, contextId: string, network: string, dir: 'in' | 'out', p: Extract<ReturnType<typeof parseFrame>, { kind: 'ipv4' }>, ruleId: number, blocked: 0 | 1 | 2): FlowRecord & { touched: number } {
  return {
    startTime: now, endTime: now, touched: now, ruleId, blocked, protocol: PROTOCOLS[p.proto]!, direction: dir === 'in' ? 0 : 1, sessions: 0,
    sourcePackets: 0, destinationPackets: 0, sourceBytes: 0, destinationBytes: 0, networkId: network, sourceIp: p.srcIp, destinationIp: p.dstIp,
    destinationPort: p.proto === PROTO_ICMP ? undefined : p.dstPort, contextId,
  };
}

function trim(t: FlowTableState): void {
  const keys = Object.keys(t.flows);
  if (keys.length <= MAX_FLOWS) return;
  keys.sort((a, b) => t.flows[a]!.touched - t.flows[b]!.touched);
  for (const k of keys.slice(0, keys.length - MAX_FLOWS)) delete t.flows[k];
}

const strip = ({ touched: _t, ...f }: FlowRecord & { touched: number }): FlowRecord => f;

/** Flows active at or after `since`. */
export function liveFlows(t: FlowTableState, since: number): FlowRecord[] {
  return Object.values(t.flows).filter((f) => f.touched >= since).map(strip);
}

/** The window's flows, and a fresh window. */
export function closeWindow(t: FlowTableState, now: number): FlowRecord[] {
  const out = Object.values(t.flows).map(strip);
  t.flows = {};
  t.windowStart = now;
  return out;
}
