/** The ESXi shell: the commands a learner types on a host. Unknown commands answer like a shell does. */
import type { EsxHost } from './host';
import { runVsfwdCommand, VSFWD_HELP } from './vsfwd/vsfwd-shell';
import { normalizeFileCommand, parseStage, type Stage } from './shell-pipes';
import { CAPTURE_HELP, drainCapture, reapCaptures, runCaptureCommand } from './shell/capture-commands';
import type { CapturePort } from './shell/capture';
import { VSFWD_LOG } from './vsfwd/vsfwd-log';
import { validateHostCommand } from './shell/host-arguments';
import { PREP_COMMANDS } from './installation/prep-shell';

const HOST_COMMANDS = [
  'esxcli network vm list',
  'hostname',
  'help',
  'summarize-dvfilter',
  'vsipioctl getfilters | getrules -f FILTER | getaddrsets -f FILTER | getflows -f FILTER | getfilterstat -f FILTER | gettimeout -f FILTER | getmeminfo',
  ...CAPTURE_HELP,
  'cat|more|tail [-n N] /var/log/dfwpktlogs.log',
  'tail -f /var/log/dfwpktlogs.log|/var/log/vsfwd.log   (follows new lines until Ctrl-C)',
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
  capturePorts(): CapturePort[];
}

/** What this host's kernel module can show (an unprepared host's has none of it). */
const kernelViews = (host: EsxHost): Partial<KernelViews> => host.datapath as EsxHost['datapath'] & Partial<KernelViews>;

type ServiceControl = (action: 'start' | 'stop') => string;

/** A command that keeps printing after it returns: a foreground capture or `tail -f`. */
export type Follow =
  | { kind: 'capture'; id: number; stages: Stage[] }
  | { kind: 'tail'; file: string; seen: number; last: string | undefined; stages: Stage[] };

interface ShellOutcome {
  text: string;
  follow?: Follow;
}

// eslint-disable-next-line no-control-regex -- a typed line loses C0/C1 controls before any command sees it
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

/** Runs one line for a scripted caller (scenario, REST-less checks): a following command ends at once, as Ctrl-C would. */
export function runHostCommand(host: EsxHost, line: string, control: ServiceControl = () => 'vsfwd cannot be controlled from here'): string {
  const out = runHostLine(host, line, control);
  if (!out.follow) return out.text;
  const rest = pollFollow(host, out.follow, true).text;
  return [out.text, rest].filter(Boolean).join('\n');
}

/** Runs one line for a console: a following command returns its first text and how to follow it. */
export function runHostLine(host: EsxHost, raw: string, control: ServiceControl): ShellOutcome {
  reapCaptures(host.shell);
  const line = raw.replace(CONTROLS, ' ');
  const [first, ...rest] = line.split('|').map((p) => p.trim().replace(/\s+/g, ' '));
  const stages = rest.map(parseStage);
  // `vsipioctl getfilters | getrules …` style alternatives are not pipes: only known stages filter output.
  if (stages.some((s) => s === null)) return { text: runCommand(host, line.trim().replace(/\s+/g, ' '), control) };
  const pipe = stages as Stage[];
  const through = (text: string) => pipe.reduce((t, s) => s(t), text);
  const cmd = first ?? '';
  const tail = tailFollow(host, cmd, pipe);
  if (tail) return { text: tail.text, follow: tail.follow };
  const captured = runCaptureCommand(captureHost(host), cmd.split(' ').filter(Boolean));
  if (captured) return { text: through(captured.text), follow: captured.capture ? { kind: 'capture', id: captured.capture.id, stages: pipe } : undefined };
  const file = normalizeFileCommand(cmd);
  let out = runCommand(host, file.cmd, control);
  if (file.then) out = file.then(out);
  return { text: through(out) };
}

