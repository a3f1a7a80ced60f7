/**
 * The application clients a learner types in a guest console: `ftp [-p] HOST` (netkit ftp: an
 * anonymous login, `ls`, `bye`; `-p` passive mode) and `rpcinfo -t|-u HOST PROGRAM [VERSION]`
 * (asks the portmapper for the program's port, then calls it). They run through the VM's vNIC,
 * so the distributed firewall, and its ALGs, decide. Arguments are checked before anything is sent.
 */
import { buildGetportCall, parseGetportReply } from '../protocol/sunrpc';
import { latin1Bytes, latin1String, PORTMAPPER_PORT, RPC_PROGRAMS } from './rpc';
import { ftpOutput } from './ftp-output';

export type AppTool =
  | { tool: 'ftp'; host: string; passive: boolean }
  | { tool: 'rpcinfo'; host: string; transport: 'tcp' | 'udp'; program: number; version: number; name: string };

export interface AppIO {
  resolve(name: string): Promise<string | undefined>;
  /** Runs the FTP session; `transcript` is what the client printed, `finished` false when a connection never opened. */
  ftp(dst: string, serverName: string, passive: boolean): Promise<{ finished: boolean; refused: boolean; transcript: string }>;
  exchange(x: { proto: 'tcp' | 'udp'; dst: string; port: number; request?: string }): Promise<{ answered: boolean; refused?: boolean; reply?: string }>;
}

type Parsed = { ok: true; cmd: AppTool } | { ok: false; text: string };

const RPCINFO_USAGE = 'Usage: rpcinfo [-m | -s] [host]\n       rpcinfo -p [host]\n       rpcinfo -T netid host prognum [versnum]\n       rpcinfo -l host prognum versnum\n       rpcinfo [-n portnum] -u | -t host prognum [versnum]\n       rpcinfo -a serv_address -T netid prognum [version]\n       rpcinfo -b prognum versnum\n       rpcinfo -d [-T netid] prognum versnum';

export function parseAppTool(line: string): Parsed | null {
  const words = line.trim().split(/\s+/);
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
