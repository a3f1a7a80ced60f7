/**
 * Reads a probe's trace and says what happened: allowed or dropped, by which table, and
 * which NSX rule decided. The trace holds the proof; this is its summary.
 */
import type { TraceRecord } from '../protocol/trace';

export type DecidedBy = 'rule' | 'state' | 'spoofguard' | 'excluded' | 'no-filter';

export interface Verdict {
  verdict: 'allowed' | 'dropped';
  by: DecidedBy;
  ruleId?: number;
  /** The observation that decided, when one did. */
  decisive?: TraceRecord;
}

function byOf(r: TraceRecord): DecidedBy {
  if (r.reason === 'SpoofGuard' || r.table === 'swsec') return 'spoofguard';
  if (r.table === 'state') return 'state';
  if (r.reason === 'excluded') return 'excluded';
  return 'rule';
}

/**
 * `completed`: the client saw its exchange through. `deliveredTo`: for a lone segment, the
 * guest that had to receive it.
 */
export function judge(trace: TraceRecord[], completed: boolean, deliveredTo?: string): Verdict {
  // ARP floods reach bystanders too; the exchange's own IP packets decide, ARP only when nothing else does.
  const isArp = (r: TraceRecord) => r.packetKind === 'arp';
  const drops = trace.filter((r) => r.action === 'DROP' || r.action === 'REJECT');
  const stop = drops.find((r) => !isArp(r)) ?? drops[0];
  const arrived = deliveredTo === undefined ? completed : trace.some((r) => r.action === 'DELIVERED' && r.place === 'guest' && r.vm === deliveredTo);
  if (!arrived && stop) return { verdict: 'dropped', by: stop.slot === undefined ? 'no-filter' : byOf(stop), ruleId: stop.ruleId, decisive: stop };
  if (!arrived) return { verdict: 'dropped', by: 'no-filter' };
  const firewall = trace.find((r) => r.slot === 2 && r.action === 'PASS' && r.table !== 'l2-rule' && !isArp(r) && r.reason !== 'excluded');
  if (firewall) return { verdict: 'allowed', by: byOf(firewall), ruleId: firewall.ruleId, decisive: firewall };
  if (trace.some((r) => r.reason === 'excluded' && !isArp(r))) return { verdict: 'allowed', by: 'excluded' };
  return { verdict: 'allowed', by: 'no-filter' };
}
