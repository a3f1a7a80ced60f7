/**
 * The rule list of a bridging firewall VM (seed 004: OpenWrt bridging two interfaces, its
 * iptables FORWARD chain seeing the bridged frames). The VM's console reads and edits it with
 * `iptables`; the fabric applies it to every frame that crosses the bridge. First match wins,
 * the chain's policy is ACCEPT.
 */
import { cidrContains } from '../../protocol/addresses';
import type { ParsedFrame } from '../../protocol/frame';
import type { BridgeRule } from '../../protocol/messages/fabric';

export type { BridgeRule };

const PROTO_NUMBER = { icmp: 1, tcp: 6, udp: 17 } as const;

/** The 1-based number of the first rule matching an IPv4 frame, or 0 when the policy decides. */
export function matchBridgeRule(rules: readonly BridgeRule[], p: ParsedFrame): number {
  if (p.kind !== 'ipv4') return 0;
  const i = rules.findIndex(
    (r) =>
      (r.proto === undefined || PROTO_NUMBER[r.proto] === p.proto) &&
      (r.src === undefined || cidrContains(r.src, p.srcIp)) &&
      (r.dst === undefined || cidrContains(r.dst, p.dstIp)) &&
      (r.dport === undefined || ((p.proto === 6 || p.proto === 17) && p.dstPort === r.dport)),
  );
  return i + 1;
}

function ruleLine(r: BridgeRule, n: number): string {
  const any = '0.0.0.0/0';
  const extra = r.dport !== undefined ? `${r.proto} dpt:${r.dport}` : '';
  return `${String(n).padEnd(5)}${r.target.padEnd(11)}${(r.proto ?? 'all').padEnd(5)}--  ${(r.src ?? any).padEnd(21)}${(r.dst ?? any).padEnd(21)}${extra}`.trimEnd();
}

export function listBridgeRules(rules: readonly BridgeRule[]): string {
  return ['Chain FORWARD (policy ACCEPT)', 'num  target     prot opt source               destination', ...rules.map((r, i) => ruleLine(r, i + 1))].join('\n');
}

type IptablesCommand = { op: 'list' } | { op: 'append'; rule: BridgeRule } | { op: 'insert'; at: number; rule: BridgeRule } | { op: 'delete'; at: number } | { op: 'flush' };

const USAGE = "iptables v1.4.6: this console knows -L, -A, -I, -D and -F on the FORWARD chain\nTry `iptables -h' or 'iptables --help' for more information.";
const CIDR = /^(\d{1,3}(\.\d{1,3}){3})(\/(\d{1,2}))?$/;

function cidr(value: string | undefined): string | undefined {
  const m = value === undefined ? null : CIDR.exec(value);
  if (!m || m[1].split('.').some((o) => Number(o) > 255) || Number(m[4] ?? 32) > 32) return undefined;
  return m[3] ? value : `${value}/32`;
}

/** Parses an `iptables` line typed in the bridge VM's console; a string is the refusal, nothing changes. */
export function parseIptables(line: string): IptablesCommand | string {
  const w = line.trim().split(/\s+/).slice(1);
  const chainOk = (c: string | undefined) => c === 'FORWARD';
  const verb = w[0];
  if (verb === '-L' || verb === '--list') {
    if (w[1] !== undefined && !w[1].startsWith('-') && !chainOk(w[1])) return `iptables: No chain/target/match by that name.`;
    return { op: 'list' };
  }
  if (verb === '-F' || verb === '--flush') return w[1] === undefined || chainOk(w[1]) ? { op: 'flush' } : 'iptables: No chain/target/match by that name.';
  if (!chainOk(w[1])) return w[1] === undefined ? USAGE : 'iptables: No chain/target/match by that name.';
  if (verb === '-D' || verb === '--delete') {
    const at = Number(w[2]);
    return Number.isInteger(at) && at >= 1 && w.length === 3 ? { op: 'delete', at } : USAGE;
  }
  if (verb !== '-A' && verb !== '-I' && verb !== '--append' && verb !== '--insert') return USAGE;
  let rest = w.slice(2);
  let at = 1;
  if ((verb === '-I' || verb === '--insert') && /^\d+$/.test(rest[0] ?? '')) {
    at = Number(rest[0]);
    rest = rest.slice(1);
  }
  const rule: Partial<BridgeRule> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) return `iptables v1.4.6: option "${flag}" requires an argument`;
    if (flag === '-p' || flag === '--protocol') {
      if (value !== 'tcp' && value !== 'udp' && value !== 'icmp') return `iptables v1.4.6: unknown protocol "${value}" specified`;
      rule.proto = value;
    } else if (flag === '-s' || flag === '--source' || flag === '-d' || flag === '--destination') {
      const c = cidr(value);
      if (!c) return `iptables v1.4.6: host/network \`${value}' not found`;
      if (flag.startsWith('-s') || flag === '--source') rule.src = c;
      else rule.dst = c;
    } else if (flag === '--dport' || flag === '--destination-port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `iptables v1.4.6: invalid port/service \`${value}' specified`;
      rule.dport = port;
    } else if (flag === '-j' || flag === '--jump') {
      if (value !== 'ACCEPT' && value !== 'DROP') return `iptables v1.4.6: Couldn't load target \`${value}'`;
      rule.target = value;
    } else return `iptables v1.4.6: unknown option "${flag}"`;
  }
  if (rule.dport !== undefined && rule.proto !== 'tcp' && rule.proto !== 'udp') return 'iptables v1.4.6: unknown option "--dport" (use -p tcp or -p udp first)';
  if (!rule.target) return 'iptables v1.4.6: a rule needs a target: -j ACCEPT or -j DROP';
  const full = rule as BridgeRule;
  return verb === '-A' || verb === '--append' ? { op: 'append', rule: full } : { op: 'insert', at, rule: full };
}

/** Applies an edit to a copy of the list; a string is the refusal. */
export function applyIptables(rules: readonly BridgeRule[], cmd: Exclude<IptablesCommand, { op: 'list' }>): BridgeRule[] | string {
  const next = [...rules];
  switch (cmd.op) {
    case 'append':
      next.push(cmd.rule);
      return next;
    case 'insert':
      if (cmd.at > next.length + 1) return 'iptables: Index of insertion too big.';
      next.splice(cmd.at - 1, 0, cmd.rule);
      return next;
    case 'delete':
      if (cmd.at > next.length) return 'iptables: Index of deletion too big.';
      next.splice(cmd.at - 1, 1);
      return next;
    case 'flush':
      return [];
  }
}
