/**
 * FTP in the guests: a vsftpd-like server on TCP/21 (started with `service vsftpd start`) and
 * the netkit `ftp` client's session `ftp [-p] HOST` runs (anonymous login, `ls`, `bye`), both on
 * the guest's TCP stack, so the control and data connections cross the distributed firewall as
 * real segments and the kernel's FTP ALG reads the real PASV / PORT lines.
 */
import type { TcpConn } from './guest-state';

export const FTP_PORT = 21;
/** The server's own data port for active mode. */
const FTP_DATA_PORT = 20;
/** vsftpd's pasv_min_port / pasv_max_port as the lab configures them. */
const PASV_LO = 40000;
const PASV_HI = 40999;

const FTP_LISTING = [
  '-rw-r--r--    1 0        0           48213 Dec 06 08:00 invoices-2026-11.csv',
  '-rw-r--r--    1 0        0             912 Dec 06 08:00 README',
].join('\r\n') + '\r\n';

/** The client's session, kept in the guest state until `ftp` returns. */
export interface FtpClientState {
  probe: number;
  server: string;
  serverName: string;
  passive: boolean;
  ctlPort: number;
  /** Passive: the server's announced port. Active: the port this guest listens on. */
  dataPort?: number;
  /** Replies and prompts in order; the listing goes after the 150 line. */
  transcript: string[];
  listing: string;
  done: boolean;
}

/** One control connection on the server: where its data connection goes. */
export interface FtpServerSession {
  passivePort?: number;
  active?: { ip: string; port: number };
}

/** What the FTP code needs from the guest's TCP stack. */
export interface FtpTcp {
  ip(): string;
  random(): number;
  connect(dst: string, remotePort: number, goal: 'ftp' | 'ftp-data' | 'ftp-push', localPort?: number, data?: string): number;
  send(conn: TcpConn, text: string): void;
  close(conn: TcpConn): void;
  conns(): TcpConn[];
  listen(port: number): void;
  unlisten(port: number): void;
  /** A line of the server's /var/log/vsftpd.log. */
  log(text: string): void;
  /** The session is over (221) or cannot go on: hand the transcript to the lab. */
  report(ok: boolean, transcript: string): void;
}

const key = (c: TcpConn) => `${c.remoteIp}:${c.remotePort}`;
const commas = (ip: string, port: number) => `${ip.replace(/\./g, ',')},${port >> 8},${port & 255}`;

// ---- server -----------------------------------------------------------------------

export class FtpServer {
  constructor(
    private readonly sessions: Record<string, FtpServerSession>,
    private readonly tcp: FtpTcp,
  ) {}

  /** A client finished the handshake on TCP/21: vsftpd greets first. */
  accepted(conn: TcpConn): void {
    this.sessions[key(conn)] = {};
    this.tcp.send(conn, '220 (vsFTPd 3.0.3)\r\n');
  }

  /** One command line from the client. */
  command(conn: TcpConn, line: string): void {
    const s = (this.sessions[key(conn)] ??= {});
    const [verb = '', arg = ''] = line.trim().split(/ (.*)/);
    const reply = (text: string) => this.tcp.send(conn, `${text}\r\n`);
    switch (verb.toUpperCase()) {
      case 'USER':
        return reply('331 Please specify the password.');
      case 'PASS':
        return reply('230 Login successful.');
      case 'SYST':
        return reply('215 UNIX Type: L8');
      case 'PASV': {
        if (s.passivePort) this.tcp.unlisten(s.passivePort);
        const port = PASV_LO + Math.floor(this.tcp.random() * (PASV_HI - PASV_LO + 1));
        s.passivePort = port;
        s.active = undefined;
        this.tcp.listen(port);
        return reply(`227 Entering Passive Mode (${commas(this.tcp.ip(), port)}).`);
      }
      case 'PORT': {
        const n = arg.split(',').map(Number);
        if (n.length !== 6 || n.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return reply('500 Illegal PORT command.');
        s.active = { ip: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5] };
        s.passivePort = undefined;
        return reply('200 PORT command successful. Consider using PASV.');
      }
      case 'LIST':
      case 'NLST':
        return this.list(conn, s, reply);
      case 'QUIT':
        reply('221 Goodbye.');
        delete this.sessions[key(conn)];
        return this.tcp.close(conn);
      default:
        return reply('500 Unknown command.');
    }
  }

