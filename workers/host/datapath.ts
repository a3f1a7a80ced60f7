import type { HostRuleSet } from '../protocol/ruleset';
import type { VnicFilterTransfer } from '../protocol/messages/host';

/**
 * What the host needs from its kernel data path: per-vNIC filtering of frames, and the
 * attach / detach / transfer of a vNIC's filters. The firewall kernel implements it; until a
 * host is prepared for NSX, frames pass unfiltered.
 */
interface DatapathObservation {
  slot: 0 | 1 | 2 | 4;
  filter: string;
  table: string;
  ruleId?: number;
  action: 'PASS' | 'DROP' | 'REJECT';
  reason: string;
  detail?: string;
}

export interface DatapathVerdict {
  pass: boolean;
  observations: DatapathObservation[];
  /** A reject's answer (TCP RST or ICMP unreachable) to send back towards the sender. */
  reply?: Uint8Array;
}

export interface VnicAttachment {
  vmMoid: string;
  vmName: string;
  worldId: number;
  vnicIndex: number;
  mac: string;
  network: string;
  vcUuid: string;
  excluded: boolean;
  toolsIps: string[];
}

export interface Datapath {
  /** vsfwd programs the filters: rules per vNIC filter and the host's address sets. */
  program(rs: HostRuleSet): void;
  attachVnic(a: VnicAttachment): void;
  detachVnic(worldId: number, vnicIndex: number): void;
  exportVnic(worldId: number, vnicIndex: number): VnicFilterTransfer | null;
  importVnic(transfer: VnicFilterTransfer, a: VnicAttachment): void;
  process(worldId: number, vnicIndex: number, dir: 'in' | 'out', frame: Uint8Array): DatapathVerdict;
  /** A copy sharing nothing the data path goes on changing (EsxHost.snapshotIsCopy relies on it); its shape is the data path's own. */
  snapshot(): object | null;
}

/** An unprepared host: no dvfilter slots, every frame passes. */
export class UnfilteredDatapath implements Datapath {
  program(): void {}
  attachVnic(): void {}
  detachVnic(): void {}
  exportVnic(): null {
    return null;
  }
  importVnic(): void {}
  process(): DatapathVerdict {
    return { pass: true, observations: [] };
  }
  snapshot(): null {
    return null;
  }
}
