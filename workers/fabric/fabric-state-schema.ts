/** The fabric's state as a lab document carries it (FabricState), checked before a lab loads. */
import * as v from 'valibot';
import { recordOf } from '../lab/record-schema';
import { GuestStateSchema } from '../guest/guest-state-schema';
import { NetworkSchema } from '../protocol/inventory-schema';

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
  bridges: v.optional(
    v.array(
      v.looseObject({
        vm: v.string(),
        name: v.string(),
        host: v.string(),
        inside: v.string(),
        outside: v.string(),
        mac: v.string(),
        rules: v.array(
          v.looseObject({
            target: v.picklist(['ACCEPT', 'DROP']),
            proto: v.optional(v.picklist(['tcp', 'udp', 'icmp'])),
            src: v.optional(v.string()),
            dst: v.optional(v.string()),
            dport: v.optional(v.number()),
          }),
        ),
      }),
    ),
  ),
});
