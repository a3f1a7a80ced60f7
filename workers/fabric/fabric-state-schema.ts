/** The fabric's state as a lab document carries it (FabricState), checked before a lab loads. */
import * as v from 'valibot';
import { recordOf } from '../lab/record-schema';
import { GuestStateSchema } from '../guest/guest-state-schema';
import { NetworkSchema } from '../vcenter/inventory-schema';

export const FabricStateSchema = v.looseObject({
  networks: v.array(NetworkSchema),
  hosts: v.array(v.looseObject({ moid: v.string(), name: v.string(), vtepIp: v.string() })),
  ports: v.array(
    v.looseObject({
      mac: v.string(),
      host: v.string(),
      worldId: v.number(),
      vnicIndex: v.number(),
      network: v.string(),
      vm: v.string(),
      connected: v.boolean(),
    }),
  ),
  routerMac: v.string(),
  neighbours: recordOf(v.string()),
  admin: v.looseObject({ ...GuestStateSchema.entries, network: v.string() }),
});
