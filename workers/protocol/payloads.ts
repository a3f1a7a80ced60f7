/**
 * Which protobuf message each bus payload type is, for encoding the small messages and for
 * reading any captured payload back as JSON (the sniffer's decoded view).
 */
import { create, fromBinary, toBinary, toJson, type DescMessage, type JsonValue, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import * as pb from './vsfw-schemas';
import type { PayloadType } from './amqp';
import { hexDump } from './bytes';
import type { CaptureEntry } from './messages/bus';

export const PAYLOAD_SCHEMAS = {
  RuleSet: pb.RuleSetSchema,
  AddressSetUpdate: pb.AddressSetUpdateSchema,
  ThresholdConfig: pb.ThresholdConfigSchema,
  FlowConfiguration: pb.FlowConfigurationSchema,
  Heartbeat: pb.HeartbeatSchema,
  HeartbeatResponse: pb.HeartbeatResponseSchema,
  SyncRequest: pb.SyncRequestSchema,
  PublishReply: pb.PublishReplySchema,
  ThresholdReport: pb.ThresholdReportSchema,
  FlowReport: pb.FlowReportSchema,
  BindingReport: pb.BindingReportSchema,
} satisfies Record<PayloadType, DescMessage>;

type Schemas = typeof PAYLOAD_SCHEMAS;

export function encodePayload<T extends Exclude<PayloadType, 'RuleSet'>>(type: T, init: MessageInitShape<Schemas[T]>): Uint8Array {
  const schema = PAYLOAD_SCHEMAS[type] as DescMessage;
  return toBinary(schema, create(schema, init as MessageInitShape<DescMessage>));
}

export function decodePayload<T extends PayloadType>(type: T, bytes: Uint8Array): MessageShape<Schemas[T]> {
  return fromBinary(PAYLOAD_SCHEMAS[type] as DescMessage, bytes) as MessageShape<Schemas[T]>;
}

/** A captured message for people: its decoded form (protobuf JSON) and a hex dump. */
export interface DecodedCapture extends Omit<CaptureEntry, 'bytes'> {
  decoded: JsonValue;
  hex: string;
}

export function describeCapture(e: Omit<CaptureEntry, 'bytes'> & { bytes: ArrayBuffer | Uint8Array }): DecodedCapture {
  const bytes = new Uint8Array(e.bytes);
  const { bytes: _b, ...rest } = e;
  let decoded: JsonValue;
  if (e.truncated) decoded = { note: `only the first ${bytes.length} of ${e.size} bytes were captured` };
  else {
    try {
      decoded = toJson(PAYLOAD_SCHEMAS[e.type] as DescMessage, decodePayload(e.type, bytes));
    } catch (err) {
      decoded = { error: `not a valid ${e.type}: ${(err as Error).message}` };
    }
  }
  return { ...rest, decoded, hex: hexDump(bytes) };
}
