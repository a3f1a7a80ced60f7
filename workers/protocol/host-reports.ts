/**
 * What hosts report to NSX Manager over the bus, as both sides read it: flow records,
 * SpoofGuard bindings and threshold samples. vsfwd builds them, the manager keeps them.
 */

/** A flow as hosts report it; fed by the control plane through recordFlows(). */
export interface FlowRecord {
  startTime: number;
  endTime: number;
  ruleId: number;
  /** 0 allowed, 1 blocked, 2 blocked by SpoofGuard. */
  blocked: 0 | 1 | 2;
  /** 0 TCP, 1 UDP, 2 ICMP. */
  protocol: number;
  /** 0 to the VM, 1 from the VM. */
  direction: 0 | 1;
  sessions: number;
  sourcePackets: number;
  destinationPackets: number;
  sourceBytes: number;
  destinationBytes: number;
  networkId?: string;
  sourceIp: string;
  destinationIp: string;
  destinationPort?: number;
  /** The VM or vNIC the record was collected on (`vm-36` or a vNIC id). */
  contextId?: string;
}

/** One address a host's sw-sec discovered on a vNIC, as vsfwd reports it. */
export interface ReportedBinding {
  vnicId: string;
  mac: string;
  ip: string;
  approved: boolean;
  firstLearned?: boolean;
}

export interface ThresholdView {
  at: number;
  samples: { kind: string; value: number; threshold: number; consecutive: number }[];
  alarms: string[];
}

