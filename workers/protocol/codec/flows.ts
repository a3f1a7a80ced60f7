/** Flow records between the manager's FlowRecord shape and the protobuf `Flow`. */
import { create } from '@bufbuild/protobuf';
import type { FlowRecord } from '../host-reports';
import type { Flow } from '../gen/vsfw_pb';
import { FlowSchema } from '../vsfw-schemas';

export function flowToPb(f: FlowRecord): Flow {
  return create(FlowSchema, {
    startMs: BigInt(f.startTime),
    endMs: BigInt(f.endTime),
    ruleId: f.ruleId,
    blocked: f.blocked,
    protocol: f.protocol,
    direction: f.direction,
    sessions: f.sessions,
    sourcePackets: BigInt(f.sourcePackets),
    destinationPackets: BigInt(f.destinationPackets),
    sourceBytes: BigInt(f.sourceBytes),
    destinationBytes: BigInt(f.destinationBytes),
    networkId: f.networkId ?? '',
    sourceIp: f.sourceIp,
    destinationIp: f.destinationIp,
    destinationPort: f.destinationPort ?? 0,
    contextId: f.contextId ?? '',
  });
}

export function flowFromPb(f: Flow): FlowRecord {
  const r: FlowRecord = {
    startTime: Number(f.startMs),
    endTime: Number(f.endMs),
    ruleId: f.ruleId,
    blocked: (f.blocked === 1 || f.blocked === 2 ? f.blocked : 0) as FlowRecord['blocked'],
    protocol: f.protocol,
    direction: (f.direction === 1 ? 1 : 0) as FlowRecord['direction'],
    sessions: f.sessions,
    sourcePackets: Number(f.sourcePackets),
    destinationPackets: Number(f.destinationPackets),
    sourceBytes: Number(f.sourceBytes),
    destinationBytes: Number(f.destinationBytes),
    sourceIp: f.sourceIp,
    destinationIp: f.destinationIp,
  };
  if (f.networkId) r.networkId = f.networkId;
  if (f.destinationPort) r.destinationPort = f.destinationPort;
  if (f.contextId) r.contextId = f.contextId;
  return r;
}
