/**
 * The message bus as its clients see it: an AMQP 0-9-1 style broker (RabbitMQ in NSX-V) on
 * NSX Manager, reached by every host's vsfwd over TCP/5671. Lab message kinds mirror AMQP
 * methods (connection.open, basic.publish, basic.deliver, basic.ack); payloads are protobuf
 * bytes whose message type travels in the AMQP `type` property.
 */
import type { RuleListsBlob } from './shared-rule-lists';

export const AMQP_PORT = 5671;
export const BUS_ID = 'bus';

/** Direct exchange NSX Manager publishes to; the routing key is the host's moid. */
export const HOSTS_EXCHANGE = 'vsfw.host';
/** Direct exchange the hosts publish to; the one routing key is the manager's queue. */
export const MANAGER_EXCHANGE = 'vsfw.vsm';
export const MANAGER_QUEUE = 'vsm.inbox';

/** NSX Manager heartbeats every host this often over the bus. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Heartbeats a host may leave unanswered before the manager reports it down. */
export const HEARTBEATS_MISSED_LIMIT = 3;

export const hostQueue = (hostId: string): string => `vsfw.${hostId}`;

export type PayloadType =
  | 'RuleSet'
  | 'AddressSetUpdate'
  | 'ThresholdConfig'
  | 'FlowConfiguration'
  | 'Heartbeat'
  | 'HeartbeatResponse'
  | 'SyncRequest'
  | 'PublishReply'
  | 'ThresholdReport'
  | 'FlowReport'
  | 'BindingReport';

/** basic.publish from a client. */
export interface Publish {
  exchange: string;
  routingKey: string;
  type: PayloadType;
  payload: ArrayBuffer;
  /** A RuleSet's rule lists, when they travel apart from `payload` as a blob shared by many hosts' messages (the message is payload ‖ lists). */
  lists?: RuleListsBlob;
  /** Per-message TTL: a heartbeat nobody reads in time is dropped, not delivered late. */
  expirationMs?: number;
  /** Application headers (the generation a RuleSet carries, so a reply is possible even if it cannot be decoded). */
  headers?: Record<string, string | number>;
}

/** basic.deliver to a consumer. */
export interface Delivery extends Publish {
  deliveryTag: number;
  redelivered: boolean;
  queue: string;
}

export interface OpenRequest {
  /** The client's component id (`host-20`, `manager`). */
  client: string;
  role: 'host' | 'manager';
  /** The client's address, for the connection table. */
  ip: string;
}

export interface OpenOk {
  localPort: number;
  brokerIp: string;
  queue: string;
}

/** Lab message kinds of the bus protocol. */
export const AMQP = {
  open: 'connection.open',
  openOk: 'connection.open-ok',
  refused: 'connection.refused',
  close: 'connection.close',
  closed: 'connection.closed',
  publish: 'basic.publish',
  deliver: 'basic.deliver',
  ack: 'basic.ack',
} as const;
