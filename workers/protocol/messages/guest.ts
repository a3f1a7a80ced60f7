/** What a guest is asked to do by the lab (through its host, or the fabric for the admin workstation). */

export interface TrafficRequest {
  probe: number;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp';
  port?: number;
  /** A lone TCP segment with these flags instead of a full exchange. */
  flags?: string;
  /** For a TCP exchange: the request to send (e.g. curl's HTTP request); a probe sends a one-line greeting. For UDP: the datagram's bytes as latin1. */
  request?: string;
}

export interface FtpRequest {
  probe: number;
  dst: string;
  /** The name the learner typed, for the transcript. */
  serverName: string;
  passive: boolean;
}

export interface SessionRequest {
  probe: number;
  name: string;
  do: 'open' | 'send' | 'close';
  dst?: string;
  proto?: 'tcp';
  port?: number;
}

/** The console clients whose server hands them to a second connection (`tnsping`, `sqlplus`, `rpcclient`). */
export type DialogTool = 'tnsping' | 'sqlplus' | 'rpcclient';

export interface DialogRequest {
  probe: number;
  tool: DialogTool;
  dst: string;
  /** The name the learner typed, for the output. */
  serverName: string;
  /** The control connection's port: the TNS listener's or the endpoint mapper's. */
  port: number;
  /** The tool's own arguments (service name, user, rpcclient command). */
  args: Record<string, string>;
}

/** What a guest reports of a probe's exchange when it ends. */
export interface ProbeOutcome {
  probe: number;
  ok: boolean;
  /** The peer answered (even with a refusal): the network delivered the exchange. */
  reached?: boolean;
  detail: string;
  session?: string;
  /** The peer or the path answered with a refusal: a TCP RST, or ICMP port unreachable for UDP. */
  refused?: boolean;
  /** The payload the peer answered with (TCP exchange, UDP). */
  reply?: string;
  /** The IP TTL of the answer as it arrived (64 from a Linux peer, one less per router). */
  ttl?: number;
}
