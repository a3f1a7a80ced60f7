/** The plain-data state of a guest OS, as snapshots and vMotion carry it. */
import type { DialogClientState } from './dialog';
import type { FtpClientState, FtpServerSession } from './ftp';
import type { TnsServerState } from './oracle';

export type TcpState = 'SYN_SENT' | 'SYN_RCVD' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSE_WAIT' | 'LAST_ACK' | 'CLOSED';

/** What the lab asked this connection to do, so the guest knows when to report back. */
export interface ConnPurpose {
  probe: number;
  /** `exchange`: handshake, request, reply, close. `open`: handshake only (a session). `send`: one request/reply. `close`: FIN exchange. */
  goal: 'exchange' | 'open' | 'send' | 'close' | FtpGoal | DialogGoal;
  session?: string;
  /** For an exchange: the request to send (a console tool's, e.g. curl's HTTP request) instead of the probe's. */
  request?: string;
  /** For an exchange: what the server answered, reported back to the tool that asked. */
  reply?: string;
}

/** `ftp`: a client's control connection. `ftp-data`: its passive data connection. `ftp-push`: a server's active-mode data connection (request = what it sends). */
type FtpGoal = 'ftp' | 'ftp-data' | 'ftp-push';

/** `dialog`: a tnsping/sqlplus/rpcclient control connection. `dialog-data`: the connection its server announced. */
type DialogGoal = 'dialog' | 'dialog-data';

export interface TcpConn {
  localPort: number;
  remoteIp: string;
  remotePort: number;
  state: TcpState;
  sndNxt: number;
  rcvNxt: number;
  role: 'client' | 'server';
  purpose?: ConnPurpose;
}

interface PendingExchange {
  probe: number;
  proto: 'udp' | 'icmp';
  remoteIp: string;
  localPort: number;
  remotePort: number;
  icmpId: number;
}

interface ParkedFrame {
  nextHop: string;
  probe: number;
  /** The datagram to send once the next hop's MAC is known, minus its Ethernet addresses. */
  frame: number[];
}

export interface GuestState {
  vm: string;
  name: string;
  mac: string;
  ip: string;
  prefix: number;
  gateway: string;
  listens: string[];
  toolsRunning: boolean;
  arp: Record<string, { mac: string; expires: number }>;
  conns: TcpConn[];
  exchanges: PendingExchange[];
  parked: ParkedFrame[];
  sessions: Record<string, { localPort: number; remoteIp: string; remotePort: number }>;
  nextPort: number;
  /** The `ftp` session the console is running (absent when none). */
  ftpClient?: FtpClientState;
  /** The user logged on at the console (identity firewall), if any. */
  user?: string;
  /** vsftpd's control connections, by client address:port. */
  ftpd?: Record<string, FtpServerSession>;
  /** The `tnsping` / `sqlplus` / `rpcclient` the console is running (absent when none). */
  dialog?: DialogClientState;
  /** The Oracle listener's redirected sessions. */
  tnsd?: TnsServerState;
}
