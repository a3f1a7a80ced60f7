/**
 * The DFW configuration as NSX-V's API describes it (`firewallConfiguration`, `section`,
 * `rule`): what NSX Manager keeps and what the Firewall screen edits (with a few editor-only
 * fields of its own). Plain JSON, so a snapshot restores it exactly.
 */
import type { PacketType, RuleAction, RuleDirection } from '../ruleset';

/** A reference to a grouping object or a literal address, as in `<source><value/><type/></source>`. */
export interface ObjectRef {
  value: string;
  type: string;
  name?: string;
}

/** A service on a rule: a reference to a service object or a raw protocol/port triple. */
export type ServiceRef =
  | { kind: 'ref'; value: string; type: string; name?: string }
  | {
      kind: 'raw';
      protocol: number;
      /** Kept as the client sent it (`80`, `8080-8090`, `80,443`). */
      destinationPort?: string;
      sourcePort?: string;
      subProtocol?: number;
      icmpType?: number;
      icmpCode?: number;
    };

export interface RuleSide {
  excluded: boolean;
  members: ObjectRef[];
}

export interface FirewallRule {
  id: number;
  name: string;
  disabled: boolean;
  logged: boolean;
  action: RuleAction;
  notes?: string;
  /** Empty means "Distributed Firewall" (everywhere). */
  appliedTo: ObjectRef[];
  sources: RuleSide | null;
  destinations: RuleSide | null;
  services: ServiceRef[];
  direction: RuleDirection;
  packetType: PacketType;
  tag?: string;
  /** Set on the default rule of a default section. */
  isDefault?: boolean;
}

export type SectionType = 'LAYER3' | 'LAYER2';

export interface FirewallSection {
  id: number;
  name: string;
  type: SectionType;
  generationNumber: number;
  timestamp: number;
  tcpStrict: boolean;
  stateless: boolean;
  useSid: boolean;
  /** `ServiceComposer` on sections generated from security policies: not editable through the DFW API. */
  managedBy?: string;
  /** The default section of its layer: cannot be deleted, always last. */
  isDefault?: boolean;
  rules: FirewallRule[];
}

export interface FirewallConfig {
  contextId: string;
  generationNumber: number;
  timestamp: number;
  layer3Sections: FirewallSection[];
  layer2Sections: FirewallSection[];
}

