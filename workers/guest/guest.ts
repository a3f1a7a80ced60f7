/**
 * The operating system inside a VM: one interface with IP and ARP, listening services,
 * and the client side of the lab's traffic (probes and long-lived sessions). It speaks
 * real frames through its vNIC and nothing else.
 */
import ipaddr from 'ipaddr.js';
import { BROADCAST_MAC, ZERO_MAC, cidrContains } from '../protocol/addresses';
import {
  ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_UNREACHABLE, PROTO_ICMP, PROTO_TCP, PROTO_UDP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN,
  buildArp, buildIcmp, buildTcp, buildUdp, parseFrame, parseTcpFlags, payloadText, textPayload, tcpFlagsText,
  type ParsedFrame,
} from '../protocol/frame';
import type { EventInput } from '../protocol/events';
import type { TraceRecord } from '../protocol/trace';
import type { ConnPurpose, GuestState, TcpConn } from './guest-state';
import { serveHttp } from './http-server';
import { FTP_PORT, FtpClient, FtpServer, render, type FtpTcp } from './ftp';
import { latin1Bytes, latin1String, PORTMAPPER_PORT, servePortmapper } from './rpc';
import { DialogClient, newDialog, type DialogApp, type DialogTcp } from './dialog';
import { SQLPLUS, TNSPING, serveTns } from './oracle';
import { RPCCLIENT, serveMsRpc } from './msrpc';

const DIALOG_APPS: Record<DialogRequest['tool'], DialogApp> = { tnsping: TNSPING, sqlplus: SQLPLUS, rpcclient: RPCCLIENT };

const ARP_LIFETIME_MS = 60_000;
const EPHEMERAL_LO = 32768;
const EPHEMERAL_HI = 60999;

export interface GuestIO {
  now(): number;
  random(): number;
  /** Out of the VM's vNIC, into its filters. */
  transmit(frame: Uint8Array, probe: number): void;
  /** Tells the lab how a probe or session step ended. */
  report(result: ProbeOutcome): void;
  /** VMware Tools tells vCenter the guest's addresses. */
  toolsReport(ips: string[], running: boolean): void;
  emit(e: EventInput): void;
  trace(probe: number, record: TraceRecord): void;
  /** Guest Introspection: tells NSX Manager who logged on or off here (absent where no GI runs, e.g. outside the DFW). */
  identity?(event: 'logon' | 'logoff', user: string): void;
}

import type { DialogRequest, FtpRequest, ProbeOutcome, SessionRequest, TrafficRequest } from '../protocol/messages/guest';

export type { DialogRequest, FtpRequest, SessionRequest, TrafficRequest } from '../protocol/messages/guest';

export class Guest {
  constructor(readonly state: GuestState) {}

  get name(): string {
    return this.state.name;
  }

  // ---- lab-driven traffic -------------------------------------------------

