/**
 * Oracle in the guests: the listener on TCP/1521 that `lsnrctl start` brings up, which answers
 * a ping, refuses a service it does not know and REDIRECTs a session to a port of its own (a
 * dispatcher, as a shared-server or Windows listener does), and the clients `tnsping` (talks
 * to the listener only) and `sqlplus user/password@host/service` (follows the redirect).
 */
import { TNS_PORT, TNS_VSNNUM, TnsType, buildTnsAccept, buildTnsConnect, buildTnsData, buildTnsRedirect, buildTnsRefuse, parseTnsPacket, tnsParam } from '../protocol/tns';
import type { DialogApp, DialogClientState } from './dialog';
import type { GuestState, TcpConn } from './guest-state';

/** The services the lab's database registers with its listener. */
const TNS_SERVICES = ['ORCL', 'ORCLPDB1'];
const LISTENER_LOG = '/u01/app/oracle/diag/tnslsnr/listener/trace/listener.log';
const BANNER = 'Oracle Database 19c Enterprise Edition Release 19.0.0.0.0 - Production';
/** Redirected sessions waiting for their client at once (older ones are given up). */
const MAX_WAITING = 16;

/** The listener's side of the guest: its redirect ports and what it needs from the TCP stack. */
interface TnsServerIO {
  ip(): string;
  name(): string;
  random(): number;
  send(conn: TcpConn, bytes: Uint8Array): void;
  listen(port: number): void;
  unlisten(port: number): void;
  log(file: string, text: string): void;
}

export interface TnsServerState {
  /** Ports the listener redirected a session to, still waiting for or serving it. */
  ports: number[];
}

function descriptor(s: DialogClientState, connectData: string): string {
  return `(DESCRIPTION=(CONNECT_DATA=${connectData})(ADDRESS=(PROTOCOL=tcp)(HOST=${s.server})(PORT=${s.port})))`;
}

const cid = (program: string) => `(CID=(PROGRAM=${program})(USER=oracle))`;

/** `lsnrctl start|stop|status`; null when the line is not lsnrctl. */
export function runLsnrctl(s: GuestState, cmd: string): string | null {
  const m = /^lsnrctl(?: (start|stop|status))?$/.exec(cmd);
  if (!m) return null;
  const head = 'LSNRCTL for Linux: Version 19.0.0.0.0 - Production';
  const endpoint = `(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=${s.name})(PORT=${TNS_PORT})))`;
  const running = s.listens.includes(`tcp/${TNS_PORT}`);
  switch (m[1] ?? 'status') {
    case 'start':
      if (running) return `${head}\nTNS-01106: Listener using listener name LISTENER has already been started`;
      s.listens.push(`tcp/${TNS_PORT}`);
      return `${head}\nStarting /u01/app/oracle/product/19c/bin/tnslsnr: please wait...\nListening on: ${endpoint}\nServices: ${TNS_SERVICES.join(', ')}\nThe command completed successfully`;
    case 'stop':
      if (!running) return `${head}\nTNS-12541: TNS:no listener`;
      s.listens = s.listens.filter((l) => l !== `tcp/${TNS_PORT}`);
      return `${head}\nThe command completed successfully`;
    default:
      if (!running) return `${head}\nTNS-12541: TNS:no listener`;
      return `${head}\nAlias                     LISTENER\nListening Endpoints Summary...\n  ${endpoint}\nServices Summary...\n${TNS_SERVICES.map((x) => `Service "${x}" has 1 instance(s).`).join('\n')}\nThe command completed successfully`;
  }
}

/** A TNS packet to the listener or to a port it redirected a session to; false when the connection is not Oracle's. */
export function serveTns(s: GuestState, conn: TcpConn, bytes: Uint8Array, io: TnsServerIO): boolean {
  const d = (s.tnsd ??= { ports: [] });
  const listener = conn.localPort === TNS_PORT && s.listens.includes(`tcp/${TNS_PORT}`);
  const session = d.ports.includes(conn.localPort);
  if (!listener && !session) return false;
  const p = parseTnsPacket(bytes);
  if (!p) return true; // not TNS: the listener drops it
  const stamp = `* (ADDRESS=(PROTOCOL=tcp)(HOST=${conn.remoteIp})(PORT=${conn.remotePort}))`;
  if (listener) {
    if (p.type !== TnsType.Connect) return true;
    if (/\(COMMAND=ping\)/i.test(p.text)) {
      io.log(LISTENER_LOG, `${io.name()} tnslsnr: ${p.text} * ping * 0`);
      io.send(conn, buildTnsRefuse(`(DESCRIPTION=(TMP=)(VSNNUM=${TNS_VSNNUM})(ERR=0)(ALIAS=LISTENER))`));
      return true;
    }
    const service = tnsParam(p.text, 'SERVICE_NAME') ?? '';
    if (!TNS_SERVICES.some((x) => x.toLowerCase() === service.toLowerCase())) {
      io.log(LISTENER_LOG, `${io.name()} tnslsnr: ${p.text} ${stamp} * establish * ${service} * 12514`);
      io.send(conn, buildTnsRefuse(`(DESCRIPTION=(TMP=)(VSNNUM=${TNS_VSNNUM})(ERR=12514)(ERROR_STACK=(ERROR=(CODE=12514)(EMFI=4))))`));
      return true;
    }
    // The session goes to a port of its own, chosen now (as a dispatcher's): nothing opens it in advance.
    const port = 32768 + Math.floor(io.random() * 28000);
    d.ports.push(port);
    while (d.ports.length > MAX_WAITING) io.unlisten(d.ports.shift()!);
    io.listen(port);
    io.log(LISTENER_LOG, `${io.name()} tnslsnr: ${p.text} ${stamp} * establish * ${service} * 0 (redirected to port ${port})`);
    io.send(conn, buildTnsRedirect(io.ip(), port));
    return true;
  }
  if (p.type === TnsType.Connect) {
    io.unlisten(conn.localPort); // one session per redirect
    io.send(conn, buildTnsAccept());
  } else if (p.type === TnsType.Data) {
    const user = /^AUTH (\S+)/.exec(p.text)?.[1] ?? 'unknown';
    d.ports = d.ports.filter((x) => x !== conn.localPort);
    io.log('audit', `${io.name()} oracle: LOGON ${user.toUpperCase()} from ${conn.remoteIp} on redirected port ${conn.localPort}`);
    io.send(conn, buildTnsData(`OK ${BANNER}`));
  }
  return true;
}

