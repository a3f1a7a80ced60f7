/**
 * The application clients a learner types in a guest console: `ftp [-p] HOST` (netkit ftp: an
 * anonymous login, `ls`, `bye`; `-p` passive mode), `rpcinfo -t|-u HOST PROGRAM [VERSION]`
 * (asks the portmapper for the program's port, then calls it), Oracle's `tnsping` and `sqlplus`
 * (the listener on 1521, which redirects a session to a port of its own) and Samba's
 * `rpcclient -c COMMAND ncacn_ip_tcp:HOST` (the endpoint mapper on 135, then the interface's port). They run through the VM's vNIC,
 * so the distributed firewall, and its ALGs, decide. Arguments are checked before anything is sent.
 */
import { buildGetportCall, parseGetportReply } from '../protocol/sunrpc';
import { latin1Bytes, latin1String, PORTMAPPER_PORT, RPC_PROGRAMS } from './rpc';
import { ftpOutput } from './ftp-output';
import type { DialogRequest } from '../protocol/messages/guest';
import { TNS_PORT } from '../protocol/tns';
import { EPM_PORT } from '../protocol/dcerpc';
import { RPC_INTERFACES } from './msrpc';

type DialogCall = Omit<DialogRequest, 'probe' | 'dst' | 'serverName'>;

type AppTool =
  | { tool: 'ftp'; host: string; passive: boolean }
  | { tool: 'rpcinfo'; host: string; transport: 'tcp' | 'udp'; program: number; version: number; name: string }
  | { tool: 'dialog'; host: string; call: DialogCall };

export interface AppIO {
  resolve(name: string): Promise<string | undefined>;
  /** Runs the FTP session; `transcript` is what the client printed, `finished` false when a connection never opened. */
  ftp(dst: string, serverName: string, passive: boolean): Promise<{ finished: boolean; refused: boolean; transcript: string }>;
  exchange(x: { proto: 'tcp' | 'udp'; dst: string; port: number; request?: string }): Promise<{ answered: boolean; refused?: boolean; reply?: string }>;
  /** Runs tnsping / sqlplus / rpcclient to `dst`; resolves to what the tool prints. */
  dialog(dst: string, serverName: string, call: DialogCall): Promise<string>;
}

type Parsed = { ok: true; cmd: AppTool } | { ok: false; text: string };

const RPCINFO_USAGE = 'Usage: rpcinfo [-m | -s] [host]\n       rpcinfo -p [host]\n       rpcinfo -T netid host prognum [versnum]\n       rpcinfo -l host prognum versnum\n       rpcinfo [-n portnum] -u | -t host prognum [versnum]\n       rpcinfo -a serv_address -T netid prognum [version]\n       rpcinfo -b prognum versnum\n       rpcinfo -d [-T netid] prognum versnum';

const TNSPING_USAGE = 'Usage: tnsping <address> [<count>]   (an EZCONNECT address: host[:port][/service])';
const RPCCLIENT_USAGE = `Usage: rpcclient [-U USER[%PASSWORD]] [-N] -c COMMAND ncacn_ip_tcp:HOST\n(this console runs one command over ncacn_ip_tcp: ${RPC_INTERFACES.map((i) => i.command).join(', ')})`;

