/**
 * The bus's protobuf schemas (vsfw.proto) as the lab's code uses them: the generated code's
 * message types, from a descriptor rebuilt from plain data (codec/descriptor-hydrate.ts). The
 * generated module's own schemas (`fileDesc` at its load) stay unused in the bundles, so a
 * worker neither boots descriptor.proto's schema nor decodes the file's bytes with it.
 */
import type { Message } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import type * as pb from './gen/vsfw_pb';
import { VSFW_DESCRIPTOR } from './gen/vsfw_desc';
import { hydrateFile } from './codec/descriptor-hydrate';

const file = hydrateFile(VSFW_DESCRIPTOR);

/** The message whose full name is `typeName`, typed as the generated code types it. */
function schema<T extends Message>(typeName: T['$typeName']): GenMessage<T> {
  const desc = file.messages.find((m) => m.typeName === typeName);
  if (!desc) throw new Error(`vsfw.proto has no message ${typeName}`);
  return desc as GenMessage<T>;
}

export const AddressMatchSchema = schema<pb.AddressMatch>('dfwlab.vsfw.v1.AddressMatch');
export const PortRangeSchema = schema<pb.PortRange>('dfwlab.vsfw.v1.PortRange');
export const L3RuleSchema = schema<pb.L3Rule>('dfwlab.vsfw.v1.L3Rule');
export const L2RuleSchema = schema<pb.L2Rule>('dfwlab.vsfw.v1.L2Rule');
export const FilterSchema = schema<pb.Filter>('dfwlab.vsfw.v1.Filter');
export const AddressSetSchema = schema<pb.AddressSet>('dfwlab.vsfw.v1.AddressSet');
export const RuleSetSchema = schema<pb.RuleSet>('dfwlab.vsfw.v1.RuleSet');
export const AddressSetUpdateSchema = schema<pb.AddressSetUpdate>('dfwlab.vsfw.v1.AddressSetUpdate');
export const HeartbeatSchema = schema<pb.Heartbeat>('dfwlab.vsfw.v1.Heartbeat');
export const HeartbeatResponseSchema = schema<pb.HeartbeatResponse>('dfwlab.vsfw.v1.HeartbeatResponse');
export const SyncRequestSchema = schema<pb.SyncRequest>('dfwlab.vsfw.v1.SyncRequest');
export const PublishReplySchema = schema<pb.PublishReply>('dfwlab.vsfw.v1.PublishReply');
export const ThresholdConfigSchema = schema<pb.ThresholdConfig>('dfwlab.vsfw.v1.ThresholdConfig');
export const FlowConfigurationSchema = schema<pb.FlowConfiguration>('dfwlab.vsfw.v1.FlowConfiguration');
export const ThresholdReportSchema = schema<pb.ThresholdReport>('dfwlab.vsfw.v1.ThresholdReport');
export const FlowSchema = schema<pb.Flow>('dfwlab.vsfw.v1.Flow');
export const BindingReportSchema = schema<pb.BindingReport>('dfwlab.vsfw.v1.BindingReport');
export const FlowReportSchema = schema<pb.FlowReport>('dfwlab.vsfw.v1.FlowReport');
