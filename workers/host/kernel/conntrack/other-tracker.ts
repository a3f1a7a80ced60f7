/**
 * UDP, ICMP-query and other-protocol state: pf's FIRST → SINGLE → MULTIPLE for UDP and
 * "other", FIRST → REPLY for ICMP queries. Peer state 1 = has sent, 2 = has sent more than once.
 */
import { Timer } from '../timers';
import type { ConnTable } from './table';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Timer_IcmpError = Timer.IcmpError;
const Timer_IcmpFirst = Timer.IcmpFirst;
const Timer_UdpFirst = Timer.UdpFirst;
const Timer_UdpMultiple = Timer.UdpMultiple;
const Timer_UdpSingle = Timer.UdpSingle;

export function udpNew(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.state[e * 2] = 1;
  t.state[e * 2 + 1] = 0;
  t.timer[e] = Timer_UdpFirst;
  t.expiry[e] = now + timeouts[Timer_UdpFirst];
}

export function udpUpdate(t: ConnTable, e: number, reply: boolean, now: number, timeouts: Float64Array): void {
  const si = reply ? e * 2 + 1 : e * 2;
  const di = reply ? e * 2 : e * 2 + 1;
  if (t.state[si] < 2) t.state[si]++;
  const timer = t.state[di] > 0 ? Timer_UdpMultiple : Timer_UdpSingle;
  t.timer[e] = timer;
  t.expiry[e] = now + timeouts[timer];
}

export function icmpNew(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.state[e * 2] = 1;
  t.state[e * 2 + 1] = 0;
  t.timer[e] = Timer_IcmpFirst;
  t.expiry[e] = now + timeouts[Timer_IcmpFirst];
}

/** The key already pins id, query type and direction, so any hit is a valid query or reply. */
export function icmpUpdate(t: ConnTable, e: number, reply: boolean, now: number, timeouts: Float64Array): void {
  const si = reply ? e * 2 + 1 : e * 2;
  if (t.state[si] < 2) t.state[si]++;
  t.timer[e] = Timer_IcmpFirst;
  t.expiry[e] = now + timeouts[Timer_IcmpFirst];
}

/** An ICMP error came back for an ICMP query session: keep it only for the error timer. */
export function icmpErrorSeen(t: ConnTable, e: number, now: number, timeouts: Float64Array): void {
  t.timer[e] = Timer_IcmpError;
  t.expiry[e] = now + timeouts[Timer_IcmpError];
}
