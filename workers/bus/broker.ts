/**
 * The RabbitMQ-style broker on NSX Manager as a lab component. Clients open a connection
 * (TCP/5671), publish to a direct exchange and consume their own durable queue; every
 * delivery waits for a basic.ack and goes back to the queue if the connection drops first.
 * A host's link can be cut (the broker then refuses and drops its connection) and healed.
 */
import type { Component, ComponentContext, Envelope } from '../lab/component';
import { AMQP, AMQP_PORT, HOSTS_EXCHANGE, MANAGER_EXCHANGE, MANAGER_QUEUE, hostQueue, type Delivery, type OpenOk, type OpenRequest, type Publish } from '../protocol/amqp';
import type { BrokerState, ConnectionState, QueuedMessage } from './broker-state';
import { fromBase64, toBase64, toBuffer } from '../protocol/bytes';
import { Capture, type CaptureOutcome } from './capture';
import { joinRuleSet, ruleSetLength } from '../protocol/shared-rule-lists';
import { replier, unknownMessage, type Address, type MessageOf } from '../protocol/messages/envelope';
import type { BusClientMessages, BusDescription, BusMessages } from '../protocol/messages/bus';

/** A connected client (a host's vsfwd, NSX Manager's bus link), by its component id. */
const client = (id: string): Address<BusClientMessages> => id;

/** Messages a queue holds while its consumer is away; the oldest go first. */
const QUEUE_LIMIT = 64;

interface Waiting extends Omit<QueuedMessage, 'payload'> {
  payload: ArrayBuffer;
}

interface Unacked {
  queue: string;
  msg: Waiting;
}

export class Broker implements Component {
  private readonly capture: Capture;
  private readonly queues = new Map<string, Waiting[]>();
  /** Deliveries not yet acknowledged, by consumer then delivery tag. */
  private readonly unacked = new Map<string, Map<number, Unacked>>();

  constructor(
    readonly id: string,
    private readonly state: BrokerState,
  ) {
    this.capture = new Capture(state.capture);
    for (const [name, list] of Object.entries(state.queues)) this.queues.set(name, list.map((m) => ({ ...m, payload: toBuffer(fromBase64(m.payload)) })));
    for (const client of Object.keys(state.connections)) this.unacked.set(client, new Map());
  }

  snapshot(): BrokerState {
    // Unacknowledged deliveries are saved back in their queues, as the broker would requeue them.
    const queues: Record<string, QueuedMessage[]> = {};
    // A RuleSet whose lists travel as a shared blob is saved whole, as it would be on the wire.
    const stored = ({ lists, ...m }: Waiting): QueuedMessage => ({ ...m, payload: toBase64(joinRuleSet(m.payload, lists)) });
    for (const [name, list] of this.queues) queues[name] = list.map(stored);
    for (const pending of this.unacked.values()) for (const u of pending.values()) queues[u.queue]!.unshift({ ...stored(u.msg), redelivered: true });
    return { ...structuredClone({ ...this.state, queues: {}, capture: [] }), queues, capture: this.capture.snapshot() };
  }

  handle(envelope: Envelope, ctx: ComponentContext): void {
    const msg = envelope as MessageOf<BusMessages>;
    const reply = replier<BusMessages>(ctx);
    switch (msg.kind) {
      case AMQP.open:
        return this.open(msg.body, ctx);
      case AMQP.close:
        return this.close(msg.from, ctx);
      case AMQP.publish:
        return this.publish(msg.from, msg.body, ctx);
      case AMQP.ack:
        this.unacked.get(msg.from)?.delete(msg.body.deliveryTag);
        return;
      case 'cut':
        this.cut(msg.body.host, ctx);
        return reply(msg, { ok: true });
      case 'heal':
        this.heal(msg.body.host, ctx);
        return reply(msg, { ok: true });
      case 'corrupt':
        if (!this.state.corrupt.includes(msg.body.host)) this.state.corrupt.push(msg.body.host);
        return reply(msg, { ok: true });
      case 'capture':
        return reply(msg, { entries: this.capture.read(msg.body.sinceSeq ?? 0) });
      case 'describe':
        return reply(msg, this.describe());
      default:
        unknownMessage('bus', msg);
    }
  }

  private open(req: OpenRequest, ctx: ComponentContext): void {
    if (this.state.cut.includes(req.client)) {
      ctx.send(client(req.client), AMQP.refused, { reason: `no route to ${this.state.ip}:${AMQP_PORT} (link cut)` });
      return;
    }
    if (this.state.connections[req.client]) this.dropConnection(req.client);
    const queue = req.role === 'manager' ? MANAGER_QUEUE : hostQueue(req.client);
    if (!this.queues.has(queue)) this.queues.set(queue, []);
    const conn: ConnectionState = { client: req.client, role: req.role, ip: req.ip, localPort: this.state.nextPort++, openedAt: ctx.now() };
    this.state.connections[req.client] = conn;
    this.unacked.set(req.client, new Map());
    ctx.send(client(req.client), AMQP.openOk, { localPort: conn.localPort, brokerIp: this.state.ip, queue } satisfies OpenOk);
    this.drain(queue, req.client, ctx);
  }