  startTraffic(req: TrafficRequest, io: GuestIO): void {
    const s = this.state;
    const port = req.port ?? 0;
    if (req.proto === 'tcp') {
      const localPort = this.ephemeralPort(io);
      if (req.flags !== undefined) {
        const flags = parseTcpFlags(req.flags);
        const seq = randomSeq(io);
        this.sendTcp(io, req.probe, req.dst, localPort, port, seq, flags & TCP_ACK ? randomSeq(io) : 0, flags);
        io.report({ probe: req.probe, ok: true, detail: `sent a lone segment [${tcpFlagsText(flags)}]` });
        return;
      }
      this.connect(io, req.dst, localPort, port, { probe: req.probe, goal: 'exchange', request: req.request });
    } else if (req.proto === 'udp') {
      const localPort = this.ephemeralPort(io);
      s.exchanges.push({ probe: req.probe, proto: 'udp', remoteIp: req.dst, localPort, remotePort: port, icmpId: 0 });
      this.sendIp(io, req.probe, req.dst, (src, dst) =>
        buildUdp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp: req.dst, srcPort: localPort, dstPort: port, payload: req.request !== undefined ? latin1Bytes(req.request) : textPayload('ping?') }),
      );
    } else {
      const icmpId = Math.floor(io.random() * 65536);
      s.exchanges.push({ probe: req.probe, proto: 'icmp', remoteIp: req.dst, localPort: 0, remotePort: 0, icmpId });
      this.sendIp(io, req.probe, req.dst, (src, dst) =>
        buildIcmp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp: req.dst, type: ICMP_ECHO_REQUEST, code: 0, id16: icmpId, seq16: 1 }),
      );
    }
  }

  session(req: SessionRequest, io: GuestIO): void {
    const s = this.state;
    if (req.do === 'open') {
      if (!req.dst || !req.port) throw new Error(`session ${req.name}: open needs 'to' and 'port'`);
      const localPort = this.ephemeralPort(io);
      s.sessions[req.name] = { localPort, remoteIp: req.dst, remotePort: req.port };
      this.connect(io, req.dst, localPort, req.port, { probe: req.probe, goal: 'open', session: req.name });
      return;
    }
    const ref = s.sessions[req.name];
    const conn = ref && this.findConn(ref.localPort, ref.remoteIp, ref.remotePort);
    if (!conn || conn.state !== 'ESTABLISHED') {
      io.report({ probe: req.probe, ok: false, detail: `session ${req.name} is not open`, session: req.name });
      return;
    }
    conn.purpose = { probe: req.probe, goal: req.do, session: req.name };
    if (req.do === 'send') this.sendData(io, conn, `request ${req.name}`);
    else this.sendFin(io, conn);
  }

  /** `ftp [-p] HOST`: logs in anonymously, lists the directory and says bye; reports the transcript when done. */
  startFtp(req: FtpRequest, io: GuestIO): void {
    const localPort = this.ephemeralPort(io);
    this.state.ftpClient = { probe: req.probe, server: req.dst, serverName: req.serverName, passive: req.passive, ctlPort: localPort, transcript: [], listing: '', done: false };
    this.connect(io, req.dst, localPort, FTP_PORT, { probe: req.probe, goal: 'ftp' });
  }

  /** The session did not finish (a connection the firewall dropped): what it printed so far, and the session is given up. */
  abortFtp(): string {
    const s = this.state;
    const c = s.ftpClient;
    if (!c) return '';
    s.ftpClient = undefined;
    if (!c.passive && c.dataPort) this.unlisten(c.dataPort);
    s.conns = s.conns.filter((x) => x.purpose?.probe !== c.probe || (x.purpose.goal !== 'ftp' && x.purpose.goal !== 'ftp-data'));
    return render(c);
  }

  /** `tnsping`, `sqlplus`, `rpcclient`: the control connection first; the client reports what it prints when done. */
  startDialog(req: DialogRequest, io: GuestIO): void {
    const localPort = this.ephemeralPort(io);
    this.state.dialog = newDialog(req, localPort, io.now());
    this.connect(io, req.dst, localPort, req.port, { probe: req.probe, goal: 'dialog' });
  }

  /** The dialog did not finish (a connection refused, or one the firewall dropped): what the tool prints, and it gives up. */
  abortDialog(refused: boolean, io: GuestIO): string {
    const s = this.state;
    const d = s.dialog;
    if (!d) return '';
    s.dialog = undefined;
    s.conns = s.conns.filter((x) => x.purpose?.probe !== d.probe || (x.purpose.goal !== 'dialog' && x.purpose.goal !== 'dialog-data'));
    return DIALOG_APPS[d.tool].render(d, refused ? 'refused' : 'timeout', io.now());
  }

  // ---- frames from the vNIC -----------------------------------------------

  receive(frame: Uint8Array, probe: number, io: GuestIO): void {
    const p = parseFrame(frame);
    if (p.kind === 'arp') return this.onArp(p, probe, io);
    if (p.kind !== 'ipv4' || p.dstIp !== this.state.ip || p.fragment) return;
    this.learn(p.srcIp, p.srcMac, io); // replies go straight back without an ARP round
    if (p.proto === PROTO_TCP) this.onTcp(p, probe, io);
    else if (p.proto === PROTO_UDP) this.onUdp(p, probe, io);
    else if (p.proto === PROTO_ICMP) this.onIcmp(p, probe, io);
  }

  // ---- console-level configuration ----------------------------------------

  /** `ip addr replace 172.16.10.99/24 dev eth0`: a new address, announced by gratuitous ARP. */
  setAddress(ip: string, prefix: number, io: GuestIO): void {
    // Checked before anything changes: a bad address stored here would break every later probe.
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 address and prefix: ${ip}/${prefix}`);
    const s = this.state;
    const old = s.ip;
    s.ip = ip;
    s.prefix = prefix;
    s.arp = {};
    io.emit({ kind: 'inventory', text: `${s.name}: eth0 address changed from ${old} to ${ip}/${prefix}` });
    io.transmit(buildArp({ srcMac: s.mac, dstMac: BROADCAST_MAC, op: 1, senderMac: s.mac, senderIp: ip, targetMac: ZERO_MAC, targetIp: ip }), 0);
    if (s.toolsRunning) io.toolsReport([ip], true);
  }

  setTools(running: boolean, io: GuestIO): void {
    this.state.toolsRunning = running;
    io.emit({ kind: 'inventory', text: `${this.state.name}: VMware Tools ${running ? 'started' : 'stopped'}` });
    io.toolsReport(running ? [this.state.ip] : [], running);
  }

  // ---- internals ------------------------------------------------------------

  private onArp(p: Extract<ParsedFrame, { kind: 'arp' }>, probe: number, io: GuestIO): void {
    const s = this.state;
    if (p.op === 2 || p.targetIp === s.ip) this.learn(p.senderIp, p.senderMac, io);
    if (p.op === 1 && p.targetIp === s.ip && p.senderIp !== s.ip) {
      io.transmit(buildArp({ srcMac: s.mac, dstMac: p.senderMac, op: 2, senderMac: s.mac, senderIp: s.ip, targetMac: p.senderMac, targetIp: p.senderIp }), probe);
    }
  }

  private learn(ip: string, mac: string, io: GuestIO): void {
    const s = this.state;
    const onLink = cidrContains(`${s.ip}/${s.prefix}`, ip);
    const hop = onLink ? ip : s.gateway;
    if (!onLink && ip !== s.gateway) return; // off-link senders are reached through the gateway's entry
    s.arp[hop] = { mac, expires: io.now() + ARP_LIFETIME_MS };
    const ready = s.parked.filter((f) => f.nextHop === hop);
    if (!ready.length) return;
    s.parked = s.parked.filter((f) => f.nextHop !== hop);
    for (const f of ready) {
      const frame = Uint8Array.from(f.frame);
      frame.set(macBytes(mac), 0);
      frame.set(macBytes(s.mac), 6);
      io.transmit(frame, f.probe);
    }
  }

  private sendIp(io: GuestIO, probe: number, dstIp: string, build: (srcMac: string, dstMac: string) => Uint8Array): void {
    const s = this.state;
    const hop = cidrContains(`${s.ip}/${s.prefix}`, dstIp) ? dstIp : s.gateway;
    const entry = s.arp[hop];
    if (entry && entry.expires > io.now()) {
      io.transmit(build(s.mac, entry.mac), probe);
      return;
    }
    // Frames parked by an earlier exchange were never answered (the lab settles between
    // operations): resolution failed, they are dropped, and this exchange asks again.
    s.parked = s.parked.filter((f) => f.nextHop !== hop || f.probe === probe);
    const alreadyAsking = s.parked.some((f) => f.nextHop === hop);
    s.parked.push({ nextHop: hop, probe, frame: Array.from(build(s.mac, ZERO_MAC)) });
    if (!alreadyAsking) {
      io.transmit(buildArp({ srcMac: s.mac, dstMac: BROADCAST_MAC, op: 1, senderMac: s.mac, senderIp: s.ip, targetMac: ZERO_MAC, targetIp: hop }), probe);
    }
  }

  private sendTcp(io: GuestIO, probe: number, dstIp: string, sport: number, dport: number, seq: number, ack: number, flags: number, data?: string | Uint8Array): void {
    const s = this.state;
    this.sendIp(io, probe, dstIp, (src, dst) =>
      buildTcp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp, srcPort: sport, dstPort: dport, seq, ack, flags, payload: typeof data === 'string' ? (data ? textPayload(data) : undefined) : data }),
    );
  }

  private connect(io: GuestIO, dst: string, localPort: number, remotePort: number, purpose: ConnPurpose): void {
    const conn: TcpConn = { localPort, remoteIp: dst, remotePort, state: 'SYN_SENT', sndNxt: randomSeq(io), rcvNxt: 0, role: 'client', purpose };
    this.state.conns.push(conn);
    this.sendTcp(io, purpose.probe, dst, localPort, remotePort, conn.sndNxt, 0, TCP_SYN);
    conn.sndNxt = (conn.sndNxt + 1) >>> 0;
  }

  private sendData(io: GuestIO, conn: TcpConn, text: string | Uint8Array, probe = conn.purpose?.probe ?? 0): void {
    this.sendTcp(io, probe, conn.remoteIp, conn.localPort, conn.remotePort, conn.sndNxt, conn.rcvNxt, TCP_PSH | TCP_ACK, text);
    conn.sndNxt = (conn.sndNxt + text.length) >>> 0;
  }

  private sendFin(io: GuestIO, conn: TcpConn, probe = conn.purpose?.probe ?? 0): void {
    this.sendTcp(io, probe, conn.remoteIp, conn.localPort, conn.remotePort, conn.sndNxt, conn.rcvNxt, TCP_FIN | TCP_ACK);
    conn.sndNxt = (conn.sndNxt + 1) >>> 0;
    conn.state = conn.state === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT_1';
  }

  private sendAck(io: GuestIO, conn: TcpConn, probe: number): void {
    this.sendTcp(io, probe, conn.remoteIp, conn.localPort, conn.remotePort, conn.sndNxt, conn.rcvNxt, TCP_ACK);
  }

  private onTcp(p: Extract<ParsedFrame, { kind: 'ipv4' }>, probe: number, io: GuestIO): void {
    const s = this.state;
    const conn = this.findConn(p.dstPort, p.srcIp, p.srcPort);
    if (!conn) {
      if (p.flags & TCP_RST) return;
      if ((p.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && s.listens.includes(`tcp/${p.dstPort}`)) {
        const c: TcpConn = { localPort: p.dstPort, remoteIp: p.srcIp, remotePort: p.srcPort, state: 'SYN_RCVD', sndNxt: randomSeq(io), rcvNxt: (p.seq + 1) >>> 0, role: 'server' };
        s.conns.push(c);
        this.sendTcp(io, probe, c.remoteIp, c.localPort, c.remotePort, c.sndNxt, c.rcvNxt, TCP_SYN | TCP_ACK);
        c.sndNxt = (c.sndNxt + 1) >>> 0;
        return;
      }
      // Closed port or a segment of no connection: RST, as a TCP stack answers.
      const ack = p.flags & TCP_ACK;
      this.sendTcp(io, probe, p.srcIp, p.dstPort, p.srcPort, ack ? p.ack : 0, ack ? 0 : (p.seq + p.payload.length + (p.flags & TCP_SYN ? 1 : 0)) >>> 0, ack ? TCP_RST : TCP_RST | TCP_ACK);
      return;
    }
    if (p.flags & TCP_RST) {
      this.drop(conn);
      if (conn.purpose) this.finish(io, conn, false, `connection refused: ${p.srcIp}:${p.srcPort} answered with RST`, true, { refused: true });
      return;
    }
    const dataLen = p.payload.length;
    switch (conn.state) {
      case 'SYN_SENT':
        if ((p.flags & (TCP_SYN | TCP_ACK)) !== (TCP_SYN | TCP_ACK)) return;
        conn.rcvNxt = (p.seq + 1) >>> 0;
        conn.state = 'ESTABLISHED';
        this.sendAck(io, conn, probe);
        if (conn.purpose?.goal === 'exchange') this.sendData(io, conn, conn.purpose.request ?? `GET / from ${s.name}`);
        else if (conn.purpose?.goal === 'ftp') return; // the server speaks first
        else if (conn.purpose?.goal === 'ftp-data') this.ftpClient(io, probe)?.dataOpen();
        else if (conn.purpose?.goal === 'dialog') this.dialogClient(io, probe)?.controlOpen(conn);
        else if (conn.purpose?.goal === 'dialog-data') this.dialogClient(io, probe)?.dataOpen(conn);
        else if (conn.purpose?.goal === 'ftp-push') {
          this.sendData(io, conn, conn.purpose.request ?? '', probe);
          this.sendFin(io, conn, probe);
        } else if (conn.purpose) this.finish(io, conn, true, `session open to ${conn.remoteIp}:${conn.remotePort}`);
        return;
      case 'SYN_RCVD':
        if (p.flags & TCP_ACK) {
          conn.state = 'ESTABLISHED';
          if (conn.localPort === FTP_PORT && s.listens.includes(`tcp/${FTP_PORT}`)) this.ftpServer(io, probe).accepted(conn);
        }
        if (dataLen) this.serve(io, conn, p, probe);
        return;
      case 'ESTABLISHED':
        if (dataLen) {
          if (conn.role === 'server') this.serve(io, conn, p, probe);
          else this.onReply(io, conn, p, probe);
        }
        if (p.flags & TCP_FIN) {
          conn.rcvNxt = (conn.rcvNxt + 1) >>> 0;
          conn.state = 'CLOSE_WAIT';
          this.sendFin(io, conn, probe); // ACK and FIN together, as a server that is done answers
        }
        return;
      case 'FIN_WAIT_1':
      case 'FIN_WAIT_2':
        if (p.flags & TCP_FIN) {
          conn.rcvNxt = (conn.rcvNxt + dataLen + 1) >>> 0;
          this.sendAck(io, conn, probe);
          this.drop(conn);
          const goal = conn.purpose?.goal;
          if (goal === 'ftp-push') this.ftpServer(io, probe).pushed(conn.remoteIp);
          else if (goal === 'ftp' || goal === 'ftp-data') conn.purpose = undefined; // the client reports on 221
          else if (goal === 'dialog' || goal === 'dialog-data') conn.purpose = undefined; // the client reported when done
          else if (conn.purpose) this.finish(io, conn, true, goal === 'exchange' ? 'handshake, request, reply and close completed' : 'session closed', true, { reply: conn.purpose.reply, ttl: p.ttl });
        } else if (p.flags & TCP_ACK) conn.state = 'FIN_WAIT_2';
        return;
      case 'LAST_ACK':
        if (p.flags & TCP_ACK) this.drop(conn);
        return;
      default:
        return;
    }
  }

  private serve(io: GuestIO, conn: TcpConn, p: Extract<ParsedFrame, { kind: 'ipv4' }>, probe: number): void {
    conn.rcvNxt = (p.seq + p.payload.length) >>> 0;
    const ftpClient = this.state.ftpClient;
    if (ftpClient && !ftpClient.passive && conn.localPort === ftpClient.dataPort) {
      // Active mode: the server's data connection to the port we announced.
      this.ftpClient(io, probe)?.data(payloadText(p.payload));
      this.sendAck(io, conn, probe);
      return;
    }
    if (conn.localPort === FTP_PORT && this.state.listens.includes(`tcp/${FTP_PORT}`)) {
      for (const line of payloadText(p.payload).split(/\r?\n/).filter(Boolean)) this.ftpServer(io, probe).command(conn, line);
      return;
    }
    const servers = this.serverIO(io, probe);
    if (serveTns(this.state, conn, p.payload, servers) || serveMsRpc(this.state, conn, p.payload, servers)) return;
    const http = serveHttp(payloadText(p.payload), this.state.name, conn.localPort);
    this.sendData(io, conn, http ?? `200 OK from ${this.state.name}:${conn.localPort}`, probe);
  }

  private onReply(io: GuestIO, conn: TcpConn, p: Extract<ParsedFrame, { kind: 'ipv4' }>, probe: number): void {
    conn.rcvNxt = (p.seq + p.payload.length) >>> 0;
    const goal = conn.purpose?.goal;
    if (goal === 'ftp' || goal === 'ftp-data' || goal === 'ftp-push') {
      this.sendAck(io, conn, probe);
      const client = this.ftpClient(io, probe);
      if (goal === 'ftp') client?.control(conn, payloadText(p.payload));
      else if (goal === 'ftp-data') client?.data(payloadText(p.payload));
      return;
    }
    if (goal === 'dialog' || goal === 'dialog-data') {
      this.sendAck(io, conn, probe);
      const client = this.dialogClient(io, probe);
      if (goal === 'dialog') client?.control(conn, p.payload);
      else client?.data(conn, p.payload);
      return;
    }
    if (conn.purpose?.goal === 'exchange') {
      conn.purpose.reply = (conn.purpose.reply ?? '') + payloadText(p.payload);
      this.sendFin(io, conn, probe);
    }
    else {
      this.sendAck(io, conn, probe);
      if (conn.purpose) this.finish(io, conn, true, 'request answered on the open session');
    }
  }

  private finish(io: GuestIO, conn: TcpConn, ok: boolean, detail: string, reached = ok, answer: Pick<ProbeOutcome, 'refused' | 'reply' | 'ttl'> = {}): void {
    const purpose = conn.purpose!;
    conn.purpose = undefined;
    io.report({ probe: purpose.probe, ok, reached, detail, session: purpose.session, ...answer });
  }

  private onUdp(p: Extract<ParsedFrame, { kind: 'ipv4' }>, probe: number, io: GuestIO): void {
    const s = this.state;
    const ex = s.exchanges.find((e) => e.proto === 'udp' && e.localPort === p.dstPort && e.remoteIp === p.srcIp);
    if (ex) {
      s.exchanges = s.exchanges.filter((e) => e !== ex);
      io.report({ probe: ex.probe, ok: true, detail: 'UDP reply received', reply: latin1String(p.payload), ttl: p.ttl });
      return;
    }
    if (s.listens.includes(`udp/${p.dstPort}`)) {
      const rpc = p.dstPort === PORTMAPPER_PORT ? servePortmapper(p.payload, s.listens) : null;
      this.sendIp(io, probe, p.srcIp, (src, dst) =>
        buildUdp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp: p.srcIp, srcPort: p.dstPort, dstPort: p.srcPort, payload: rpc ?? textPayload('pong') }),
      );
      return;
    }
    // Port unreachable, quoting the offending header as ICMP errors do.
    this.sendIp(io, probe, p.srcIp, (src, dst) =>
      buildIcmp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp: p.srcIp, type: ICMP_UNREACHABLE, code: 3, payload: quoteUdp(p) }),
    );
  }

  private onIcmp(p: Extract<ParsedFrame, { kind: 'ipv4' }>, probe: number, io: GuestIO): void {
    const s = this.state;
    if (p.icmpType === ICMP_ECHO_REQUEST) {
      this.sendIp(io, probe, p.srcIp, (src, dst) =>
        buildIcmp({ srcMac: src, dstMac: dst, srcIp: s.ip, dstIp: p.srcIp, type: ICMP_ECHO_REPLY, code: 0, id16: p.icmpId, seq16: p.icmpSeq }),
      );
      return;
    }
    if (p.icmpType === ICMP_ECHO_REPLY) {
      const ex = s.exchanges.find((e) => e.proto === 'icmp' && e.icmpId === p.icmpId && e.remoteIp === p.srcIp);
      if (!ex) return;
      s.exchanges = s.exchanges.filter((e) => e !== ex);
      io.report({ probe: ex.probe, ok: true, detail: 'echo reply received', ttl: p.ttl });
      return;
    }
    if (p.icmpType === ICMP_UNREACHABLE) {
      const quotedPort = p.payload.length >= 28 ? (p.payload[20] << 8) | p.payload[21] : -1;
      const ex = s.exchanges.find((e) => e.proto === 'udp' && e.localPort === quotedPort);
      if (ex) {
        s.exchanges = s.exchanges.filter((e) => e !== ex);
        io.report({ probe: ex.probe, ok: true, detail: `ICMP unreachable (code ${p.icmpCode}) came back: the datagram reached ${p.srcIp}`, refused: true, ttl: p.ttl });
      }
    }
  }

  /** The guest's TCP stack as the FTP client and server use it; segments carry `probe`. */
  private ftpTcp(io: GuestIO, probe: number): FtpTcp {
    return {
      ip: () => this.state.ip,
      random: () => io.random(),
      connect: (dst, remotePort, goal, localPort, data) => {
        const port = localPort ?? this.ephemeralPort(io);
        this.connect(io, dst, port, remotePort, { probe, goal, request: data });
        return port;
      },
      send: (conn, text) => this.sendData(io, conn, text, probe),
      close: (conn) => this.sendFin(io, conn, probe),
      conns: () => this.state.conns,
      listen: (port) => this.listen(port),
      unlisten: (port) => this.unlisten(port),
      log: (text) => io.emit({ kind: 'log', file: '/var/log/vsftpd.log', text: `${this.state.name} vsftpd: ${text}` }),
      report: (ok, transcript) => {
        const c = this.state.ftpClient;
        this.state.ftpClient = undefined;
        io.report({ probe: c?.probe ?? probe, ok, reached: true, detail: ok ? 'FTP session completed' : 'FTP session failed', reply: transcript });
      },
    };
  }

  private ftpClient(io: GuestIO, probe: number): FtpClient | undefined {
    const c = this.state.ftpClient;
    return c && new FtpClient(c, this.ftpTcp(io, probe));
  }

  private ftpServer(io: GuestIO, probe: number): FtpServer {
    return new FtpServer((this.state.ftpd ??= {}), this.ftpTcp(io, probe));
  }

  private dialogClient(io: GuestIO, probe: number): DialogClient | undefined {
    const d = this.state.dialog;
    if (!d) return undefined;
    const tcp: DialogTcp = {
      now: () => io.now(),
      connect: (dst, port, goal) => {
        const local = this.ephemeralPort(io);
        this.connect(io, dst, local, port, { probe, goal });
        return local;
      },
      send: (conn, bytes) => this.sendData(io, conn, bytes, probe),
      close: (conn) => this.sendFin(io, conn, probe),
      conns: () => this.state.conns,
      report: (text) => {
        this.state.dialog = undefined;
        io.report({ probe: d.probe, ok: true, reached: true, detail: `${d.tool} finished`, reply: text });
      },
    };
    return new DialogClient(d, DIALOG_APPS[d.tool], tcp);
  }

  /** The Oracle listener's and Samba's side: segments carry `probe`. */
  private serverIO(io: GuestIO, probe: number) {
    return {
      ip: () => this.state.ip,
      name: () => this.state.name,
      random: () => io.random(),
      send: (conn: TcpConn, bytes: Uint8Array) => this.sendData(io, conn, bytes, probe),
      listen: (port: number) => this.listen(port),
      unlisten: (port: number) => this.unlisten(port),
      log: (file: string, text: string) => io.emit({ kind: 'log', file, text }),
    };
  }

  private listen(port: number): void {
    if (!this.state.listens.includes(`tcp/${port}`)) this.state.listens.push(`tcp/${port}`);
  }

  private unlisten(port: number): void {
    this.state.listens = this.state.listens.filter((l) => l !== `tcp/${port}`);
  }

  private findConn(localPort: number, remoteIp: string, remotePort: number): TcpConn | undefined {
    return this.state.conns.find((c) => c.localPort === localPort && c.remoteIp === remoteIp && c.remotePort === remotePort);
  }

  private drop(conn: TcpConn): void {
    conn.state = 'CLOSED';
    this.state.conns = this.state.conns.filter((c) => c !== conn);
  }

  private ephemeralPort(io: GuestIO): number {
    const s = this.state;
    if (s.nextPort < EPHEMERAL_LO || s.nextPort > EPHEMERAL_HI) s.nextPort = EPHEMERAL_LO + Math.floor(io.random() * 20000);
    return s.nextPort++;
  }
}

function randomSeq(io: GuestIO): number {
  return Math.floor(io.random() * 4294967296) >>> 0;
}

function macBytes(mac: string): number[] {
  return mac.split(':').map((h) => parseInt(h, 16));
}

/** The first 28 bytes of the offending IP datagram (header + 8 bytes), as an ICMP error carries. */
function quoteUdp(p: Extract<ParsedFrame, { kind: 'ipv4' }>): Uint8Array {
  const q = new Uint8Array(28);
  q[0] = 0x45;
  q[9] = PROTO_UDP;
  const src = p.srcIp.split('.').map(Number);
  const dst = p.dstIp.split('.').map(Number);
  q.set(src, 12);
  q.set(dst, 16);
  q[20] = p.srcPort >>> 8;
  q[21] = p.srcPort & 255;
  q[22] = p.dstPort >>> 8;
  q[23] = p.dstPort & 255;
  return q;
}
