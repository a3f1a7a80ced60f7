/** What the fabric (distributed switch, VXLAN, router) accepts, and what vCenter tells it of ports. */
import type { Address } from './envelope';
import type { TrafficRequest } from './guest';

/** A vNIC's port on the distributed switch. */
export interface SwitchPort {
  mac: string;
  host: string;
  worldId: number;
  vnicIndex: number;
  network: string;
  vm: string;
  connected: boolean;
}

export type FabricMessages = {
  /** Frames a host's uplink sends (a frame batch). */
  frames: { body: { frames: ArrayBuffer }; reply: void };
  /** The admin workstation (in the fabric) starts an exchange. */
  'admin-traffic': { body: TrafficRequest; reply: { ok: true } };
  /** vCenter: a VM's ports moved, connected or disconnected. */
  'port-update': { body: { vm: string; ports: SwitchPort[] }; reply: void };
  describe: { body: object; reply: object };
};

export const FABRIC: Address<FabricMessages> = 'fabric';
