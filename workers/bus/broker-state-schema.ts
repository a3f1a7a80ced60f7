/** The message broker's state as a lab document carries it (BrokerState), checked before a lab loads. */
import * as v from 'valibot';
import { recordOf } from '../lab/record-schema';

const int = v.pipe(v.number(), v.integer());

const QueuedMessageSchema = v.looseObject({
  exchange: v.string(),
  routingKey: v.string(),
  type: v.string(),
  payload: v.string(),
  expirationMs: v.optional(v.number()),
  headers: v.optional(recordOf(v.union([v.string(), v.number()]))),
  from: v.string(),
  enqueuedAt: v.number(),
  redelivered: v.boolean(),
});

export const BrokerStateSchema = v.looseObject({
  ip: v.string(),
  connections: v.record(
    v.string(),
    v.looseObject({ client: v.string(), role: v.picklist(['host', 'manager']), ip: v.string(), localPort: int, openedAt: v.number() }),
  ),
  queues: recordOf(v.array(QueuedMessageSchema)),
  cut: v.array(v.string()),
  corrupt: v.array(v.string()),
  nextTag: int,
  nextPort: int,
  nextSeq: int,
  capture: v.array(v.looseObject({ bytes: v.string() })),
});
