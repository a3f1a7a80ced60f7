/** valibot schema of the inventory, so a loaded lab cannot smuggle in malformed objects. */
import * as v from 'valibot';

const moid = (prefix: string) => v.pipe(v.string(), v.regex(new RegExp(`^${prefix}-[a-z]?\\d+$`), `expected a ${prefix}-N managed object id`));
const ipv4 = v.pipe(v.string(), v.ipv4());
const cidr = v.pipe(v.string(), v.regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected an IPv4 CIDR like 172.16.10.0/24'));
const mac = v.pipe(v.string(), v.mac48());

export const NetworkSchema = v.object({
  moid: v.string(),
  name: v.string(),
  kind: v.picklist(['portgroup', 'logicalswitch']),
  vni: v.optional(v.number()),
  subnet: cidr,
  gateway: ipv4,
});

export const VnicSchema = v.object({ index: v.number(), mac, network: v.string() });

export const InventorySchema = v.object({
  datacenter: v.object({ moid: moid('datacenter'), name: v.string() }),
  vds: v.object({ moid: v.string(), name: v.string() }),
  clusters: v.array(v.object({ moid: moid('domain'), name: v.string() })),
  hosts: v.array(v.object({ moid: moid('host'), name: v.string(), cluster: moid('domain'), vtepIp: ipv4, mgmtIp: ipv4 })),
  networks: v.array(NetworkSchema),
  vms: v.array(
    v.object({
      moid: moid('vm'),
      name: v.pipe(v.string(), v.minLength(1)),
      uuid: v.string(),
      host: moid('host'),
      worldId: v.pipe(v.number(), v.integer()),
      powerState: v.picklist(['poweredOn', 'poweredOff']),
      guestOs: v.string(),
      computerName: v.string(),
      role: v.picklist(['vcenter', 'nsx-manager', 'workload']),
      toolsRunning: v.boolean(),
      guestIps: v.array(ipv4),
      vnics: v.array(VnicSchema),
      cpuLimitMhz: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
      cpuReservationMhz: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      appliance: v.optional(v.literal('bridge-firewall')),
    }),
  ),
});

/** vCenter's component state: loose, so its optional parts (EAM agencies, measured transfers) stay with the lab. */
export const VCenterStateSchema = v.looseObject({ inventory: InventorySchema, subscribers: v.array(v.string()) });
