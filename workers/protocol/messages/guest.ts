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