  private list(conn: TcpConn, s: FtpServerSession, reply: (t: string) => void): void {
    if (s.active) {
      reply('150 Here comes the directory listing.');
      // Active mode: the server opens the data connection from port 20 to the address the client announced.
      this.tcp.connect(s.active.ip, s.active.port, 'ftp-push', FTP_DATA_PORT, FTP_LISTING);
      return;
    }
    const data = s.passivePort !== undefined ? this.tcp.conns().find((c) => c.localPort === s.passivePort && c.remoteIp === conn.remoteIp && c.state === 'ESTABLISHED') : undefined;
    if (!data) return reply(s.passivePort === undefined ? '425 Use PORT or PASV first.' : '425 Failed to establish connection.');
    this.tcp.send(data, FTP_LISTING);
    this.tcp.close(data);
    this.tcp.unlisten(s.passivePort!);
    s.passivePort = undefined;
    reply('150 Here comes the directory listing.\r\n226 Directory send OK.');
    this.tcp.log(`[ftp] OK LIST: Client "${conn.remoteIp}", passive data connection`);
  }

  /** The active-mode data connection delivered the listing: report it on the control connection. */
  pushed(to: string): void {
    const ctl = this.tcp.conns().find((c) => c.localPort === FTP_PORT && c.remoteIp === to && c.state === 'ESTABLISHED');
    if (!ctl) return;
    this.tcp.send(ctl, '226 Directory send OK.\r\n');
    this.tcp.log(`[ftp] OK LIST: Client "${to}", active data connection`);
  }
}

// ---- client -----------------------------------------------------------------------

export class FtpClient {
  constructor(
    private readonly s: FtpClientState,
    private readonly tcp: FtpTcp,
  ) {}

  /** Replies on the control connection, line by line, each answered as netkit ftp does. */
  control(conn: TcpConn, text: string): void {
    for (const line of text.split(/\r?\n/).filter(Boolean)) {
      if (this.s.done) return;
      this.s.transcript.push(line);
      this.answer(conn, line);
    }
  }

  private answer(conn: TcpConn, line: string): void {
    const s = this.s;
    const say = (prompt: string | null, command: string) => {
      if (prompt !== null) s.transcript.push(prompt);
      this.tcp.send(conn, `${command}\r\n`);
    };
    switch (line.slice(0, 3)) {
      case '220':
        return say(`Name (${s.serverName}:root): anonymous`, 'USER anonymous');
      case '331':
        return say('Password:', 'PASS lab@');
      case '230':
        s.transcript.push('Remote system type is UNIX.', 'Using binary mode to transfer files.');
        s.transcript.push('ftp> ls');
        if (s.passive) return this.tcp.send(conn, 'PASV\r\n');
        return this.port(conn);
      case '227': {
        const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line);
        if (!m) return this.bye(conn);
        s.dataPort = Number(m[5]) * 256 + Number(m[6]);
        this.tcp.connect(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`, s.dataPort, 'ftp-data');
        return; // LIST goes once the data connection is open (dataOpen)
      }
      case '200':
        return this.tcp.send(conn, 'LIST\r\n');
      case '150':
        return;
      case '226':
      case '425':
      case '500':
        return this.bye(conn);
      case '221':
        s.done = true;
        return this.tcp.report(true, render(s));
      default:
        return;
    }
  }

  /** Active mode: listen on a port of our own and announce it with PORT. */
  private port(conn: TcpConn): void {
    const port = 50000 + Math.floor(this.tcp.random() * 10000);
    this.s.dataPort = port;
    this.tcp.listen(port);
    this.tcp.send(conn, `PORT ${commas(this.tcp.ip(), port)}\r\n`);
  }

  private bye(conn: TcpConn): void {
    if (!this.s.passive && this.s.dataPort) this.tcp.unlisten(this.s.dataPort);
    this.s.transcript.push('ftp> bye');
    this.tcp.send(conn, 'QUIT\r\n');
  }

  /** Passive mode: the data connection is open, so ask for the listing on the control connection. */
  dataOpen(): void {
    const ctl = this.tcp.conns().find((c) => c.localPort === this.s.ctlPort && c.remoteIp === this.s.server);
    if (ctl) this.tcp.send(ctl, 'LIST\r\n');
  }

  /** Bytes on the data connection (either mode). */
  data(text: string): void {
    this.s.listing += text;
  }
}

/** The console text of a session so far: the listing after the 150 line, as the data arrived. */
export function render(s: FtpClientState): string {
  const out = [`Connected to ${s.serverName}.`];
  for (const line of s.transcript) {
    out.push(line);
    if (line.startsWith('150') && s.listing) out.push(...s.listing.split(/\r?\n/).filter(Boolean));
  }
  return out.join('\n');
}
