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

export interface SavedConfiguration {
  id: number;
  name: string;
  description: string;
  preserve: boolean;
  mode: 'autosaved' | 'userdefined' | 'imported';
  user: string;
  timestamp: number;
  config: FirewallConfig;
  /** The user's partner redirect sections at the time; absent when the lab had none yet. */
  redirectSections?: RedirectSection[];
}

export interface SecurityTag {
  objectId: string;
  name: string;
  description: string;
  systemResource: boolean;
  /** VM moids the tag is attached to. */
  vms: string[];
}

export type CriteriaKey = 'VM.NAME' | 'VM.GUEST_HOST_NAME' | 'VM.GUEST_OS_FULL_NAME' | 'VM.SECURITY_TAG' | 'ENTITY';
export type CriteriaOp = 'contains' | 'starts_with' | 'ends_with' | '=' | '!=' | 'similar_to' | 'belongs_to';

export interface DynamicCriteria {
  operator: 'AND' | 'OR';
  key: CriteriaKey;
  criteria: CriteriaOp;
  value: string;
}

export interface DynamicSet {
  operator: 'AND' | 'OR';
  criteria: DynamicCriteria[];
}

export interface SecurityGroup {
  objectId: string;
  name: string;
  description: string;
  /** Object ids statically included (VMs, clusters, hosts, networks, vNICs, IP/MAC sets, groups, tags). */
  members: string[];
  excludeMembers: string[];
  dynamicSets: DynamicSet[];
}

export interface IpSet {
  objectId: string;
  name: string;
  description: string;
  /** Addresses, CIDRs and ranges as entered. */
  values: string[];
}

export interface MacSet {
  objectId: string;
  name: string;
  description: string;
  values: string[];
}

/** One protocol/port element of a service (NSX `application`). */
export interface ServiceDef {
  objectId: string;
  name: string;
  description: string;
  /** TCP, UDP, ICMP, IPV6ICMP, L2SERVICES, an ALG service (FTP, SUN_RPC_TCP, SUN_RPC_UDP, MS_RPC_TCP, MS_RPC_UDP, ORACLE_TNS: the transport plus its application-level gateway) or a protocol number. */
  applicationProtocol: string;
  /** Port list/range for TCP/UDP, ICMP type name for ICMP, ethertype for L2SERVICES. */
  value?: string;
  sourcePort?: string;
  systemResource: boolean;
}

export interface ServiceGroupDef {
  objectId: string;
  name: string;
  description: string;
  members: string[];
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

export type SpoofGuardMode = 'TOFU' | 'MANUAL' | 'DISABLE';

export interface SpoofGuardPolicy {
  policyId: string;
  name: string;
  description: string;
  operationMode: SpoofGuardMode;
  /** Network moids (logical switches, port groups) the policy covers. */
  enforcementPoints: string[];
  allowLocalIPs: boolean;
  defaultPolicy: boolean;
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

export interface FlowConfig {
  collectFlows: boolean;
  ignoreBlockedFlows: boolean;
  ignoreLayer2Flows: boolean;
}

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