  private close(client: string, ctx: ComponentContext): void {
    if (!this.state.connections[client]) return;
    this.dropConnection(client);
    ctx.emit({ kind: 'log', file: '/var/log/rabbitmq/rabbit.log', text: `closing AMQP connection from ${client} (client closed the connection)` });
  }

  /** Forgets a connection; its unacknowledged deliveries go back to the front of their queue. */
  private dropConnection(client: string): void {
    delete this.state.connections[client];
    const pending = [...(this.unacked.get(client)?.values() ?? [])].reverse();
    for (const u of pending) this.queues.get(u.queue)?.unshift({ ...u.msg, redelivered: true });
    this.unacked.delete(client);
  }

  private publish(from: string, p: Publish, ctx: ComponentContext): void {
    const queue = this.route(p);
    if (p.type === 'RuleSet' && this.state.corrupt.includes(p.routingKey)) {
      this.state.corrupt = this.state.corrupt.filter((h) => h !== p.routingKey);
      p = { ...p, payload: damage(joinRuleSet(p.payload, p.lists)), lists: undefined };
      this.record(from, '', queue ?? '', p, 'corrupted', ctx);
    }
    if (!queue || !this.queues.has(queue)) return this.record(from, '', queue ?? '', p, 'dropped', ctx);
    const msg: Waiting = { ...p, from, enqueuedAt: ctx.now(), redelivered: false };
    const consumer = this.consumerOf(queue);
    if (consumer) return this.deliver(queue, consumer, msg, ctx);
    const list = this.queues.get(queue)!;
    list.push(msg);
    if (list.length > QUEUE_LIMIT) list.shift();
    this.record(from, '', queue, p, 'queued', ctx);
  }

  private route(p: Publish): string | undefined {
    if (p.exchange === HOSTS_EXCHANGE) return hostQueue(p.routingKey);
    if (p.exchange === MANAGER_EXCHANGE) return MANAGER_QUEUE;
    return undefined;
  }

  private consumerOf(queue: string): string | undefined {
    for (const c of Object.values(this.state.connections)) if ((c.role === 'manager' ? MANAGER_QUEUE : hostQueue(c.client)) === queue) return c.client;
    return undefined;
  }

  private drain(queue: string, consumer: string, ctx: ComponentContext): void {
    const waiting = this.queues.get(queue)!.splice(0);
    for (const msg of waiting) this.deliver(queue, consumer, msg, ctx);
  }

  private deliver(queue: string, consumer: string, msg: Waiting, ctx: ComponentContext): void {
    const late = msg.enqueuedAt !== ctx.now();
    if (msg.expirationMs !== undefined && ctx.now() - msg.enqueuedAt > msg.expirationMs) return this.record(msg.from, consumer, queue, msg, 'expired', ctx);
    const deliveryTag = this.state.nextTag++;
    this.unacked.get(consumer)!.set(deliveryTag, { queue, msg });
    const { from: _from, enqueuedAt: _at, ...publish } = msg;
    ctx.send(client(consumer), AMQP.deliver, { ...publish, deliveryTag, queue } satisfies Delivery);
    this.record(msg.from, consumer, queue, msg, late || msg.redelivered ? 'redelivered' : 'delivered', ctx);
  }

  private cut(host: string, ctx: ComponentContext): void {
    if (!this.state.cut.includes(host)) this.state.cut.push(host);
    ctx.emit({ kind: 'system', severity: 'warn', text: `message bus link to ${host} cut: TCP/${AMQP_PORT} between the host and NSX Manager is down` });
    if (this.state.connections[host]) {
      this.dropConnection(host);
      ctx.send(client(host), AMQP.closed, { reason: 'connection reset by peer' });
    }
  }

  private heal(host: string, ctx: ComponentContext): void {
    this.state.cut = this.state.cut.filter((h) => h !== host);
    ctx.emit({ kind: 'system', text: `message bus link to ${host} restored` });
  }

  private record(from: string, to: string, queue: string, p: Publish, outcome: CaptureOutcome, ctx: ComponentContext): void {
    // The sniffer sees the whole message, head and shared lists, as one payload (keeping only what it keeps of a large one).
    const size = ruleSetLength(p.payload, p.lists);
    const bytes = joinRuleSet(p.payload, p.lists, Capture.keptBytes(size));
    this.capture.record(
      { seq: this.state.nextSeq++, t: ctx.now(), from, to, exchange: p.exchange, routingKey: p.routingKey, queue, type: p.type, size, outcome },
      bytes,
    );
  }

  private describe(): BusDescription {
    return {
      ip: this.state.ip,
      port: AMQP_PORT,
      connections: Object.values(this.state.connections).map((c) => ({ ...c, unacked: this.unacked.get(c.client)?.size ?? 0 })),
      queues: [...this.queues].map(([name, list]) => ({ name, depth: list.length, consumer: this.consumerOf(name) ?? null })),
      cut: [...this.state.cut],
    };
  }
}

/** A damaged payload: the rule lists are cut off mid-message, as a truncated frame would be. */
function damage(bytes: Uint8Array): ArrayBuffer {
  const cut = bytes.slice(0, Math.max(1, bytes.length - 3));
  cut[cut.length - 1] = 0xff;
  return cut.buffer as ArrayBuffer;
}
