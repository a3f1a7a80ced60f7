/**
 * The host shell's capture and file commands: `pktcap-uw`, `tcpdump-uw -r`, `net-stats -l`,
 * `ls`, `rm` and `kill` (for a capture left running in the background with `&`).
 */
import { parsePktcap } from './pktcap-options';
import { endLines, startCapture, UPLINKS, VMKNICS, type CapturePort, type CaptureSession, type HostShellState } from './capture';
import { readFile, WRITABLE_DIRS } from './host-files';
import { tcpdumpRead } from './tcpdump';

export const CAPTURE_HELP = [
  'pktcap-uw --switchport ID|--uplink vmnic0|--dvfilter FILTER [--capture PreDVFilter|PostDVFilter|Drop|…] [--dir 0|1|2] [-c N] [-o FILE] [--ip|--proto|--tcpport …] [&]',
  'pktcap-uw -A',
  'net-stats -l',
  'tcpdump-uw -r FILE [-e]',
  'ls [-l] [/|/tmp|/scratch]',
  'rm FILE',
  'kill SESSION',
];

interface CaptureHost {
  shell: HostShellState;
  ports(): CapturePort[];
  hostName: string;
}

/** What a command asks of the console: text now, and possibly a capture that keeps printing. */
interface CommandResult {
  text: string;
  /** A foreground capture: the console polls it until -c packets or Ctrl-C. */
  capture?: CaptureSession;
}

export function runCaptureCommand(host: CaptureHost, words: string[]): CommandResult | undefined {
  const [cmd, ...args] = words;
  switch (cmd) {
    case 'pktcap-uw':
      return pktcap(host, args);
    case 'tcpdump-uw':
      return { text: tcpdump(host, args) };
    case 'net-stats':
      return { text: args.join(' ') === '-l' ? netStats(host) : 'net-stats: usage: net-stats -l   (list the switch ports: PortNum for pktcap-uw --switchport)' };
    case 'ls':
      return { text: ls(host, args) };
    case 'rm':
      return { text: rm(host, args) };
    case 'kill':
      return { text: kill(host, args) };
  }
  return undefined;
}

function pktcap(host: CaptureHost, args: string[]): CommandResult {
  const parsed = parsePktcap(args);
  if (!parsed.ok) return { text: parsed.error };
  if ('text' in parsed) return { text: parsed.text };
  const started = startCapture(host.shell, parsed.spec, host.ports());
  if ('error' in started) return { text: started.error };
  if (parsed.spec.background) return { text: `${started.header}\n[bg] pktcap-uw session ${started.session.id} runs in the background; 'kill ${started.session.id}' stops it` };
  return { text: started.header, capture: started.session };
}

/** Takes what a foreground capture printed since the last call; ends it when done or `stop`. */
export function drainCapture(shell: HostShellState, id: number, stop: boolean): { text: string; done: boolean } {
  const s = shell.captures.find((c) => c.id === id);
  if (!s) return { text: '', done: true };
  const lines = s.pending.splice(0);
  const done = stop || s.done;
  if (done) {
    shell.captures = shell.captures.filter((c) => c !== s);
    lines.push(endLines(s));
  }
  return { text: lines.join('\n'), done };
}

/** Background captures that reached -c are finished: forget them. */
export function reapCaptures(shell: HostShellState): void {
  shell.captures = shell.captures.filter((c) => !(c.done && c.spec.background));
}

function tcpdump(host: CaptureHost, args: string[]): string {
  let file: string | undefined;
  let eth = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-r') file = args[++i];
    else if (a === '-e') eth = true;
    else if (a === '-n' || a === '-nn') continue;
    else return `tcpdump-uw: option '${a}' is not available in this lab (it reads files: tcpdump-uw -r FILE [-e] [-n])`;
  }
  if (file === undefined) return 'tcpdump-uw: live capture is not available in this lab: capture with pktcap-uw -o FILE, then tcpdump-uw -r FILE';
  const bytes = readFile(host.shell.files, file);
  if (!bytes) return `tcpdump-uw: ${file}: No such file or directory`;
  return tcpdumpRead(file, bytes, eth);
}

function netStats(host: CaptureHost): string {
  const rows = [
    ['50331650', '4', '0', 'DvsPortset-0', '00:50:56:01:00:00', UPLINKS[0]!],
    ['50331652', '3', '0', 'DvsPortset-0', '00:50:56:01:00:01', VMKNICS[0]!],
    ...host.ports().map((p) => [String(p.port), '5', '9', 'DvsPortset-0', p.mac, `${p.vmName}.eth${p.vnicIndex}`]),
  ];
  return ['PortNum          Type SubType SwitchName       MACAddress         ClientName', ...rows.map((r) => `${r[0]!.padEnd(16)} ${r[1]!.padStart(4)} ${r[2]!.padStart(7)} ${r[3]!.padEnd(16)} ${r[4]!.padEnd(18)} ${r[5]}`)].join('\n');
}

function ls(host: CaptureHost, args: string[]): string {
  const long = args[0] === '-l';
  const rest = long ? args.slice(1) : args;
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) return `ls: usage: ls [-l] [${WRITABLE_DIRS.join('|')}]`;
  const dir = rest[0]?.replace(/(.)\/$/, '$1') ?? '/';
  if (!WRITABLE_DIRS.includes(dir)) return `ls: ${dir}: the lab lists only ${WRITABLE_DIRS.join(', ')} (files pktcap-uw wrote)`;
  const inDir = Object.entries(host.shell.files).filter(([p]) => (p.slice(0, p.lastIndexOf('/')) || '/') === dir);
  return inDir.map(([p, f]) => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    return long ? `-rw-r--r--    1 root     root     ${String(f.size).padStart(9)} ${name}` : name;
  }).join('\n');
}

function rm(host: CaptureHost, args: string[]): string {
  if (args.length !== 1 || args[0]!.startsWith('-')) return 'rm: usage: rm FILE';
  const path = args[0]!.startsWith('/') ? args[0]! : `/${args[0]}`;
  if (!host.shell.files[path]) return `rm: can't remove '${args[0]}': No such file or directory`;
  if (host.shell.captures.some((c) => c.file === path)) return `rm: can't remove '${args[0]}': a running pktcap-uw session writes it (kill it first)`;
  delete host.shell.files[path];
  return '';
}

function kill(host: CaptureHost, args: string[]): string {
  if (args.length !== 1 || !/^\d+$/.test(args[0]!)) return 'kill: usage: kill SESSION   (the number pktcap-uw printed when it went to the background)';
  const id = Number(args[0]);
  const s = host.shell.captures.find((c) => c.id === id && c.spec.background);
  if (!s) return `kill: can't kill pid ${id}: No such process`;
  host.shell.captures = host.shell.captures.filter((c) => c !== s);
  return endLines(s);
}
