/**
 * NSX Manager's component state as a lab document carries it (ManagerComponentState), checked
 * before a lab loads: the published configuration down to its sections, every
 * list of grouping objects, the exclusion list, publish status and the bus link. The objects
 * inside the lists are the REST API's to check when they are used.
 */
import * as v from 'valibot';
import { recordOf } from '../lab/record-schema';
import { InventorySchema } from '../protocol/inventory-schema';

const int = v.pipe(v.number(), v.integer());
const list = v.array(v.looseObject({}));

const FirewallConfigSchema = v.looseObject({
  contextId: v.string(),
  generationNumber: v.number(),
  timestamp: v.number(),
  layer3Sections: v.array(v.looseObject({ id: int, name: v.string(), rules: v.array(v.looseObject({ id: int })) })),
  layer2Sections: v.array(v.looseObject({ id: int, name: v.string(), rules: v.array(v.looseObject({ id: int })) })),
});

const ManagerStateSchema = v.looseObject({
  format: v.literal('dfw-lab/manager@1'),
  inventory: InventorySchema,
  config: FirewallConfigSchema,
  lastGeneration: v.number(),
  objectsGeneration: v.number(),
  ids: v.looseObject({}),
  drafts: list,
  globalConfiguration: v.looseObject({}),
  eventThresholds: v.looseObject({}),
  timeouts: list,
  securityTags: list,
  securityGroups: list,
  ipSets: list,
  macSets: list,
  services: list,
  serviceGroups: list,
  securityPolicies: list,
  exclusionSystem: v.array(v.string()),
  exclusionUser: v.array(v.string()),
  spoofGuardPolicies: list,
  spoofGuardBindings: list,
  hostStatus: recordOf(v.looseObject({})),
  flows: list,
});

export const ManagerComponentStateSchema = v.looseObject({
  manager: ManagerStateSchema,
  up: v.boolean(),
  epoch: v.number(),
  bus: v.optional(
    v.looseObject({
      started: v.boolean(),
      connected: v.boolean(),
      heartbeatSeq: int,
      hosts: recordOf(v.looseObject({})),
      thresholds: recordOf(v.looseObject({})),
      thresholdHistory: v.optional(recordOf(list)),
      liveFlows: recordOf(list),
      resyncOnConnect: v.optional(v.boolean()),
    }),
  ),
  bindingReports: v.optional(recordOf(v.array(v.looseObject({ vnicId: v.string(), mac: v.string(), ip: v.string(), approved: v.boolean() })))),
});
