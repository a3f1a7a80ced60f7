/**
 * Session timers: NSX-V 6.3+ defaults (seconds), indexed by timer class.
 * Names follow pf's timeout names, which NSX's timers map onto one for one.
 */

export const enum Timer {
  TcpFirst = 0,
  TcpOpening = 1,
  TcpEstablished = 2,
  TcpClosing = 3,
  TcpFinWait = 4,
  TcpClosed = 5,
  UdpFirst = 6,
  UdpSingle = 7,
  UdpMultiple = 8,
  IcmpFirst = 9,
  IcmpError = 10,
}

export const TIMER_NAMES = [
  'tcp.first',
  'tcp.opening',
  'tcp.established',
  'tcp.closing',
  'tcp.finwait',
  'tcp.closed',
  'udp.first',
  'udp.single',
  'udp.multiple',
  'icmp.first',
  'icmp.error',
] as const;

/** NSX API field names (`/api/4.0/firewall/globalroot-0/timeouts`), same order. */
const TIMER_API_NAMES = [
  'tcpFirstPacket',
  'tcpOpen',
  'tcpEstablished',
  'tcpClosing',
  'tcpFinWait',
  'tcpClosed',
  'udpFirstPacket',
  'udpSingle',
  'udpMultiple',
  'icmpFirstPacket',
  'icmpErrorReply',
] as const;

const DEFAULT_TIMEOUTS_S: readonly number[] = [120, 30, 43200, 120, 45, 20, 60, 30, 60, 20, 10];

export type SessionTimers = Partial<Record<(typeof TIMER_API_NAMES)[number], number>>;

/** Timeouts in milliseconds, as the tracker adds them to the virtual clock. */
export function timeoutsMs(overrides?: SessionTimers): Float64Array {
  const out = new Float64Array(DEFAULT_TIMEOUTS_S.length);
  for (let i = 0; i < out.length; i++) {
    const v = overrides?.[TIMER_API_NAMES[i]];
    out[i] = (v ?? DEFAULT_TIMEOUTS_S[i]) * 1000;
  }
  return out;
}
