/**
 * `vsipioctl getrules -f` and `getaddrsets -f`: the filter's rule table and the address
 * sets it names, in the dataplane grammar NSX-V 6.2 prints. A side naming several sets or
 * literals shows as a per-rule set (`addrset src1048`), as the real dataplane does.
 */
import type { AddressMatch, AddressSets, L2RuleLine, L3RuleLine, MacMatch, PortRange } from '../../../protocol/ruleset';
import type { SfwFilter } from '../sfw/filter';

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'ipv6-icmp', 132: 'sctp' };

function noFilter(name: string): string {
  return `Filter ${name} not found\n`;
}

function side(m: AddressMatch | MacMatch, synthetic: string): string {
  const literals = 'cidrs' in m ? m.cidrs : m.macs;
  const kw = 'cidrs' in m ? 'ip' : 'mac';
  if (m.sets.length === 0 && literals.length === 0) return 'any';
  const not = m.negate ? 'not ' : '';
  if (m.sets.length === 1 && literals.length === 0) return `${not}addrset ${m.sets[0]}`;
  if (m.sets.length === 0 && literals.length === 1) return `${not}${kw} ${literals[0]}`;
  return `${not}addrset ${synthetic}`;
}

function ports(list: readonly PortRange[]): string {
  if (list.length === 0) return '';
  const one = ([lo, hi]: PortRange) => (lo === hi ? `${lo}` : `${lo}-${hi}`);
  return list.length === 1 ? ` port ${one(list[0])}` : ` port {${list.map(one).join(', ')}}`;
}

function actionWord(a: string): string {
  return a === 'allow' ? 'accept' : a === 'deny' ? 'drop' : a === 'punt' ? 'punt' : 'reject';
}

/** What getrules reads: a vmware-sfw filter, or slot 4's serviceinstance filter (no L2 rules). */
type RulesView = Pick<SfwFilter, 'rules'> & { hits: ArrayLike<number>; l2Hits: ArrayLike<number> };

function l3Line(l: L3RuleLine, pos: number): string {
  const family = l.packetType === 'ipv4' ? ' inet' : l.packetType === 'ipv6' ? ' inet6' : '';
  const proto = l.protocol === 'any' ? 'any' : (PROTO_NAMES[l.protocol] ?? String(l.protocol));
  const flags = `${l.stateless ? ' stateless' : ''}${l.tcpStrict ? ' strict' : ''}`;
  const icmp = l.icmpType !== undefined ? ` icmptype ${l.icmpType}${l.icmpCode !== undefined ? ` icmpcode ${l.icmpCode}` : ''}` : '';
  const extras = `${l.logged ? ' with log' : ''}${l.alg ? ` as ${l.alg}` : ''}${l.tag ? ` tag '${l.tag}'` : ''}`;
  return `  rule ${l.id} at ${pos} ${l.direction}${family} protocol ${proto}${flags} from ${side(l.src, `src${l.id}`)}${ports(l.srcPorts)} to ${side(l.dst, `dst${l.id}`)}${ports(l.dstPorts)}${icmp} ${actionWord(l.action)}${extras};`;
}

function l2Line(l: L2RuleLine, pos: number): string {
  const et = l.ethertype === 'any' ? 'any' : `0x${l.ethertype.toString(16).padStart(4, '0')}`;
  const extras = `${l.logged ? ' with log' : ''}${l.tag ? ` tag '${l.tag}'` : ''}`;
  return `  rule ${l.id} at ${pos} ${l.direction} ethertype ${et} from ${side(l.src, `src${l.id}`)} to ${side(l.dst, `dst${l.id}`)} ${actionWord(l.action)}${extras};`;
}

/** `withStats` adds each line's hit count (`getrules -s`, lab layout). */
export function getrules(f: RulesView | null, name: string, withStats = false): string {
  if (!f) return noFilter(name);
  if (!f.rules) return `ruleset - {\n  # Filter rules\n}\n`;
  const r = f.rules;
  const hit = (i: number, n: number) => (withStats ? `  # hits ${n}` : '');
  const out = [`ruleset ${r.ruleset} {`, '  # Filter rules'];
  // An ALG rule is followed by its shadow line, `# internal # rule … accept;` without the `as`, which takes a position too (nsx-reference §2.3).
  let pos = 0;
  r.l3.forEach((l, i) => {
    out.push(l3Line(l, ++pos) + hit(i, f.hits[i] ?? 0));
    if (l.alg) out.push(`  # internal #${l3Line({ ...l, alg: undefined }, ++pos).slice(1)}`);
  });
  out.push('}', `ruleset ${r.ruleset}_L2 {`, '  # Filter rules');
  r.l2.forEach((l, i) => out.push(l2Line(l, i + 1) + hit(i, f.l2Hits[i] ?? 0)));
  out.push('}');
  return out.join('\n') + '\n';
}

function members(entries: readonly string[], mac: boolean): string[] {
  return entries.map((x) => `${mac ? 'mac' : 'ip'} ${x},`);
}

function block(name: string, entries: readonly string[], mac = false): string[] {
  if (entries.length === 0) return [`addrset ${name} {`, '}', '}'];
  return [`addrset ${name} {`, ...members(entries, mac), '}'];
}

export function getaddrsets(f: SfwFilter | null, name: string, sets: AddressSets): string {
  if (!f) return noFilter(name);
  const out: string[] = [];
  const seen = new Set<string>();
  const named = (n: string, mac: boolean) => {
    if (seen.has(n)) return;
    seen.add(n);
    out.push(...block(n, sets[n] ?? [], mac));
  };
  const synthetic = (m: AddressMatch | MacMatch, n: string) => {
    const literals = 'cidrs' in m ? m.cidrs : m.macs;
    const mac = !('cidrs' in m);
    if (m.sets.length + literals.length <= 1) {
      for (const s of m.sets) named(s, mac);
      return;
    }
    if (seen.has(n)) return;
    seen.add(n);
    const all = [...m.sets.flatMap((s) => sets[s] ?? []), ...literals];
    out.push(...block(n, [...new Set(all)], mac));
  };
  for (const l of f.rules?.l3 ?? []) {
    synthetic(l.src, `src${l.id}`);
    synthetic(l.dst, `dst${l.id}`);
  }
  for (const l of f.rules?.l2 ?? []) {
    synthetic(l.src, `src${l.id}`);
    synthetic(l.dst, `dst${l.id}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}
