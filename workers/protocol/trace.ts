/**
 * One observation on a probe's path, in NSX Traceflow's terms: which component saw the
 * packet, at which point, and what it decided. A probe's observations in order are its trace.
 */
export type TraceAction = 'INJECTED' | 'RECEIVED' | 'FORWARDED' | 'DELIVERED' | 'PASS' | 'DROP' | 'REJECT';

/** What kind of place an observation happened at: read this (and `vm`, `network`), never the display text `hop`. */
export type TracePlace = 'guest' | 'vnic' | 'switch' | 'router' | 'vxlan' | 'physical' | 'bridge-vm';

/** What the packet was, as its frame parsed. */
export type PacketKind = 'arp' | 'ip' | 'other' | 'malformed';

export interface TraceRecord {
  /** Component id: `host-20`, `fabric`. */
  component: string;
  /** Human-readable place, for display only: `web-sv-01a vNIC eth0 (out)`, `Web-LS`, `DLR`, `VXLAN`. */
  hop: string;
  place: TracePlace;
  /** The VM at a guest, vNIC, bridge-vm (a bridging firewall VM) or physical (admin workstation) place. */
  vm?: string;
  /** The logical switch or port group at a switch place. */
  network?: string;
  action: TraceAction;
  /** Packet summary for display, e.g. `TCP 172.16.10.11:41000 → 172.16.30.11:3306 [S]`. */
  packet?: string;
  packetKind?: PacketKind;
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
