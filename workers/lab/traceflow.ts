/**
 * A probe's trace in NSX Traceflow's words: numbered observations of type Injected,
 * Received, Forwarded, Delivered or Dropped, each on a transport node (a host, or the
 * fabric between them) and a component (vNIC, Firewall, SpoofGuard, Logical Switch, …).
 */
import type { TraceRecord } from '../protocol/trace';

type ObservationType = 'Injected' | 'Received' | 'Forwarded' | 'Delivered' | 'Dropped';

interface TraceflowObservation {
  seq: number;
  type: ObservationType;
  /** Host name, or the component id for non-host hops (`fabric`). */
  transportNode: string;
  component: string;
  hop: string;
  ruleId?: number;
  /** The filter's decision where one was taken: PASS, DROP or REJECT. */
  verdict?: 'PASS' | 'DROP' | 'REJECT';
  reason?: string;
  packet?: string;
}

export interface TraceflowResult {
  probe: number;
  /** Delivered, Dropped, or Incomplete when the packet got lost without a recorded drop. */
  status: 'Delivered' | 'Dropped' | 'Incomplete';
  observations: TraceflowObservation[];
}

const SLOT_COMPONENTS: Record<number, string> = { 0: 'dvfilter (slot 0)', 1: 'SpoofGuard (slot 1 sw-sec)', 2: 'Firewall (slot 2 vmware-sfw)', 4: 'Partner service (slot 4 serviceinstance)' };

function componentOf(r: TraceRecord): string {
  if (r.slot !== undefined) return SLOT_COMPONENTS[r.slot]!;
  if (r.action === 'INJECTED' || r.action === 'DELIVERED') return 'vNIC';
  if (r.place === 'vxlan') return 'VTEP';
  if (r.place === 'router') return 'Distributed Router';
  return 'Logical Switch';
}

function typeOf(r: TraceRecord): ObservationType {
  switch (r.action) {
    case 'INJECTED':
      return 'Injected';
    case 'RECEIVED':
      return 'Received';
    case 'DELIVERED':
      return 'Delivered';
    case 'DROP':
    case 'REJECT':
      return 'Dropped';
    default:
      return 'Forwarded';
  }
}

export function traceflow(probe: number, trace: TraceRecord[], hostNames: Record<string, string>): TraceflowResult {
  const observations = trace.map((r, i): TraceflowObservation => {
    const o: TraceflowObservation = { seq: i + 1, type: typeOf(r), transportNode: hostNames[r.component] ?? r.component, component: componentOf(r), hop: r.hop };
    if (r.ruleId !== undefined) o.ruleId = r.ruleId;
    if (r.action === 'PASS' || r.action === 'DROP' || r.action === 'REJECT') o.verdict = r.action;
    if (r.reason ?? r.detail) o.reason = r.reason ?? r.detail;
    if (r.packet) o.packet = r.packet;
    return o;
  });
  const first = observations.find((o) => o.type === 'Injected');
  // The probe is delivered when a Delivered follows on the far side; a request/reply exchange counts its first leg.
  const dropped = observations.find((o) => o.type === 'Dropped');
  const delivered = observations.find((o) => o.type === 'Delivered' && o.seq > (first?.seq ?? 0));
  const status = delivered && (!dropped || dropped.seq > delivered.seq) ? 'Delivered' : dropped ? 'Dropped' : 'Incomplete';
  return { probe, status, observations };
}
