/**
 * One rule line between the kernel format (workers/protocol/ruleset.ts) and its protobuf
 * form. Both directions live here so they cannot drift apart.
 */
import { create } from '@bufbuild/protobuf';
import { isAlgName, type AddressMatch, type Building, type L2RuleLine, type L3RuleLine, type MacMatch, type PortRange, type LineAction, type RuleAction, type RuleDirection } from '../ruleset';
import { Direction, PacketType, RuleAction as PbAction, type AddressMatch as PbAddressMatch, type L2Rule, type L3Rule, type PortRange as PbPortRange } from '../gen/vsfw_pb';
import { AddressMatchSchema, L2RuleSchema, L3RuleSchema, PortRangeSchema } from '../vsfw-schemas';

const DIRECTIONS: Record<RuleDirection, Direction> = { inout: Direction.INOUT, in: Direction.IN, out: Direction.OUT };
const ACTIONS: Record<LineAction, PbAction> = { allow: PbAction.ALLOW, deny: PbAction.DENY, reject: PbAction.REJECT, punt: PbAction.PUNT };
const PACKET_TYPES = { any: PacketType.ANY, ipv4: PacketType.IPV4, ipv6: PacketType.IPV6 } as const;

const direction = (d: Direction): RuleDirection => (d === Direction.IN ? 'in' : d === Direction.OUT ? 'out' : 'inout');
const action = (a: PbAction): LineAction => (a === PbAction.DENY ? 'deny' : a === PbAction.REJECT ? 'reject' : a === PbAction.PUNT ? 'punt' : 'allow');
/** L2 rules are never redirected. */
const l2Action = (a: PbAction): RuleAction => { const x = action(a); return x === 'punt' ? 'allow' : x; };
const packetType = (p: PacketType) => (p === PacketType.IPV4 ? 'ipv4' : p === PacketType.IPV6 ? 'ipv6' : 'any');

function matchToPb(m: AddressMatch | MacMatch): PbAddressMatch {
  return create(AddressMatchSchema, { sets: [...m.sets], cidrs: [...('cidrs' in m ? m.cidrs : m.macs)], negate: m.negate });
}

const portsToPb = (ports: readonly PortRange[]): PbPortRange[] => ports.map(([lo, hi]) => create(PortRangeSchema, { lo, hi }));
const portsFromPb = (ports: PbPortRange[]): PortRange[] => ports.map((p) => [p.lo, p.hi]);

export function l3ToPb(l: L3RuleLine): L3Rule {
  return create(L3RuleSchema, {
    id: l.id,
    sectionId: l.sectionId,
    direction: DIRECTIONS[l.direction],
    packetType: PACKET_TYPES[l.packetType],
    protocol: l.protocol === 'any' ? undefined : l.protocol,
    src: matchToPb(l.src),
    dst: matchToPb(l.dst),
    srcPorts: portsToPb(l.srcPorts),
    dstPorts: portsToPb(l.dstPorts),
    icmpType: l.icmpType,
    icmpCode: l.icmpCode,
    action: ACTIONS[l.action],
    logged: l.logged,
    stateless: l.stateless,
    tcpStrict: l.tcpStrict,
    alg: l.alg ?? '',
    tag: l.tag ?? '',
  });
}

export function l3FromPb(r: L3Rule): L3RuleLine {
  const line: Building<L3RuleLine> = {
    id: r.id,
    sectionId: r.sectionId,
    direction: direction(r.direction),
    packetType: packetType(r.packetType),
    protocol: r.protocol ?? 'any',
    src: { sets: r.src?.sets ?? [], cidrs: r.src?.cidrs ?? [], negate: r.src?.negate ?? false },
    dst: { sets: r.dst?.sets ?? [], cidrs: r.dst?.cidrs ?? [], negate: r.dst?.negate ?? false },
    srcPorts: portsFromPb(r.srcPorts),
    dstPorts: portsFromPb(r.dstPorts),
    action: action(r.action),
    logged: r.logged,
    stateless: r.stateless,
    tcpStrict: r.tcpStrict,
  };
  if (r.icmpType !== undefined) line.icmpType = r.icmpType;
  if (r.icmpCode !== undefined) line.icmpCode = r.icmpCode;
  if (isAlgName(r.alg)) line.alg = r.alg;
  if (r.tag) line.tag = r.tag;
  return line;
}

export function l2ToPb(l: L2RuleLine): L2Rule {
  return create(L2RuleSchema, {
    id: l.id,
    sectionId: l.sectionId,
    direction: DIRECTIONS[l.direction],
    ethertype: l.ethertype === 'any' ? undefined : l.ethertype,
    src: matchToPb(l.src),
    dst: matchToPb(l.dst),
    action: ACTIONS[l.action],
    logged: l.logged,
    tag: l.tag ?? '',
  });
}

export function l2FromPb(r: L2Rule): L2RuleLine {
  const line: Building<L2RuleLine> = {
    id: r.id,
    sectionId: r.sectionId,
    direction: direction(r.direction),
    ethertype: r.ethertype ?? 'any',
    src: { sets: r.src?.sets ?? [], macs: r.src?.cidrs ?? [], negate: r.src?.negate ?? false },
    dst: { sets: r.dst?.sets ?? [], macs: r.dst?.cidrs ?? [], negate: r.dst?.negate ?? false },
    action: l2Action(r.action),
    logged: r.logged,
  };
  if (r.tag) line.tag = r.tag;
  return line;
}
