/** Public shapes of the kernel API (the host component wires these). */
import type { AddressSets, FilterRules, HostRuleSet } from '../../protocol/ruleset';
import type { ActionName, ReasonName, TableName } from './codes';
import type { ConnRecord } from './conntrack/table';
import type { AlgExpectation } from './alg/expectations';
import type { SfwFilterState } from './sfw/filter';
import type { PartnerSvm } from './redirect/partner';
import type { ServiceFilterState } from './redirect/service-filter';
import type { ResourceUse } from '../vsfwd/resource-model';
import type { BindingSource, SpoofGuardMode, SwsecState } from './swsec';

/** What the host tells the kernel about a vNIC it attaches: the host's datapath contract. */
import type { VnicAttachment } from '../datapath';
import type { VnicFilterTransfer } from '../../protocol/messages/host';

export type { VnicAttachment };

export interface Observation {
  /** 4: the partner service's serviceinstance filter (service insertion). */
  slot: 0 | 1 | 2 | 4;
  filter: string;
  table: TableName;
  ruleId?: number;
  action: ActionName;
  reason: ReasonName;
  detail?: string;
}

export interface Verdict {
  pass: boolean;
  observations: Observation[];
  /** For reject: the TCP RST or ICMP unreachable to send back towards the sender. */
  reply?: Uint8Array;
}

export interface DiscoveredBinding {
  vnicId?: string;
  filter: string;
  mac: string;
  ip: string;
  source: BindingSource;
  approved: boolean;
  /** One of the addresses the vNIC was first seen with: what trust on first use approves. */
  firstLearned: boolean;
}

/** Everything a vNIC's filters carry across a vMotion. */
export interface VnicTransfer extends VnicFilterTransfer {
  format: 'dfw-lab/vnic-transfer@1';
  fromHost: string;
  filterName: string;
  rules: FilterRules | null;
  /** The address sets those rules name, as the source host had them. */
  addressSets: AddressSets;
  connections: ConnRecord[];
  expectations: AlgExpectation[];
  hits: number[];
  swsec: SwsecState;
}

export interface SpoofGuardConfig {
  mode: SpoofGuardMode;
  approved: { mac: string; ip: string }[];
}

interface VnicState {
  attachment: VnicAttachment;
  port: number;
  swsec: SwsecState;
  sfw: SfwFilterState | null;
}

export interface HostKernelState {
  format: 'dfw-lab/host-kernel@1';
  hostId: string;
  nextPort: number;
  nextSweep: number;
  slotFaults: [boolean, boolean, boolean];
  ruleSet: HostRuleSet | null;
  addressSets: AddressSets;
  spoofGuard: Record<string, SpoofGuardConfig>;
  vnics: VnicState[];
  pktlog: string[];
  /** Session timeouts in ms, by timer class. */
  timeouts: number[];
  /** The DFW heap is exhausted: no filter allocates new state (absent = false). */
  heapExhausted?: boolean;
  /** The resource model's last reading, shown by `vsipioctl getmeminfo`. */
  resources?: ResourceUse;
  /** The partner service VM deployed on this host (service insertion), absent when none. */
  partner?: PartnerSvm;
  /** Slot 4 filters' rules and hit counts, by vNIC key. */
  services?: Record<string, ServiceFilterState>;
}
