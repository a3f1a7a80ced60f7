/**
 * An ESXi host's state as a lab document carries it (HostState), checked before a lab loads:
 * its VMs with their guests, hardware and vsfwd. The kernel's own snapshot is opaque to the
 * host's type as well; the data path checks it when it loads.
 */
import * as v from 'valibot';
import { GuestStateSchema } from '../guest/guest-state-schema';
import { VnicSchema } from '../protocol/inventory-schema';

const int = v.pipe(v.number(), v.integer());
const nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);

const VsfwdStateSchema = v.looseObject({
  service: v.picklist(['running', 'stopped', 'crashed']),
  pid: int,
  incarnation: int,
  booted: v.boolean(),
  connection: v.looseObject({ state: v.picklist(['closed', 'connecting', 'established']), localPort: v.optional(int), brokerIp: v.optional(v.string()), since: v.optional(v.number()) }),
  applied: nullable(v.looseObject({ generation: int, rulesets: v.array(v.string()), at: v.number() })),
  rulesetFile: nullable(v.string()),
  scopedRuleIds: v.array(int),
  lastHeartbeat: nullable(v.looseObject({ seq: int, at: v.number() })),
  heartbeatLost: v.boolean(),
  thresholds: v.looseObject({}),
  flows: v.looseObject({}),
  lastLive: v.number(),
  log: v.array(v.string()),
  reportedBindings: v.optional(v.string()),
  heapExhausted: v.optional(v.boolean()),
});

const HostedVmSchema = v.looseObject({
  moid: v.string(),
  name: v.string(),
  uuid: v.string(),
  worldId: int,
  vnics: v.array(VnicSchema),
  excluded: v.boolean(),
  guest: GuestStateSchema,
  load: v.optional(v.looseObject({ from: v.number(), newConnectionsPerSecond: v.number() })),
});

export const HostStateSchema = v.looseObject({
  moid: v.string(),
  name: v.string(),
  cluster: v.string(),
  vtepIp: v.string(),
  mgmtIp: v.string(),
  hardware: v.optional(v.looseObject({ memoryGB: v.pipe(v.number(), v.minValue(0)), cpuCores: v.pipe(int, v.minValue(1)), cpuMhz: v.pipe(v.number(), v.minValue(0)) })),
  vms: v.array(HostedVmSchema),
  kernel: v.optional(v.unknown()),
  vsfwd: v.optional(VsfwdStateSchema),
  cpuLoads: v.optional(v.pipe(v.array(v.looseObject({ from: v.number(), until: v.number(), mhz: v.pipe(v.number(), v.minValue(0)), what: v.pipe(v.string(), v.maxLength(500)) })), v.maxLength(50))),
});
