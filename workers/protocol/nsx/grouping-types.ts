/**
 * NSX-V's grouping objects (/api/2.0/services): security tags and groups, IP and MAC sets,
 * services (applications) and service groups. What NSX Manager keeps and the screens read.
 * Plain JSON, so a snapshot restores it exactly.
 */

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

/** A member as an answer names it: its id, and the type and name NSX Manager looked up. */
export interface MemberRef {
  objectId: string;
  objectTypeName?: string;
  name?: string;
}
