import type { GuestState } from '../guest/guest-state';
import type { Network } from '../protocol/inventory';
import type { BridgeFirewall } from './bridge/bridge-firewall';

import type { SwitchPort } from '../protocol/messages/fabric';

export type { SwitchPort } from '../protocol/messages/fabric';

export interface FabricState {
  networks: Network[];
  hosts: { moid: string; name: string; vtepIp: string }[];
  ports: SwitchPort[];
  /** The distributed router's virtual MAC on every logical interface (NSX's vMAC). */
  routerMac: string;
  /** The router's neighbour table: IP → MAC, learned from ARP it sees. */
  neighbours: Record<string, string>;
  /** The admin workstation: a physical machine on the management network, outside any DFW. */
  admin: GuestState & { network: string };
  /** Bridging firewall VMs in front of port groups (seed 004); absent in labs without one. */
  bridges?: BridgeFirewall[];
}
