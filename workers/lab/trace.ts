/**
 * One observation on a probe's path, in NSX Traceflow's terms: which component saw the
 * packet, at which point, and what it decided. A probe's observations in order are its trace.
 */
export type TraceAction = 'INJECTED' | 'RECEIVED' | 'FORWARDED' | 'DELIVERED' | 'PASS' | 'DROP' | 'REJECT';

export interface TraceRecord {
  /** Component id: `host-20`, `fabric`. */
  component: string;
  /** Human-readable place: `web-sv-01a vNIC eth0 (out)`, `Web-LS`, `DLR`, `VXLAN`. */
  hop: string;
  action: TraceAction;
  /** Packet summary, e.g. `TCP 172.16.10.11:41000 → 172.16.30.11:3306 [S]`. */
  packet?: string;
  /** dvfilter slot for kernel observations. */
  slot?: 0 | 1 | 2 | 4;
  filter?: string;
  table?: string;
  ruleId?: number;
  reason?: string;
  detail?: string;
}

export interface ProbeTrace {
  probe: number;
  record: TraceRecord;
}
