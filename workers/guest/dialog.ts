/**
 * Clients whose server hands them over to a second connection: the Oracle listener's REDIRECT
 * (`tnsping`, `sqlplus`) and the MS-RPC endpoint mapper's answer (`rpcclient`). The client keeps
 * the control connection open until the announced connection is up, as the real clients do
 * (the kernel's ALG admits the announced connection only while its control connection lives),
 * then closes it. Each tool is a DialogApp: what it says on each connection and what it prints.
 */
import type { DialogRequest, DialogTool } from '../protocol/messages/guest';
import type { TcpConn } from './guest-state';

export type { DialogTool } from '../protocol/messages/guest';

/** The client's conversation, kept in the guest state until it reports. */
export interface DialogClientState {
  probe: number;
  tool: DialogTool;
  server: string;
  serverName: string;
  /** The control connection's remote and local ports. */
  port: number;
  ctlPort: number;
  /** Lab time the tool started (tnsping prints how long the listener took). */
  started: number;
  args: Record<string, string>;
  stage: 'control' | 'data' | 'done';
  /** The connection the server announced. */
  data?: { ip: string; port: number };
  /** What the tool prints from the answers so far. */
  out: string[];
  /** A protocol error the server answered with (ORA-12514, EPT_S_NOT_REGISTERED …). */
  error?: string;
}

type DialogStep = { send: Uint8Array } | { open: { ip: string; port: number } } | { finish: true } | { wait: true };

/** How it ended, for what the tool prints. */
type DialogEnd = 'done' | 'refused' | 'timeout';

export interface DialogApp {
  /** The first PDU on the control connection. */
  hello(s: DialogClientState): Uint8Array;
  control(s: DialogClientState, bytes: Uint8Array): DialogStep;
  /** The first PDU on the announced connection. */
  dataHello(s: DialogClientState): Uint8Array;
  data(s: DialogClientState, bytes: Uint8Array): DialogStep;
  render(s: DialogClientState, end: DialogEnd, now: number): string;
}

/** What the driver needs from the guest's TCP stack. */
export interface DialogTcp {
  now(): number;
  connect(dst: string, port: number, goal: 'dialog' | 'dialog-data'): number;
  send(conn: TcpConn, bytes: Uint8Array): void;
  close(conn: TcpConn): void;
  conns(): TcpConn[];
  /** The tool is done: its output goes to the console. */
  report(text: string): void;
}

export function newDialog(req: DialogRequest, ctlPort: number, now: number): DialogClientState {
  return { probe: req.probe, tool: req.tool, server: req.dst, serverName: req.serverName, port: req.port, ctlPort, started: now, args: { ...req.args }, stage: 'control', out: [] };
}

export class DialogClient {
  constructor(
    private readonly s: DialogClientState,
    private readonly app: DialogApp,
    private readonly tcp: DialogTcp,
  ) {}

  controlOpen(conn: TcpConn): void {
    this.tcp.send(conn, this.app.hello(this.s));
  }

  control(conn: TcpConn, bytes: Uint8Array): void {
    if (this.s.stage === 'control') this.step(conn, this.app.control(this.s, bytes));
  }

  /** The announced connection is up: the control connection has done its work and closes. */
  dataOpen(conn: TcpConn): void {
    this.s.stage = 'data';
    this.tcp.send(conn, this.app.dataHello(this.s));
    const ctl = this.controlConn();
    if (ctl) this.tcp.close(ctl);
  }

  data(conn: TcpConn, bytes: Uint8Array): void {
    if (this.s.stage === 'data') this.step(conn, this.app.data(this.s, bytes));
  }

  private step(conn: TcpConn, step: DialogStep): void {
    if ('send' in step) this.tcp.send(conn, step.send);
    else if ('open' in step) {
      this.s.data = step.open;
      this.tcp.connect(step.open.ip, step.open.port, 'dialog-data');
    } else if ('finish' in step) {
      this.s.stage = 'done';
      this.tcp.close(conn);
      const ctl = this.controlConn();
      if (ctl && ctl !== conn) this.tcp.close(ctl);
      this.tcp.report(this.app.render(this.s, 'done', this.tcp.now()));
    }
  }

  private controlConn(): TcpConn | undefined {
    return this.tcp.conns().find((c) => c.localPort === this.s.ctlPort && c.remoteIp === this.s.server && c.state === 'ESTABLISHED');
  }
}