/** New output of a following command since the last call; `stop` is Ctrl-C. */
export function pollFollow(host: EsxHost, f: Follow, stop: boolean): { text: string; done: boolean } {
  const through = (text: string) => (text ? f.stages.reduce((t, s) => s(t), text) : text);
  if (f.kind === 'capture') {
    const { text, done } = drainCapture(host.shell, f.id, stop);
    // The closing lines go to the terminal, not through grep.
    const cut = done ? text.lastIndexOf('Dump thread exiting...') : -1;
    return { text: cut >= 0 ? [through(text.slice(0, cut).replace(/\n$/, '')), text.slice(cut)].filter(Boolean).join('\n') : through(text), done };
  }
  const lines = logLines(host, f.file) ?? [];
  let fresh: string[];
  if (lines.length > f.seen) fresh = lines.slice(f.seen);
  else {
    // The log is at its cap and drops its oldest lines: new ones follow the last line we showed.
    const at = f.last === undefined ? -1 : lines.lastIndexOf(f.last);
    fresh = at >= 0 ? lines.slice(at + 1) : [];
  }
  f.seen = lines.length;
  if (fresh.length) f.last = fresh.at(-1);
  return { text: through(fresh.join('\n')), done: stop };
}

function tailFollow(host: EsxHost, cmd: string, stages: Stage[]): ShellOutcome | undefined {
  const m = /^tail((?: -[fF]| -n \d+| -\d+)+) (\S+)$/.exec(cmd);
  if (!m || !/ -[fF]/.test(m[1]!)) return undefined;
  const n = Number(/ -n (\d+)| -(\d+)/.exec(m[1]!)?.slice(1).find(Boolean) ?? 10);
  const lines = logLines(host, m[2]!);
  if (!lines) return { text: `tail: can't open '${m[2]}': No such file or directory` };
  const shown = lines.slice(Math.max(0, lines.length - n));
  const text = stages.reduce((t, s) => s(t), shown.join('\n'));
  return { text, follow: { kind: 'tail', file: m[2]!, seen: lines.length, last: lines.at(-1), stages } };
}

function logLines(host: EsxHost, file: string): string[] | undefined {
  if (file === VSFWD_LOG) return host.vsfwd.state.log;
  if (file === PKTLOG) return kernelViews(host).pktlog?.() ?? [];
  return undefined;
}

function captureHost(host: EsxHost) {
  return { shell: host.shell, hostName: host.state.name, ports: () => kernelViews(host).capturePorts?.() ?? [] };
}

function runCommand(host: EsxHost, cmd: string, control: ServiceControl): string {
  const s = host.state;
  const invalid = validateHostCommand(cmd);
  if (invalid !== undefined) return invalid;
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
  return runVsfwdCommand(host, cmd, control) ?? advcfgGet(host, cmd) ?? runKernelCommand(host, cmd) ?? `-sh: ${cmd.split(' ')[0]}: not found`;
}

/** `esxcfg-advcfg -g PATH` for the options `-l` lists (RmqIpAddress is the vsfwd shell's). */
function advcfgGet(host: EsxHost, cmd: string): string | undefined {
  const m = /^esxcfg-advcfg (?:-g|--get) (\S+)$/.exec(cmd);
  if (!m) return undefined;
  const row = runVsfwdCommand(host, 'esxcfg-advcfg -l', () => '')?.split('\n').find((l) => l.startsWith(`${m[1]} `));
  const value = row && /\(current: (.*)\)$/.exec(row)?.[1];
  return value === undefined ? undefined : `Value of ${m[1]!.split('/').pop()} is ${value}`;
}

function runKernelCommand(host: EsxHost, cmd: string): string | undefined {
  const k = kernelViews(host);
  const word = cmd.split(' ')[0];
  if (word !== 'summarize-dvfilter' && word !== 'vsipioctl' && !cmd.endsWith(PKTLOG)) return undefined;
  const missing = (what: string) => `${what}: not available: this host's kernel module does not provide it`;
  if (cmd === 'summarize-dvfilter') return k.summarizeDvfilter?.() ?? missing('summarize-dvfilter');
  const log = /^(cat|tail)(?: -n (\d+))? \/var\/log\/dfwpktlogs\.log$/.exec(cmd);
  if (log) {
    const lines = k.pktlog?.() ?? [];
    return (log[1] === 'tail' ? lines.slice(-Number(log[2] ?? 10)) : lines).join('\n');
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
