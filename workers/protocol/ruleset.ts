/**
 * The kernel rule format: what the manager computes per vNIC filter, the bus carries
 * (as protobuf, see rules.proto in the control-plane work) and vsfwd programs into vmware-sfw.
 * One entry is one dataplane line as `vsipioctl getrules` prints it: a UI rule with several
 * services becomes several lines sharing the rule id.
 */

export type RuleAction = 'allow' | 'deny' | 'reject';
/** A dataplane line's action: a rule's, or `punt` on a redirect rule (slot 4 hands the packet to the partner). */
export type LineAction = RuleAction | 'punt';
export type RuleDirection = 'in' | 'out' | 'inout';
export type PacketType = 'any' | 'ipv4' | 'ipv6';

/** Addresses a rule side matches: the union of named address sets and literal CIDRs; empty = any. */
export interface AddressMatch {
  /** Address-set names, resolved through the filter's address sets (e.g. `ip-securitygroup-10`). */
  readonly sets: readonly string[];
  /** Literal addresses or CIDRs (`10.0.0.1`, `172.16.10.0/24`). */
  readonly cidrs: readonly string[];
  /** `excluded="true"` in the API: match everything except these. */
  readonly negate: boolean;
}

export type PortRange = readonly [lo: number, hi: number];

/**
 * Rule lines, their matches and a filter's rule set are read-only once built: the kernel's
 * compiled tables and the next publish's diff share them, so a change in place would reach both.
 * Decoders and the manager's translation build them through Building<…>.
 */
export interface L3RuleLine {
  /** NSX rule id (1001 for the default rule). */
  readonly id: number;
  readonly sectionId: number;
  readonly direction: RuleDirection;
  readonly packetType: PacketType;
  /** IP protocol number, or 'any' (service ANY). */
  readonly protocol: number | 'any';
  readonly src: AddressMatch;
  readonly dst: AddressMatch;
  /** Empty = any port. */
  readonly srcPorts: readonly PortRange[];
  readonly dstPorts: readonly PortRange[];
  /** ICMP type / code when the service names one. */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly action: LineAction;
  readonly logged: boolean;
  /** Section flags, copied onto each line so the kernel needs no section table. */
  readonly stateless: boolean;
  readonly tcpStrict: boolean;
  /** Application-level gateway the service asks for (NSX's ALG services: FTP, Sun RPC, MS RPC, Oracle TNS). */
  readonly alg?: AlgName;
  readonly tag?: string;
}

/**
 * The application-level gateways vmware-sfw runs, named as `vsipioctl getrules` prints them after
 * `as`: NSX's ALG applicationProtocol values (FTP, SUN_RPC_TCP, …) in lower case.
 */
const ALG_NAMES = ['ftp', 'sun_rpc_tcp', 'sun_rpc_udp', 'ms_rpc_tcp', 'ms_rpc_udp', 'oracle_tns'] as const;
export type AlgName = (typeof ALG_NAMES)[number];

export function isAlgName(s: string): s is AlgName {
  return (ALG_NAMES as readonly string[]).includes(s);
}

export interface MacMatch {
  readonly sets: readonly string[];
  readonly macs: readonly string[];
  readonly negate: boolean;
}

export interface L2RuleLine {
  readonly id: number;
  readonly sectionId: number;
  readonly direction: RuleDirection;
  /** Ethertype number (0x0806 ARP, 0x8035 RARP, 0x88cc LLDP, 0x0800 IPv4) or 'any'. */
  readonly ethertype: number | 'any';
  readonly src: MacMatch;
  readonly dst: MacMatch;
  readonly action: RuleAction;
  readonly logged: boolean;
  readonly tag?: string;
}

/** Everything one vNIC filter (`nic-35677-eth0-vmware-sfw.2`) is programmed with. */
export interface FilterRules {
  /** Ruleset name as the host shows it: the cluster the rules apply to, e.g. `domain-c25`. */
  readonly ruleset: string;
  readonly generation: number;
  readonly l3: readonly L3RuleLine[];
  readonly l2: readonly L2RuleLine[];
}

/** Address sets by name: `ip-securitygroup-10` → addresses, `mac-securitygroup-10` → MACs. */
export type AddressSets = Record<string, string[]>;

/** SpoofGuard as a host enforces it on one network: the mode and the addresses approved and published. */
export interface SpoofGuardProgram {
  network: string;
  mode: 'off' | 'tofu' | 'manual';
  approved: { mac: string; ip: string }[];
}

/** One host's share of a publish. */
export interface HostRuleSet {
  hostId: string;
  generation: number;
  /** Per vNIC filter name (slot 2). Filters of excluded VMs are absent. */
  filters: Record<string, FilterRules>;
  addressSets: AddressSets;
  /** Filter names of excluded VMs: they get no slot 2. */
  excluded: string[];
  /** SpoofGuard per network; networks not listed have it off. */
  spoofGuard?: SpoofGuardProgram[];
}

/** A rule line (or match) while a decoder or the translation fills it in: the same fields, writable. */
export type Building<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
