/**
 * UDP, ICMP-query and other-protocol state: pf's FIRST → SINGLE → MULTIPLE for UDP and
 * "other", FIRST → REPLY for ICMP queries. Peer state 1 = has sent, 2 = has sent more than once.
 */
import { Timer } from '../timers';
import type { ConnTable } from './table';

export function udpNew(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.state[e * 2] = 1;
  t.state[e * 2 + 1] = 0;
  t.timer[e] = Timer.UdpFirst;
  t.expiry[e] = now + timeouts[Timer.UdpFirst];
}

export function udpUpdate(t: ConnTable, e: number, reply: boolean, now: number, timeouts: Float64Array): void {
  const si = reply ? e * 2 + 1 : e * 2;
  const di = reply ? e * 2 : e * 2 + 1;
  if (t.state[si] < 2) t.state[si]++;
  const timer = t.state[di] > 0 ? Timer.UdpMultiple : Timer.UdpSingle;
  t.timer[e] = timer;
  t.expiry[e] = now + timeouts[timer];
}

export function icmpNew(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.state[e * 2] = 1;
  t.state[e * 2 + 1] = 0;
  t.timer[e] = Timer.IcmpFirst;
  t.expiry[e] = now + timeouts[Timer.IcmpFirst];
}

/** The key already pins id, query type and direction, so any hit is a valid query or reply. */
export function icmpUpdate(t: ConnTable, e: number, reply: boolean, now: number, timeouts: Float64Array): void {
  const si = reply ? e * 2 + 1 : e * 2;
  if (t.state[si] < 2) t.state[si]++;
  t.timer[e] = Timer.IcmpFirst;
  t.expiry[e] = now + timeouts[Timer.IcmpFirst];
}

/** An ICMP error came back for an ICMP query session: keep it only for the error timer. */
export function icmpErrorSeen(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.timer[e] = Timer.IcmpError;
  t.expiry[e] = now + timeouts[Timer.IcmpError];
}
