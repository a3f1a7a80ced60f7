/**
 * Services (NSX "applications") and service groups: the predefined catalogue with fixed
 * application-N ids, and how a service on a rule becomes protocol/port elements for the kernel.
 */
import type { AlgName, PortRange } from '../../protocol/ruleset';
import { parsePorts, PROTOCOL_NUMBERS } from '../../protocol/nsx/ports';
import type { ServiceDef, ServiceGroupDef, ServiceRef } from '../types';

const sys = (id: number, name: string, applicationProtocol: string, value?: string, description = ''): ServiceDef => ({
  objectId: `application-${id}`,
  name,
  description,
  applicationProtocol,
  value,
  systemResource: true,
});

/** The predefined services. Ids are ours but stable: scenario files may name them. */
export const PREDEFINED_SERVICES: readonly ServiceDef[] = Object.freeze([
  sys(1, 'HTTP', 'TCP', '80'),
  sys(2, 'HTTPS', 'TCP', '443'),
  sys(3, 'SSH', 'TCP', '22'),
  sys(4, 'MySQL', 'TCP', '3306'),
  sys(5, 'DHCP-Server', 'UDP', '67'),
  sys(6, 'DHCP-Client', 'UDP', '68'),
  sys(7, 'ICMP Echo', 'ICMP', 'echo-request'),
  sys(8, 'ICMP Echo Reply', 'ICMP', 'echo-reply'),
  sys(9, 'FTP', 'FTP', '21', 'FTP control, with the FTP application-level gateway opening the data ports'),
  sys(10, 'IPv6-ICMP Neighbor Solicitation', 'IPV6ICMP', 'neighbor-solicitation'),
  sys(11, 'IPv6-ICMP Neighbor Advertisement', 'IPV6ICMP', 'neighbor-advertisement'),
  sys(12, 'DNS', 'TCP', '53'),
  sys(13, 'DNS-UDP', 'UDP', '53'),
  sys(14, 'RDP', 'TCP', '3389'),
  sys(15, 'SMTP', 'TCP', '25'),
  sys(16, 'NTP', 'UDP', '123'),
  sys(17, 'LDAP', 'TCP', '389'),
  sys(18, 'Telnet', 'TCP', '23'),
  sys(19, 'SNMP', 'UDP', '161'),
  sys(20, 'Syslog (UDP)', 'UDP', '514'),
  sys(21, 'MS-SQL-S', 'TCP', '1433'),
  sys(22, 'Oracle', 'TCP', '1521'),
  sys(23, 'ICMP Destination Unreachable', 'ICMP', 'destination-unreachable'),
  sys(24, 'HTTP-ALT 8443', 'TCP', '8443'),
  sys(25, 'ARP', 'L2SERVICES', '0x0806'),
  sys(26, 'RARP', 'L2SERVICES', '0x8035'),
  sys(27, 'IPv4', 'L2SERVICES', '0x0800'),
  sys(28, 'IPv6', 'L2SERVICES', '0x86dd'),
  sys(29, 'LLDP', 'L2SERVICES', '0x88cc'),
  sys(30, 'NSX Message Bus (AMQP)', 'TCP', '5671'),
  sys(31, 'SUN-RPC-TCP', 'SUN_RPC_TCP', '111', 'Sun RPC portmapper over TCP, with the Sun RPC application-level gateway opening the port it announces'),
  sys(32, 'SUN-RPC-UDP', 'SUN_RPC_UDP', '111', 'Sun RPC portmapper over UDP, with the Sun RPC application-level gateway opening the port it announces'),
  sys(33, 'MS-RPC-TCP', 'MS_RPC_TCP', '135', 'MS-RPC endpoint mapper, with the MS-RPC application-level gateway opening the endpoint it announces'),
  sys(34, 'MS-RPC-UDP', 'MS_RPC_UDP', '135', 'MS-RPC endpoint mapper over UDP, with the MS-RPC application-level gateway'),
  sys(35, 'ORACLE-TNS', 'ORACLE_TNS', '1521', 'Oracle TNS listener, with the TNS application-level gateway following its redirects'),
]);

export const SERVICE_ID = {
  dhcpServer: 'application-5',
  dhcpClient: 'application-6',
  ndpSolicitation: 'application-10',
  ndpAdvertisement: 'application-11',
} as const;

const ICMP_TYPES: Record<string, number> = {
  'echo-reply': 0,
  'destination-unreachable': 3,
  'source-quench': 4,
  redirect: 5,
  'echo-request': 8,
  'time-exceeded': 11,
  'parameter-problem': 12,
  'timestamp-request': 13,
  'timestamp-reply': 14,
};

const ICMP6_TYPES: Record<string, number> = {
  'destination-unreachable': 1,
  'packet-too-big': 2,
  'time-exceeded': 3,
  'echo-request': 128,
  'echo-reply': 129,
  'router-solicitation': 133,
  'router-advertisement': 134,
  'neighbor-solicitation': 135,
  'neighbor-advertisement': 136,
};


