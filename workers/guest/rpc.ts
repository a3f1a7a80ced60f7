/**
 * Sun RPC in the guests: the portmapper (rpcbind) on port 111 that `service nfs-server start`
 * brings up with the NFS server (program 100003 on TCP/2049) and mountd (100005 on TCP/20048),
 * and the byte form the console's `rpcinfo` uses. UDP payloads cross the console boundary as
 * latin1 strings (one character per byte).
 */
import { buildGetportReply, parseGetportCall } from '../protocol/sunrpc';

export const PORTMAPPER_PORT = 111;

/** The programs the lab's NFS server registers: name, number, version, TCP port. */
export const RPC_PROGRAMS = [
  { name: 'portmapper', program: 100000, version: 2, port: 111 },
  { name: 'nfs', program: 100003, version: 3, port: 2049 },
  { name: 'mountd', program: 100005, version: 3, port: 20048 },
] as const;

/** What `service nfs-server start` listens on. */
export const NFS_LISTENS = ['udp/111', 'tcp/111', 'tcp/2049', 'tcp/20048'];

export function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);
}

export function latin1String(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** The portmapper's answer to a datagram on port 111, or null when it is not a GETPORT call. */
export function servePortmapper(payload: Uint8Array, listens: readonly string[]): Uint8Array | null {
  const call = parseGetportCall(payload, 0, payload.length, false);
  if (!call) return null;
  const known = RPC_PROGRAMS.find((p) => p.program === call.program && call.protocol === 6 && listens.includes(`tcp/${p.port}`));
  return buildGetportReply(call.xid, known ? known.port : 0, false);
}
