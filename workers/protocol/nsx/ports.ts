/** Protocol keywords and port lists as NSX services and rules write them. */
import type { PortRange } from '../ruleset';

/** IP protocol numbers by the keywords NSX accepts for `<protocol>`/`<protocolName>` and `applicationProtocol`. */
export const PROTOCOL_NUMBERS: Record<string, number> = {
  TCP: 6, UDP: 17, ICMP: 1, IPV6ICMP: 58, 'IPV6-ICMP': 58, GRE: 47, ESP: 50, AH: 51, SCTP: 132,
  // NSX's ALG services: the transport they run on (the ALG itself is ALG_OF_PROTOCOL's).
  FTP: 6, SUN_RPC_TCP: 6, SUN_RPC_UDP: 17, MS_RPC_TCP: 6, MS_RPC_UDP: 17, ORACLE_TNS: 6,
};

/** Parses `80`, `80,443`, `8000-8100`, `any` into ranges; empty/any = []. */
export function parsePorts(text: string | undefined): PortRange[] {
  if (!text) return [];
  const out: PortRange[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part.toLowerCase() === 'any') return [];
    const [a, b] = part.split('-').map((p) => Number(p.trim()));
    if (!Number.isInteger(a) || a! < 0 || a! > 65535) throw new Error(`invalid port "${part}"`);
    const hi = b === undefined ? a! : b;
    if (!Number.isInteger(hi) || hi < a! || hi > 65535) throw new Error(`invalid port range "${part}"`);
    out.push([a!, hi]);
  }
  return out;
}