/** The application-level gateway an applicationProtocol asks for. */
const ALG_OF_PROTOCOL: Record<string, AlgName> = {
  FTP: 'ftp', SUN_RPC_TCP: 'sun_rpc_tcp', SUN_RPC_UDP: 'sun_rpc_udp', MS_RPC_TCP: 'ms_rpc_tcp', MS_RPC_UDP: 'ms_rpc_udp', ORACLE_TNS: 'oracle_tns',
};

/** One kernel-level match element of a service. */
interface ServiceElement {
  protocol: number | 'any';
  dstPorts: PortRange[];
  srcPorts: PortRange[];
  icmpType?: number;
  icmpCode?: number;
  alg?: AlgName;
  /** L2 services only. */
  ethertype?: number;
}


function icmpTypeOf(protocol: number, value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  return (protocol === 58 ? ICMP6_TYPES : ICMP_TYPES)[value.toLowerCase()];
}

/** Whether a service definition's fields make sense; throws with the reason. */
export function validateServiceDef(def: ServiceDef): void {
  const proto = def.applicationProtocol.toUpperCase();
  if (proto === 'L2SERVICES') {
    if (!def.value || Number.isNaN(Number(def.value))) throw new Error(`L2 service "${def.name}" needs an ethertype value`);
    return;
  }
  const num = PROTOCOL_NUMBERS[proto] ?? (/^\d+$/.test(proto) ? Number(proto) : undefined);
  if (num === undefined) throw new Error(`unknown applicationProtocol "${def.applicationProtocol}"`);
  if (num === 6 || num === 17) {
    parsePorts(def.value);
    parsePorts(def.sourcePort);
  }
}

function elementsOfDef(def: ServiceDef): ServiceElement[] {
  const proto = def.applicationProtocol.toUpperCase();
  if (proto === 'L2SERVICES') return [{ protocol: 'any', dstPorts: [], srcPorts: [], ethertype: Number(def.value) }];
  const protocol = PROTOCOL_NUMBERS[proto] ?? Number(proto);
  const e: ServiceElement = { protocol, dstPorts: [], srcPorts: [] };
  if (protocol === 1 || protocol === 58) {
    e.icmpType = icmpTypeOf(protocol, def.value);
  } else {
    e.dstPorts = parsePorts(def.value);
    e.srcPorts = parsePorts(def.sourcePort);
  }
  const alg = ALG_OF_PROTOCOL[proto];
  if (alg) e.alg = alg;
  return [e];
}

export interface ServiceCatalogue {
  service(id: string): ServiceDef | undefined;
  group(id: string): ServiceGroupDef | undefined;
  /** Kernel elements of a definition, computed once per catalogue (shared: do not mutate). */
  elementsOf(def: ServiceDef): ServiceElement[];
  /** Changes whenever a user-defined service or service group does (what a rule's lines depend on). */
  readonly revision: string;
}

export function makeCatalogue(user: ServiceDef[], groups: ServiceGroupDef[]): ServiceCatalogue {
  const byId = new Map<string, ServiceDef>();
  for (const s of PREDEFINED_SERVICES) byId.set(s.objectId, s);
  for (const s of user) byId.set(s.objectId, s);
  const groupById = new Map(groups.map((g) => [g.objectId, g] as const));
  const elements = new Map<string, ServiceElement[]>();
  return {
    revision: JSON.stringify([user, groups]),
    service: (id) => byId.get(id),
    group: (id) => groupById.get(id),
    elementsOf: (def) => {
      let e = elements.get(def.objectId);
      if (!e) elements.set(def.objectId, (e = elementsOfDef(def)));
      return e;
    },
  };
}

/** Expands a rule's service into kernel elements; unknown references expand to nothing. */
export function expandService(ref: ServiceRef, cat: ServiceCatalogue, seen = new Set<string>()): ServiceElement[] {
  if (ref.kind === 'raw') {
    const e: ServiceElement = { protocol: ref.protocol, dstPorts: [], srcPorts: [] };
    if (ref.protocol === 1 || ref.protocol === 58) {
      e.icmpType = ref.icmpType;
      e.icmpCode = ref.icmpCode;
    } else {
      e.dstPorts = parsePorts(ref.destinationPort);
      e.srcPorts = parsePorts(ref.sourcePort);
    }
    return [e];
  }
  const def = cat.service(ref.value);
  if (def) return cat.elementsOf(def);
  const group = cat.group(ref.value);
  if (!group || seen.has(group.objectId)) return [];
  seen.add(group.objectId);
  return group.members.flatMap((m) => expandService({ kind: 'ref', value: m, type: 'Application' }, cat, seen));
}
