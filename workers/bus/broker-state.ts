/** The broker's JSON state: connections, durable per-host queues, cut links and the capture. */
import type { Publish } from '../protocol/amqp';
import type { StoredCaptureEntry } from './capture';

/** A message waiting in a queue; payload in base64 only inside snapshots. */
export interface QueuedMessage extends Omit<Publish, 'payload'> {
  from: string;
  enqueuedAt: number;
  redelivered: boolean;
  payload: string;
}

export interface ConnectionState {
  client: string;
  role: 'host' | 'manager';
  /** Client address and its ephemeral port; the broker listens on AMQP_PORT. */
  ip: string;
  localPort: number;
  openedAt: number;
}

export interface BrokerState {
  /** The broker's address: NSX Manager's. */
  ip: string;
  connections: Record<string, ConnectionState>;
  /** Durable queues, declared when the host was prepared: queue name → waiting messages. */
  queues: Record<string, QueuedMessage[]>;
  /** Hosts whose path to the broker is cut. */
  cut: string[];
  /** Hosts whose next RuleSet arrives damaged (fault injection for the failed-publish path). */
  corrupt: string[];
  nextTag: number;
  nextPort: number;
  nextSeq: number;
  capture: StoredCaptureEntry[];
}