/** An EZCONNECT address: `[//]host[:port][/service]`. */
function ezconnect(text: string): { host: string; port: number; service?: string } | null {
  const m = /^(?:\/\/)?([^:/\s]+)(?::(\d{1,5}))?(?:\/([\w.$#-]+))?$/.exec(text);
  if (!m) return null;
  const port = m[2] === undefined ? TNS_PORT : Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1], port, service: m[3] } : null;
}

function parseDialogTool(words: string[]): Parsed | null {
  if (words[0] === 'tnsping') {
    const at = words[1] && ezconnect(words[1]);
    if (!at || words.length > 3) return { ok: false, text: TNSPING_USAGE };
    return { ok: true, cmd: { tool: 'dialog', host: at.host, call: { tool: 'tnsping', port: at.port, args: at.service ? { service: at.service } : {} } } };
  }
  if (words[0] === 'sqlplus') {
    const logon = words.slice(1).filter((w) => !/^-[LSsl]$/i.test(w));
    if (logon.length !== 1) return { ok: false, text: 'Usage: sqlplus [-L] [-S] user/password@host[:port]/service' };
    const m = /^([A-Za-z][\w$#]*)(?:\/[^@]*)?@(.+)$/.exec(logon[0]);
    if (!m) return { ok: false, text: 'ERROR:\nORA-12162: TNS:net service name is incorrectly specified' };
    const at = ezconnect(m[2]);
    if (!at || !at.service) return { ok: false, text: 'ERROR:\nORA-12154: TNS:could not resolve the connect identifier specified' };
    return { ok: true, cmd: { tool: 'dialog', host: at.host, call: { tool: 'sqlplus', port: at.port, args: { user: m[1], service: at.service } } } };
  }
  if (words[0] === 'rpcclient') {
    let command: string | undefined;
    const rest: string[] = [];
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      if (w === '-c' || w === '--command') command = words[++i]?.replace(/^['"]|['";]+$/g, '');
      else if (w === '-U' || w === '-W') i++;
      else if (w === '-N' || /^--?(?:no-pass|user=.*|workgroup=.*)$/.test(w)) continue;
      else if (w.startsWith('-')) return { ok: false, text: `rpcclient: ${w}: unknown option\n${RPCCLIENT_USAGE}` };
      else rest.push(w);
    }
    const binding = rest.length === 1 ? /^ncacn_ip_tcp:([^[\s]+)$/.exec(rest[0]) : null;
    const iface = RPC_INTERFACES.find((x) => x.command === command);
    if (!binding || !iface) return { ok: false, text: RPCCLIENT_USAGE };
    return { ok: true, cmd: { tool: 'dialog', host: binding[1], call: { tool: 'rpcclient', port: EPM_PORT, args: { command: iface.command } } } };
  }
  return null;
}

export function parseAppTool(line: string): Parsed | null {
  const words = line.trim().split(/\s+/);
  const dialog = parseDialogTool(words);
  if (dialog) return dialog;
  if (words[0] === 'ftp' || words[0] === 'pftp') {
    let passive = words[0] === 'pftp';
    const rest: string[] = [];
    for (const w of words.slice(1)) {
      if (w === '-p') passive = true;
      else if (/^-[inv]+$/.test(w)) continue;
      else if (w.startsWith('-')) return { ok: false, text: `ftp: ${w}: unknown option` };
      else rest.push(w);
    }
    if (rest.length !== 1) return { ok: false, text: rest.length === 0 ? 'usage: ftp [-p] host   (this console runs: anonymous login, ls, bye)' : 'usage: ftp [-p] host' };
    return { ok: true, cmd: { tool: 'ftp', host: rest[0], passive } };
  }
  if (words[0] === 'rpcinfo') {
    const flag = words[1];
    if ((flag !== '-t' && flag !== '-u') || words.length < 4 || words.length > 5) return { ok: false, text: RPCINFO_USAGE };
    const known = RPC_PROGRAMS.find((p) => p.name === words[3] || String(p.program) === words[3]);
    if (!known) return { ok: false, text: `rpcinfo: ${words[3]} is unknown service` };
    const version = words[4] === undefined ? known.version : Number(words[4]);
    if (!Number.isInteger(version) || version < 0) return { ok: false, text: `rpcinfo: ${words[4]} is illegal version number` };
    return { ok: true, cmd: { tool: 'rpcinfo', host: words[2], transport: flag === '-t' ? 'tcp' : 'udp', program: known.program, version, name: known.name } };
  }
  return null;
}

export async function runAppTool(cmd: AppTool, io: AppIO): Promise<string> {
  const ip = await io.resolve(cmd.host);
  if (cmd.tool === 'ftp') {
    if (!ip) return `ftp: ${cmd.host}: Name or service not known`;
    return ftpOutput(await io.ftp(ip, cmd.host, cmd.passive));
  }
  if (cmd.tool === 'dialog') {
    if (ip) return io.dialog(ip, cmd.host, cmd.call);
    const unknown = { tnsping: 'TNS-12545', sqlplus: 'ERROR:\nORA-12545', rpcclient: '' }[cmd.call.tool];
    return unknown ? `${unknown}: Connect failed because target host or object does not exist` : 'Cannot connect to server.  Error was NT_STATUS_UNSUCCESSFUL';
  }
  if (!ip) return `rpcinfo: ${cmd.host}: unknown host`;
  const unavailable = `program ${cmd.program} version ${cmd.version} is not available`;
  // pmap_getport: a GETPORT call to the portmapper over UDP, as the classic library sends it.
  const xid = 0x4c41b000 + cmd.program % 4096;
  const call = buildGetportCall(xid, cmd.program, cmd.version, cmd.transport === 'tcp' ? 6 : 17, false);
  const asked = await io.exchange({ proto: 'udp', dst: ip, port: PORTMAPPER_PORT, request: latin1String(call) });
  if (!asked.answered || asked.refused) return `rpcinfo: can't contact portmapper: RPC: ${asked.refused ? 'Remote system error - Connection refused' : 'Timed out'}\n${unavailable}`;
  const bytes = latin1Bytes(asked.reply ?? '');
  const reply = parseGetportReply(bytes, 0, bytes.length, false);
  if (!reply) return `rpcinfo: RPC: Program not registered\n${unavailable}`;
  const called = await io.exchange({ proto: cmd.transport, dst: ip, port: reply.port, request: `RPC NULL call to program ${cmd.program}` });
  if (!called.answered || called.refused) return `rpcinfo: RPC: ${called.refused ? 'Remote system error - Connection refused' : 'Timed out'}\n${unavailable}`;
  return `program ${cmd.program} version ${cmd.version} ready and waiting`;
}
