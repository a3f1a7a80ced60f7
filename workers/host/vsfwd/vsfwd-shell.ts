/**
 * Host shell commands about the control plane: the vsfwd service script, the AMQP
 * connection, the RabbitMQ settings, installed VIBs and kernel modules, and vsfwd's files.
 * Where the real layout is not known verbatim the help says the output is illustrative.
 */
import { decodeRuleSet } from '../../protocol/codec/ruleset-codec';
import { AMQP_PORT } from '../../protocol/amqp';
import { hexDump } from '../../protocol/bytes';
import type { HostState } from '../host-state';
import type { Vsfwd } from './vsfwd';
import { RULESET_FILE } from './vsfwd';
import { VSFWD_LOG, VSFWD_LOG_NOTE } from './vsfwd-log';
import { advcfgList, psListing } from '../process-views';

const SERVICE_SCRIPT = '/etc/init.d/vShield-Stateful-Firewall';

export const VSFWD_HELP = [
  `${SERVICE_SCRIPT} status|start|stop   the host agent (vsfwd) service`,
  'esxcli network ip connection list   TCP connections (vsfwd to the message bus on 5671)',
  'esxcfg-advcfg -g /UserVars/RmqIpAddress   the message bus (NSX Manager) address',
  'esxcli software vib list   installed VIBs (NSX VIB versions are illustrative)',
  'vmkload_mod -l   loaded kernel modules (sizes are illustrative)',
  `cat|tail [-n N] ${VSFWD_LOG}   the agent's log (illustrative lines)`,
  `cat ${RULESET_FILE}   the last rule set vsfwd saved (protobuf, shown decoded)`,
];

interface ShellHost {
  readonly state: HostState;
  readonly vsfwd: Vsfwd;
}

/** Runs a control-plane command, or returns undefined if the line is not one. */
export function runVsfwdCommand(host: ShellHost, cmd: string, control: (action: 'start' | 'stop') => string): string | undefined {
  const v = host.vsfwd;
  if (cmd.startsWith(SERVICE_SCRIPT) || cmd.startsWith('/etc/init.d/vShieldStateful-Firewall')) {
    const action = cmd.split(' ')[1] ?? '';
    if (action === 'status') return v.running ? 'vShield-Stateful-Firewall is running' : 'vShield-Stateful-Firewall is not running';
    if (action === 'start' || action === 'stop') return control(action);
    if (action === 'restart') return [control('stop'), control('start')].join('\n');
    return `Usage: ${SERVICE_SCRIPT} {start|stop|status|restart}`;
  }
  switch (cmd) {
    case 'esxcli network ip connection list':
      return connectionList(host);
    case 'ps':
    case 'ps -c':
      return psListing(host.state, { running: v.running, pid: v.state.pid });
    case 'esxcfg-advcfg -l':
      return advcfgList(v.state.connection.brokerIp ?? brokerIpGuess(host));
    case 'esxcfg-advcfg -g /UserVars/RmqIpAddress':
      return `Value of RmqIpAddress is ${v.state.connection.brokerIp ?? brokerIpGuess(host)}`;
    case 'esxcli software vib list':
      return vibList();
    case 'vmkload_mod -l':
      return moduleList();
  }
  const file = /^(cat|tail)(?: -n (\d+))? (\S+)$/.exec(cmd);
  if (file && file[3] === VSFWD_LOG) {
    const lines = v.state.log;
    const shown = file[1] === 'tail' ? lines.slice(-Number(file[2] ?? 10)) : lines;
    return [VSFWD_LOG_NOTE, ...shown].join('\n');
  }
  if (file && file[3] === RULESET_FILE) return rulesetFile(v);
  return undefined;
}

function brokerIpGuess(host: ShellHost): string {
  return host.vsfwd.state.connection.brokerIp ?? '(not yet connected)';
}

function connectionList(host: ShellHost): string {
  const c = host.vsfwd.state.connection;
  const rows = [
    ['tcp', '0', '0', '0.0.0.0:443', '0.0.0.0:0', 'LISTEN', '34214', 'newreno', 'hostd'],
    ['tcp', '0', '0', '0.0.0.0:902', '0.0.0.0:0', 'LISTEN', '33792', 'newreno', 'vpxa'],
  ];
  if (c.state === 'established') rows.push(['tcp', '0', '0', `${host.state.mgmtIp}:${c.localPort}`, `${c.brokerIp}:${AMQP_PORT}`, 'ESTABLISHED', String(host.vsfwd.state.pid), 'newreno', 'vsfwd']);
  else if (c.state === 'connecting' && host.vsfwd.running) rows.push(['tcp', '0', '0', `${host.state.mgmtIp}:0`, `(broker):${AMQP_PORT}`, 'SYN_SENT', String(host.vsfwd.state.pid), 'newreno', 'vsfwd']);
  const header = ['Proto', 'Recv Q', 'Send Q', 'Local Address', 'Foreign Address', 'State', 'World ID', 'CC Algo', 'World Name'];
  return table(header, rows);
}

function vibList(): string {
  const rows = [
    ['esx-vsip', '6.0.0-0.0.4249023', 'VMware', 'VMwareCertified', '2016-08-18'],
    ['esx-vxlan', '6.0.0-0.0.4249023', 'VMware', 'VMwareCertified', '2016-08-18'],
    ['esxdvfilter-switch-security', '6.0.0-0.0.4249023', 'VMware', 'VMwareCertified', '2016-08-18'],
    ['esx-base', '6.0.0-2.43.4192238', 'VMware', 'VMwareCertified', '2016-08-03'],
    ['vsan', '6.0.0-2.43.4097166', 'VMware', 'VMwareCertified', '2016-08-03'],
  ];
  return table(['Name', 'Version', 'Vendor', 'Acceptance Level', 'Install Date'], rows);
}

function moduleList(): string {
  const rows = [
    ['vmkernel', '0', '0'],
    ['dvfilter', '9', '200'],
    ['dvfilter-switch-security', '3', '156'],
    ['vdl2', '3', '344'],
    ['vdrb', '4', '452'],
    ['vsip', '13', '452'],
    ['vmkapei', '1', '12'],
  ];
  return table(['Name', 'Used', 'Size (kb)'], rows);
}

function rulesetFile(v: Vsfwd): string {
  const bytes = v.rulesetFile();
  if (!bytes) return `cat: can't open '${RULESET_FILE}': No such file or directory`;
  const { ruleSet: rs } = decodeRuleSet(bytes);
  const lines = [`# ${RULESET_FILE}: ${bytes.length} bytes of protobuf RuleSet, generation ${rs.generation}; decoded view:`];
  for (const [name, f] of Object.entries(rs.filters)) {
    lines.push(`filter ${name} ruleset ${f.ruleset} generation ${f.generation}: ${f.l3.length} L3 lines, ${f.l2.length} L2 lines`);
    for (const l of f.l3) lines.push(`  rule ${l.id} ${l.direction} ${l.protocol === 'any' ? 'any' : `proto ${l.protocol}`} ${l.action}`);
  }
  for (const [name, members] of Object.entries(rs.addressSets)) lines.push(`addrset ${name}: ${members.join(', ') || '(empty)'}`);
  if (rs.excluded.length) lines.push(`excluded: ${rs.excluded.join(', ')}`);
  lines.push('', '# first bytes:', hexDump(bytes, 64));
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
