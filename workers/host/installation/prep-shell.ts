/**
 * The ESXi shell commands of host preparation (seed 000): `esxcli software vib list`,
 * `esxcli network ip dns server list|add|remove`, `esxcli network firewall ruleset list|set`
 * for the httpClient ruleset, `cat|tail /var/log/esxupdate.log`, `reboot`; and, on a host
 * without the NSX VIBs, the NSX commands are simply not there.
 */
import type { ComponentContext } from '../../lab/component';
import { normalizeFileCommand, parseStage } from '../shell-pipes';
import { rebootHost, type PreparableHost } from './host-prep';
import { nsxLoaded, vibList } from './vibs';

export const PREP_COMMANDS = [
  'esxcli software vib list',
  'esxcli network ip dns server list | add --server=IP | remove --server=IP',
  'esxcli network firewall ruleset list | set --ruleset-id=httpClient --enabled=true|false',
  'cat|tail [-n N] /var/log/esxupdate.log',
  'reboot',
];

const NSX_TOOLS = ['summarize-dvfilter', 'vsipioctl', '/etc/init.d/vShield-Stateful-Firewall', 'vsfwd'];
/** The day the classroom's hosts were prepared, as `esxcli software vib list` shows it. */
const CLASSROOM_PREPARED_ON = '2026-01-02';

/** Runs a preparation command (with pipes); undefined when the line is not one of them. */
export function runPrepCommand(host: PreparableHost, line: string, ctx: ComponentContext): string | undefined {
  const [first = '', ...rest] = line.split('|').map((p) => p.trim().replace(/\s+/g, ' '));
  const file = normalizeFileCommand(first);
  const out = command(host, file.cmd, ctx);
  if (out === undefined) return undefined;
  const stages = rest.map(parseStage);
  if (stages.some((s) => s === null)) return `-sh: syntax error: ${line.trim()}`;
  let text = file.then ? file.then(out) : out;
  for (const stage of stages) text = stage!(text);
  return text;
}

function command(host: PreparableHost, cmd: string, ctx: ComponentContext): string | undefined {
  const prep = host.state.prep;
  const word = cmd.split(' ')[0] ?? '';
  if (!nsxLoaded(prep) && NSX_TOOLS.includes(word)) return `-sh: ${word}: not found (the NSX VIBs are not installed on this host)`;
  if (cmd === 'esxcli software vib list') return vibList(prep, CLASSROOM_PREPARED_ON);
  if (cmd === 'reboot') return rebootHost(host, ctx);
  if (/^(cat|tail -n \d+) \/var\/log\/esxupdate\.log$/.test(cmd)) {
    const lines = prep?.esxupdateLog ?? [];
    const n = /^tail -n (\d+)/.exec(cmd);
    return (n ? lines.slice(-Number(n[1])) : lines).join('\n');
  }
  if (cmd.startsWith('esxcli network ip dns server')) return dnsCommand(host, cmd.slice('esxcli network ip dns server'.length).trim(), ctx);
  if (cmd.startsWith('esxcli network firewall ruleset')) return rulesetCommand(host, cmd.slice('esxcli network firewall ruleset'.length).trim(), ctx);
  return undefined;
}

function option(args: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)--${name}(?:=|\\s+)(\\S+)`).exec(args)?.[1];
}

function dnsCommand(host: PreparableHost, args: string, ctx: ComponentContext): string {
  const prep = host.state.prep;
  const servers = prep?.dnsServers ?? ['192.168.110.10'];
  if (args === 'list') return servers.length ? servers.map((s) => `   DNSServers: ${s}`).join('\n') : '   DNSServers:';
  const verb = args.split(' ')[0];
  const server = option(args, 'server') ?? option(args, 's');
  if ((verb !== 'add' && verb !== 'remove') || !server) return 'Usage: esxcli network ip dns server {list | add --server=IP | remove --server=IP}';
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(server)) return `Error: '${server}' is not an IPv4 address`;
  if (!prep) return 'This lab keeps the DNS servers of prepared hosts as they are.';
  if (verb === 'add') {
    if (servers.includes(server)) return `Error: the DNS server ${server} is already configured`;
    prep.dnsServers = [...servers, server];
  } else {
    if (!servers.includes(server)) return `Error: the DNS server ${server} is not configured`;
    prep.dnsServers = servers.filter((s) => s !== server);
  }
  ctx.emit({ kind: 'inventory', text: `Host ${host.state.name}: DNS server ${server} ${verb === 'add' ? 'added' : 'removed'}` });
  return '';
}

function rulesetCommand(host: PreparableHost, args: string, ctx: ComponentContext): string {
  const prep = host.state.prep;
  const httpClient = prep?.httpClient ?? true;
  if (args === 'list') {
    const rows: [string, boolean][] = [['sshServer', true], ['dns', true], ['httpClient', httpClient], ['vSphereClient', true], ['updateManager', true]];
    return ['Name           Enabled', '-------------  -------', ...rows.map(([n, e]) => `${n.padEnd(13)}  ${e}`)].join('\n');
  }
  const id = option(args, 'ruleset-id') ?? option(args, 'r');
  const enabled = option(args, 'enabled') ?? option(args, 'e');
  if (!args.startsWith('set') || !id || (enabled !== 'true' && enabled !== 'false')) return 'Usage: esxcli network firewall ruleset {list | set --ruleset-id=NAME --enabled=true|false}';
  if (id !== 'httpClient') return `This lab changes only the httpClient ruleset (outgoing HTTP, e.g. to vCenter's EAM on TCP/80); '${id}' stays as it is.`;
  if (!prep) return 'This lab keeps the ESXi firewall of prepared hosts as it is.';
  prep.httpClient = enabled === 'true';
  ctx.emit({ kind: 'inventory', text: `Host ${host.state.name}: ESXi firewall ruleset httpClient ${prep.httpClient ? 'enabled' : 'disabled'} (outgoing HTTP to vCenter's EAM on TCP/80 ${prep.httpClient ? 'allowed' : 'blocked'})` });
  return '';
}
