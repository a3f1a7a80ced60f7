/**
 * The manager's data model: the firewall configuration, grouping objects and everything else
 * NSX Manager keeps. All plain JSON so a snapshot restores an identical manager.
 */
import type { IdentityState } from './identity/directory';
import type { HostPrepRecords } from './installation/host-prep-status';
import type { Inventory } from '../protocol/inventory';
import type { RedirectSection, ServiceInsertionState } from './service-insertion/model';
import type { FlowRecord } from '../protocol/host-reports';

export type { FlowRecord, ReportedBinding } from '../protocol/host-reports';
import type { FirewallConfig, ObjectRef } from '../protocol/nsx/firewall-types';
import type { EventThresholds } from '../protocol/nsx/thresholds';
export type { EventThresholds } from '../protocol/nsx/thresholds';
export type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, RuleSide, SectionType, ServiceRef } from '../protocol/nsx/firewall-types';
import type { IpSet, MacSet, SecurityGroup, SecurityTag, ServiceDef, ServiceGroupDef } from '../protocol/nsx/grouping-types';
export type { CriteriaKey, CriteriaOp, DynamicCriteria, DynamicSet, IpSet, MacSet, SecurityGroup, SecurityTag, ServiceDef, ServiceGroupDef } from '../protocol/nsx/grouping-types';
import type { SpoofGuardPolicy } from '../protocol/nsx/spoofguard-codec';
import type { DraftHead } from '../protocol/nsx/draft-codec';
export type { SpoofGuardMode, SpoofGuardPolicy } from '../protocol/nsx/spoofguard-codec';

/** A saved configuration: its head as the API lists it, and the configuration it keeps. */
export interface SavedConfiguration extends DraftHead {
  config: FirewallConfig;
  /** The user's partner redirect sections at the time; absent when the lab had none yet. */
  redirectSections?: RedirectSection[];
}

export interface FirewallAction {
  name: string;
  description: string;
  action: 'allow' | 'block';
  direction: 'inbound' | 'outbound' | 'intra';
  logged: boolean;
  isEnabled: boolean;
  /** Security group on the other side of the policy's groups; absent = any. */
  secondarySecurityGroups: string[];
  applications: string[];
}

/**
 * A Service Composer network introspection action (`category` traffic_steering, class
 * `trafficSteeringSecurityAction`): the firewall action's construct with Redirect / Do not
 * redirect to a partner's service profile instead of Allow / Block (seed 000).
 */
export interface TrafficSteeringAction {
  name: string;
  description: string;
  redirect: boolean;
  /** The partner's service profile, `serviceprofile-1`. */
  serviceProfile: string;
  direction: 'inbound' | 'outbound' | 'intra';
  logged: boolean;
  isEnabled: boolean;
  secondarySecurityGroups: string[];
  applications: string[];
}

export interface SecurityPolicy {
  objectId: string;
  name: string;
  description: string;
  precedence: number;
  securityGroupBindings: string[];
  firewallActions: FirewallAction[];
  /** Ids the generated section and its rules keep across regenerations. */
  sectionId: number;
  ruleIds: number[];
  /** Network introspection actions; absent in labs saved before them. */
  steeringActions?: TrafficSteeringAction[];
  /** The generated redirect section's id and its rules' ids, kept across regenerations. */
  redirectSectionId?: number;
  redirectRuleIds?: number[];
}

/** A vNIC IP as SpoofGuard sees it: discovered by the host, approved by the operator, published to hosts. */
export interface SpoofGuardBinding {
  vnicId: string;
  mac: string;
  ip: string;
  approved: boolean;
  published: boolean;
  /** The host saw this address first on the vNIC: trust on first use approves it. */
  firstLearned?: boolean;
}

export type PublishStatus = 'published' | 'failed' | 'inprogress';

export interface HostPublishStatus {
  generation: number;
  status: PublishStatus;
  startTime: number;
  endTime?: number;
  /** A failed host's NSX event code (301031 config update failed, 301032 rule not applied to a vNIC) and reason. */
  errorCode?: number;
  error?: string;
}

interface GlobalConfiguration {
  layer3RuleOptimize: boolean;
  layer2RuleOptimize: boolean;
  tcpStrictOption: boolean;
  autoDraftDisabled: boolean;
}

export interface SessionTimeouts {
  id: number;
  name: string;
  description: string;
  isDefault: boolean;
  appliedTo: ObjectRef[];
  generationNumber: number;
  values: Record<string, number>;
}

interface IdCounters {
  section: number;
  rule: number;
  draft: number;
  securityTag: number;
  securityGroup: number;
  ipSet: number;
  macSet: number;
  application: number;
  applicationGroup: number;
  policy: number;
  spoofGuardPolicy: number;
  timeouts: number;
}

export type { FlowConfig } from '../protocol/nsx/flow-config';
import type { FlowConfig } from '../protocol/nsx/flow-config';

export interface ManagerState {
  format: 'dfw-lab/manager@1';
  inventory: Inventory;
  /** The published configuration: what GET /config returns and hosts enforce. */
  config: FirewallConfig;
  lastGeneration: number;
  /** Last time a grouping object or the inventory changed address sets (generationNumberObjects). */
  objectsGeneration: number;
  ids: IdCounters;
  drafts: SavedConfiguration[];
  globalConfiguration: GlobalConfiguration;
  eventThresholds: EventThresholds;
  timeouts: SessionTimeouts[];
  securityTags: SecurityTag[];
  securityGroups: SecurityGroup[];
  ipSets: IpSet[];
  macSets: MacSet[];
  /** User-defined services; the predefined ones come from a fixed table. */
  services: ServiceDef[];
  serviceGroups: ServiceGroupDef[];
  securityPolicies: SecurityPolicy[];
  /** VM moids the system excludes (NSX Manager, controllers, edges). */
  exclusionSystem: string[];
  /** VM moids the operator excluded. */
  exclusionUser: string[];
  spoofGuardPolicies: SpoofGuardPolicy[];
  spoofGuardBindings: SpoofGuardBinding[];
  hostStatus: Record<string, HostPublishStatus>;
  flows: FlowRecord[];
  /** Flow monitoring's global settings; absent = DEFAULT_FLOW_CONFIG. */
  flowConfig?: FlowConfig;
  /** When each user last logged in, per way in (the audit log keeps one LOGIN per session); absent in older labs. */
  lastLogins?: Record<string, number>;
  /** The identity firewall's directory and logons (absent in labs saved before it existed: the classroom directory then). */
  identity?: IdentityState;
  /** Host preparation per host, from EAM's reports; absent (or no entry) = prepared before the lab began. */
  hostPrep?: HostPrepRecords;
  /** Partner services, their deployments and the L3 redirect sections (absent until a service is registered). */
  serviceInsertion?: ServiceInsertionState;
}
