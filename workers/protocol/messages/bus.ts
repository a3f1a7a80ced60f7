/**
 * The message bus's lab messages: what the broker accepts (AMQP methods from its clients, the
 * lab's link faults and reads) and what a bus client (vsfwd, NSX Manager's bus link) is sent.
 */
import { AMQP, type Delivery, type OpenOk, type OpenRequest, type PayloadType, type Publish } from '../amqp';
import type { Address } from './envelope';

/** What became of a message the broker routed, as its sniffer records it. */
export type CaptureOutcome = 'delivered' | 'queued' | 'redelivered' | 'expired' | 'dropped' | 'corrupted';

export interface CaptureEntry {
  seq: number;
  t: number;
  from: string;
  /** The consumer it went to, or '' if none. */
  to: string;
  exchange: string;
  routingKey: string;
  queue: string;
  type: PayloadType;
  size: number;
  outcome: CaptureOutcome;
  bytes: Uint8Array;
  truncated: boolean;
}

/** A captured entry as a request's reply carries it (its bytes as a buffer). */
type CaptureReplyEntry = Omit<CaptureEntry, 'bytes'> & { bytes: ArrayBuffer };

export interface BusDescription {
  ip: string;
  port: number;
  connections: { client: string; role: string; ip: string; localPort: number; unacked: number }[];
  queues: { name: string; depth: number; consumer: string | null }[];
  cut: string[];
}

type HostFault = { body: { host: string }; reply: { ok: true } };

export type BusMessages = {
  [AMQP.open]: { body: OpenRequest; reply: void };
  [AMQP.close]: { body: object; reply: void };
  [AMQP.publish]: { body: Publish; reply: void };
  [AMQP.ack]: { body: { deliveryTag: number }; reply: void };
  /** The lab cuts, heals or corrupts a host's link (a fault a lesson injects). */
  cut: HostFault;
  heal: HostFault;
  corrupt: HostFault;
  capture: { body: { sinceSeq?: number }; reply: { entries: CaptureReplyEntry[] } };
  describe: { body: object; reply: BusDescription };
};

/** What the broker sends a client: the connection's outcome and deliveries from its queue. */
export type BusClientMessages = {
  [AMQP.openOk]: { body: OpenOk; reply: void };
  [AMQP.refused]: { body: { reason: string }; reply: void };
  [AMQP.closed]: { body: { reason: string }; reply: void };
  [AMQP.deliver]: { body: Delivery; reply: void };
};

export const BUS: Address<BusMessages> = 'bus';
