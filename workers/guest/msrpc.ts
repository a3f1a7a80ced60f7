/**
 * MS-RPC in the guests: Samba as a domain controller (`service samba-ad-dc start`) runs the
 * endpoint mapper on TCP/135 and its RPC interfaces on ports of their own above 49152; the
 * client is Samba's `rpcclient -c COMMAND ncacn_ip_tcp:HOST`, which binds to the endpoint
 * mapper, asks (ept_map) where the command's interface listens, then binds there and calls it.
 */
import { ipToInt } from '../protocol/addresses';
import {
  EPM_PORT, EPM_UUID, EPT_MAP, PType, buildBind, buildBindAck, buildRequest, buildResponse, buildTower, eptMapAnswer, eptMapAsked, eptMapRequest, eptMapResponse, parsePdu,
} from '../protocol/dcerpc';
import type { DialogApp, DialogClientState } from './dialog';
import type { GuestState, TcpConn } from './guest-state';

const SAMBA_LOG = '/var/log/samba/log.samba';

/** The interfaces the lab's Samba serves: the rpcclient command that calls each, its opnum and port. */
export const RPC_INTERFACES = [
  { command: 'lsaquery', pipe: 'lsarpc', uuid: '12345778-1234-abcd-ef00-0123456789ab', major: 0, opnum: 7, port: 49152 },
  { command: 'enumdomusers', pipe: 'samr', uuid: '12345778-1234-abcd-ef00-0123456789ac', major: 1, opnum: 13, port: 49153 },
  { command: 'srvinfo', pipe: 'srvsvc', uuid: '4b324fc8-1670-01d3-1278-5a47bf6ee188', major: 3, opnum: 21, port: 49154 },
] as const;

/** What `service samba-ad-dc start` listens on. */
export const SAMBA_LISTENS = [`tcp/${EPM_PORT}`, ...RPC_INTERFACES.map((i) => `tcp/${i.port}`)];

interface RpcServerIO {
  ip(): string;
  name(): string;
  send(conn: TcpConn, bytes: Uint8Array): void;
  log(file: string, text: string): void;
}

/** The answer each call gets: what rpcclient prints (the lab's domain is CORP, as the identity firewall's directory). */
function answer(command: string, server: string): string {
  switch (command) {
    case 'lsaquery':
      return 'Domain Name: CORP\nDomain Sid: S-1-5-21-3623811015-3361044348-30300820';
    case 'enumdomusers':
      return ['Administrator 0x1f4', 'Guest 0x1f5', 'krbtgt 0x1f6', 'alice 0x44f', 'bob 0x450'].map((u) => `user:[${u.split(' ')[0]}] rid:[${u.split(' ')[1]}]`).join('\n');
    default:
      return `    ${server.toUpperCase().padEnd(15)}Wk Sv PDC Unx NT LMB\n    platform_id     :    500\n    os version      :    6.1\n    server type     :    0x80102b`;
  }
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);
/** The lab's stubs carry the answer as a counted string. */
function textStub(text: string): Uint8Array {
  const body = latin1(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, true);
  out.set(body, 4);
  return out;
}
function stubText(stub: Uint8Array): string {
  if (stub.length < 4) return '';
  const n = new DataView(stub.buffer, stub.byteOffset, stub.byteLength).getUint32(0, true);
  return String.fromCharCode(...stub.subarray(4, 4 + n));
}

/** A PDU to the endpoint mapper or an RPC interface of a running Samba; false when the connection is not Samba's. */
export function serveMsRpc(s: GuestState, conn: TcpConn, bytes: Uint8Array, io: RpcServerIO): boolean {
  if (!s.listens.includes(`tcp/${EPM_PORT}`)) return false;
  const iface = RPC_INTERFACES.find((i) => i.port === conn.localPort);
  if (conn.localPort !== EPM_PORT && !iface) return false;
  const pdu = parsePdu(bytes);
  if (!pdu) return true;
  if (pdu.ptype === PType.Bind) {
    io.send(conn, buildBindAck(pdu.callId, String(conn.localPort)));
    return true;
  }
  if (pdu.ptype !== PType.Request) return true;
  if (conn.localPort === EPM_PORT) {
    const asked = pdu.opnum === EPT_MAP ? eptMapAsked(pdu.stub) : null;
    const known = asked && RPC_INTERFACES.find((i) => i.uuid === asked.uuid);
    io.log(SAMBA_LOG, `${io.name()} samba: epmapper: ept_map from ${conn.remoteIp} for ${known ? `${known.pipe} -> port ${known.port}` : `${asked?.uuid ?? 'nothing'}: not registered`}`);
    io.send(conn, eptMapResponse(pdu.callId, known ? buildTower(known.uuid, known.major, known.port, ipToInt(io.ip()) | 0) : null));
    return true;
  }
  io.log(SAMBA_LOG, `${io.name()} samba: ${iface!.pipe}: ${iface!.command} call from ${conn.remoteIp} on port ${conn.localPort}`);
  io.send(conn, buildResponse(pdu.callId, textStub(answer(iface!.command, io.name()))));
  return true;
}

function interfaceOf(s: DialogClientState) {
  return RPC_INTERFACES.find((i) => i.command === s.args.command) ?? RPC_INTERFACES[2];
}

const CANNOT = 'Cannot connect to server.  Error was';

export const RPCCLIENT: DialogApp = {
  hello: () => buildBind(1, EPM_UUID, 3),
  control: (s, bytes) => {
    const pdu = parsePdu(bytes);
    if (pdu?.ptype === PType.BindAck) {
      const i = interfaceOf(s);
      return { send: eptMapRequest(2, i.uuid, i.major) };
    }
    if (pdu?.ptype !== PType.Response) return { wait: true };
    const at = eptMapAnswer(pdu.stub);
    if (!at || at.port === 0) {
      s.error = 'EPT_S_NOT_REGISTERED';
      return { finish: true };
    }
    const ip = at.ip === 0 ? s.server : [24, 16, 8, 0].map((b) => (at.ip >>> b) & 255).join('.');
    return { open: { ip, port: at.port } };
  },
  dataHello: (s) => {
    const i = interfaceOf(s);
    return buildBind(1, i.uuid, i.major);
  },
  data: (s, bytes) => {
    const pdu = parsePdu(bytes);
    if (pdu?.ptype === PType.BindAck) return { send: buildRequest(2, interfaceOf(s).opnum, new Uint8Array(4)) };
    if (pdu?.ptype !== PType.Response) return { wait: true };
    s.out.push(stubText(pdu.stub));
    return { finish: true };
  },
  render: (s, end) => {
    if (end === 'done' && !s.error) return s.out.join('\n');
    return `${CANNOT} ${end === 'timeout' ? 'NT_STATUS_IO_TIMEOUT' : end === 'refused' ? 'NT_STATUS_CONNECTION_REFUSED' : s.error}`;
  },
};