const TNSPING_HEAD = 'TNS Ping Utility for Linux: Version 19.0.0.0.0 - Production';

export const TNSPING: DialogApp = {
  hello: () => buildTnsConnect(`(CONNECT_DATA=${cid('tnsping')}(COMMAND=ping)(ARGUMENTS=64)(SERVICE=LISTENER)(VERSION=${TNS_VSNNUM}))`),
  control: (s, bytes) => {
    const p = parseTnsPacket(bytes);
    if (!p) return { wait: true };
    const err = tnsParam(p.text, 'ERR');
    if (err && err !== '0') s.error = `TNS-${err}`;
    return { finish: true };
  },
  dataHello: () => new Uint8Array(0),
  data: () => ({ wait: true }),
  render: (s, end, now) => {
    const service = `(SERVICE_NAME=${s.args.service ?? ''})`;
    const head = [TNSPING_HEAD, '', 'Used EZCONNECT adapter to resolve the alias', `Attempting to contact ${descriptor(s, `${service}`)}`];
    if (end === 'done' && !s.error) return [...head, `OK (${Math.max(0, Math.round(now - s.started))} msec)`].join('\n');
    const why = end === 'refused' ? 'TNS-12541: TNS:no listener' : end === 'timeout' ? 'TNS-12535: TNS:operation timed out' : `${s.error}: TNS:listener could not be reached`;
    return [...head, why].join('\n');
  },
};

const SQLPLUS_HEAD = 'SQL*Plus: Release 19.0.0.0.0 - Production';

export const SQLPLUS: DialogApp = {
  hello: (s) => buildTnsConnect(descriptor(s, `(SERVICE_NAME=${s.args.service})${cid('sqlplus')}`)),
  control: (s, bytes) => {
    const p = parseTnsPacket(bytes);
    if (!p) return { wait: true };
    if (p.type === TnsType.Redirect) {
      const host = tnsParam(p.text, 'HOST');
      const port = Number(tnsParam(p.text, 'PORT'));
      if (host && port > 0 && port < 65536) return { open: { ip: host, port } };
    }
    if (p.type === TnsType.Accept) return { send: buildTnsData(`AUTH ${s.args.user}`) };
    if (p.type === TnsType.Data) return sqlplusLogon(s, p.text);
    s.error = `ORA-${tnsParam(p.text, 'ERR') ?? '12564'}`;
    return { finish: true };
  },
  dataHello: (s) => buildTnsConnect(descriptor(s, `(SERVICE_NAME=${s.args.service})${cid('sqlplus')}`)),
  data: (s, bytes) => {
    const p = parseTnsPacket(bytes);
    if (p?.type === TnsType.Accept) return { send: buildTnsData(`AUTH ${s.args.user}`) };
    if (p?.type === TnsType.Data) return sqlplusLogon(s, p.text);
    return { wait: true };
  },
  render: (s, end) => {
    const out = [SQLPLUS_HEAD, ''];
    if (end === 'done' && !s.error) return [...out, 'Connected to:', ...s.out, '', `SQL> Disconnected from ${BANNER}`].join('\n');
    const ora: Record<string, string> = {
      'ORA-12514': 'ORA-12514: TNS:listener does not currently know of service requested in connect descriptor',
      'ORA-12564': 'ORA-12564: TNS:connection refused',
    };
    const why = end === 'timeout' ? 'ORA-12170: TNS:Connect timeout occurred' : end === 'refused' ? (s.stage === 'control' ? 'ORA-12541: TNS:no listener' : 'ORA-12564: TNS:connection refused') : (ora[s.error ?? ''] ?? `${s.error}: TNS:protocol adapter error`);
    return [...out, 'ERROR:', why].join('\n');
  },
};

function sqlplusLogon(s: DialogClientState, text: string): { finish: true } {
  s.out.push(text.replace(/^OK /, ''), 'Version 19.3.0.0.0');
  return { finish: true };
}
