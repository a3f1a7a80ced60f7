/** Flow records as the NSX flow monitoring screens show them, from REST flowstats XML or live reports. */
import { list, num, obj, str, type XmlObject } from '../nsx/xml';

export interface FlowRow {
  startTime: number;
  endTime: number;
  ruleId: number;
  blocked: number;
  protocol: number;
  direction: number;
  sessions: number;
  sourceBytes: number;
  destinationBytes: number;
  sourceIp: string;
  destinationIp: string;
  destinationPort?: number;
}

/** GET /api/2.1/app/flow/flowstats: `<FlowStatsPage><pagingInfo/><flowStatsTcpUdp/>…`. */
export function readFlowStats(doc: XmlObject): { total: number; rows: FlowRow[] } {
  const page = obj(doc.FlowStatsPage);
  const rows = [...list(page.flowStatsTcpUdp), ...list(page.flowStatsLayer3)].map((f) => ({
    startTime: num(f, 'startTime'),
    endTime: num(f, 'endTime'),
    ruleId: num(f, 'ruleId'),
    blocked: num(f, 'blocked'),
    protocol: num(f, 'protocol'),
    direction: num(f, 'direction'),
    sessions: num(f, 'sessions'),
    sourceBytes: num(f, 'sourceBytes'),
    destinationBytes: num(f, 'destinationBytes'),
    sourceIp: str(f, 'sourceIp'),
    destinationIp: str(f, 'destinationIp'),
    destinationPort: str(f, 'destinationPort') ? num(f, 'destinationPort') : undefined,
  }));
  return { total: num(obj(page.pagingInfo), 'totalCount'), rows };
}

export const flowProto = (p: number): string => ['TCP', 'UDP', 'ICMP'][p] ?? String(p);
/** Words, not only colour: blocked 0 allowed, 1 blocked, 2 blocked by SpoofGuard. */
export const flowBlocked = (b: number): string => (b === 0 ? '✔ allowed' : b === 2 ? '✖ blocked (SpoofGuard)' : '✖ blocked');
