/** The ESXi shell: the commands a learner types on a host. Unknown commands answer like a shell does. */
import type { EsxHost } from './host';
import { runVsfwdCommand, VSFWD_HELP } from './vsfwd/vsfwd-shell';
import { normalizeFileCommand, parseStage } from './shell-pipes';
import { PREP_COMMANDS } from './installation/prep-shell';

export const HOST_COMMANDS = [
  'esxcli network vm list',
  'hostname',
  'help',
  'summarize-dvfilter',
  'vsipioctl getfilters | getrules -f FILTER | getaddrsets -f FILTER | getflows -f FILTER | getfilterstat -f FILTER | gettimeout -f FILTER | getmeminfo',
  'pktcap-uw --capture PreDVFilter|PostDVFilter --dvfilter FILTER',
  'cat|more|tail [-n N|-f] /var/log/dfwpktlogs.log',
  'ps',
  'esxcfg-advcfg -l',
  ...VSFWD_HELP,
  ...PREP_COMMANDS,
  'COMMAND | grep [-i] [-v] [-c] [-A N] [-B N] TEXT | more | head [-n N] | tail [-n N] | wc -l',
];

const PKTLOG = '/var/log/dfwpktlogs.log';

/** The kernel's shell views, when the registered datapath offers them. */
interface KernelViews {
  summarizeDvfilter(): string;
  getfilters(): string;
  getrules(filter: string): string;
  getaddrsets(filter: string): string;
  getflows(filter: string): string;
  getfilterstat(filter: string): string;
  gettimeout(filter: string): string;
  getmeminfo(): string;
  pktlog(): string[];
  pktcap(point: string, filter: string): string;
}

export type ServiceControl = (action: 'start' | 'stop') => string;

export function runHostCommand(host: EsxHost, line: string, control: ServiceControl = () => 'vsfwd cannot be controlled from here'): string {
  const [first, ...rest] = line.split('|').map((p) => p.trim().replace(/\s+/g, ' '));
  const stages = rest.map(parseStage);
  // `vsipioctl getfilters | getrules …` style alternatives are not pipes: only known stages filter output.
  if (stages.some((s) => s === null)) return runCommand(host, line.trim().replace(/\s+/g, ' '), control);
  const file = normalizeFileCommand(first ?? '');
  let out = runCommand(host, file.cmd, control);
  if (file.then) out = file.then(out);
  for (const stage of stages) out = stage!(out);
  return out;
}

function runCommand(host: EsxHost, cmd: string, control: ServiceControl): string {
  const s = host.state;
  switch (cmd) {
    case '':
      return '';
    case 'hostname':
      return s.name;
    case 'esxcli network vm list':
      return [
        'World ID  Name         Num Ports  Networks',
        '--------  -----------  ---------  --------',
        ...s.vms.map((vm) => `${String(vm.worldId).padEnd(8)}  ${vm.name.padEnd(11)}  ${String(vm.vnics.length).padEnd(9)}  ${vm.vnics.map((n) => n.network).join(', ')}`),
      ].join('\n');
    case 'help':
      return `commands:\n  ${HOST_COMMANDS.join('\n  ')}`;
  }
  return runVsfwdCommand(host, cmd, control) ?? runKernelCommand(host, cmd) ?? `-sh: ${cmd.split(' ')[0]}: not found`;
}

function runKernelCommand(host: EsxHost, cmd: string): string | undefined {
  const k = host.datapath as unknown as Partial<KernelViews>;
  const word = cmd.split(' ')[0];
  if (word !== 'summarize-dvfilter' && word !== 'vsipioctl' && word !== 'pktcap-uw' && !cmd.endsWith(PKTLOG)) return undefined;
  const missing = (what: string) => `${what}: not available: this host's kernel module does not provide it`;
  if (cmd === 'summarize-dvfilter') return k.summarizeDvfilter?.() ?? missing('summarize-dvfilter');
  const log = /^(cat|tail)(?: -n (\d+))? \/var\/log\/dfwpktlogs\.log$/.exec(cmd);
  if (log) {
    const lines = k.pktlog?.() ?? [];
    return (log[1] === 'tail' ? lines.slice(-Number(log[2] ?? 10)) : lines).join('\n');
  }
  if (word === 'pktcap-uw') {
    const point = /--capture (\S+)/.exec(cmd)?.[1];
    const filter = /--dvfilter (\S+)/.exec(cmd)?.[1];
    if (!point || !filter) return 'pktcap-uw: usage: pktcap-uw --capture PreDVFilter|PostDVFilter --dvfilter <filter name>';
    return k.pktcap?.(point, filter) ?? missing('pktcap-uw');
  }
  const m = /^vsipioctl (\w+)(?: -f (\S+))?$/.exec(cmd);
  if (!m) return 'vsipioctl: usage: vsipioctl getfilters | getrules -f <filter> | getaddrsets -f <filter> | getflows -f <filter> | getfilterstat -f <filter> | gettimeout -f <filter> | getmeminfo';
  const [, sub, filter] = m;
  if (sub === 'getfilters') return k.getfilters?.() ?? missing('vsipioctl');
  if (sub === 'getmeminfo') return k.getmeminfo?.() ?? missing('vsipioctl');
  const perFilter = { getrules: k.getrules, getaddrsets: k.getaddrsets, getflows: k.getflows, getfilterstat: k.getfilterstat, gettimeout: k.gettimeout }[sub!];
  if (!perFilter) return `vsipioctl: unknown command '${sub}'`;
  if (!filter) return `vsipioctl ${sub}: a filter is required (-f <filter name>)`;
  return perFilter.call(k, filter);
}
