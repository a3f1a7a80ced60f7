/**
 * NSX object type keywords and how to tell them from an object id, for clients that send a
 * `<value>` without a `<type>` (PowerNSX sends only `<value>` for services).
 */
import ipaddr from 'ipaddr.js';

const OBJECT_TYPES = [
  'Application',
  'ApplicationGroup',
  'ClusterComputeResource',
  'Datacenter',
  'DISTRIBUTED_FIREWALL',
  'ALL_EDGES',
  'DistributedVirtualPortgroup',
  'Edge',
  'GlobalRoot',
  'HostSystem',
  'IPSet',
  'Ipv4Address',
  'Ipv6Address',
  'VirtualWire',
  'MACSet',
  'Network',
  'ALL_PROFILE_BINDINGS',
  'ResourcePool',
  'SecurityGroup',
  'SecurityTag',
  'VirtualApp',
  'VirtualMachine',
  'Vnic',
] as const;

const BY_LOWER = new Map(OBJECT_TYPES.map((t) => [t.toLowerCase(), t] as const));

/** The canonical spelling of a type keyword, or undefined when unknown. */
export function canonicalType(type: string): string | undefined {
  return BY_LOWER.get(type.toLowerCase());
}

const PREFIXES: [RegExp, string][] = [
  [/^vm-\d+$/, 'VirtualMachine'],
  [/^host-\d+$/, 'HostSystem'],
  [/^domain-c\d+$/, 'ClusterComputeResource'],
  [/^datacenter-\d+$/, 'Datacenter'],
  [/^dvportgroup-\d+$/, 'DistributedVirtualPortgroup'],
  [/^network-\d+$/, 'Network'],
  [/^virtualwire-\d+$/, 'VirtualWire'],
  [/^resgroup-\d+$/, 'ResourcePool'],
  [/^securitygroup-\d+$/, 'SecurityGroup'],
  [/^securitytag-\d+$/, 'SecurityTag'],
  [/^ipset-\d+$/, 'IPSet'],
  [/^macset-\d+$/, 'MACSet'],
  [/^application-\d+$/, 'Application'],
  [/^applicationgroup-\d+$/, 'ApplicationGroup'],
  [/^[0-9a-f-]{36}\.\d{3}$/i, 'Vnic'],
  [/^DISTRIBUTED_FIREWALL$/, 'DISTRIBUTED_FIREWALL'],
  [/^globalroot-0$/, 'GlobalRoot'],
];

function addressFamily(text: string): 4 | 6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  if (ipaddr.IPv6.isValid(text)) return 6;
  return undefined;
}

/** 4 or 6 for an address, CIDR or `a-b` range literal; undefined otherwise. */
export function isIpLiteral(value: string): 4 | 6 | undefined {
  const v = value.trim();
  const slash = v.indexOf('/');
  if (slash >= 0) {
    const fam = addressFamily(v.slice(0, slash));
    const bits = Number(v.slice(slash + 1));
    if (!fam || !Number.isInteger(bits) || bits < 0 || bits > (fam === 4 ? 32 : 128)) return undefined;
    return fam;
  }
  const parts = v.split('-').map((p) => p.trim());
  if (parts.length > 2) return undefined;
  const fams = parts.map(addressFamily);
  if (fams.some((f) => f === undefined) || (fams.length === 2 && fams[0] !== fams[1])) return undefined;
  return fams[0];
}

/** Guesses the type keyword of an id or address; undefined when nothing fits. */
export function inferType(value: string): string | undefined {
  for (const [re, type] of PREFIXES) if (re.test(value)) return type;
  const ip = isIpLiteral(value);
  if (ip) return ip === 6 ? 'Ipv6Address' : 'Ipv4Address';
  return undefined;
}

/** Prefix of the host-side address set for an object, e.g. `ip-securitygroup-10`. */
export function addressSetName(kind: 'ip' | 'mac', objectId: string): string {
  return `${kind}-${objectId}`;
}
