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

/** One line of a bridging firewall VM's iptables FORWARD chain (first match wins, policy ACCEPT). */
export interface BridgeRule {
  target: 'ACCEPT' | 'DROP';
  proto?: 'tcp' | 'udp' | 'icmp';
  src?: string;
  dst?: string;
  dport?: number;
}

export interface BridgeRulesReply {
  ok: boolean;
  rules?: BridgeRule[];
  error?: string;
}

export type FabricMessages = {
  /** Frames a host's uplink sends (a frame batch). */
  frames: { body: { frames: ArrayBuffer }; reply: void };
  /** The admin workstation (in the fabric) starts an exchange. */
  'admin-traffic': { body: TrafficRequest; reply: { ok: true } };
  /** vCenter: a VM's ports moved, connected or disconnected. */
  'port-update': { body: { vm: string; ports: SwitchPort[] }; reply: void };
  describe: { body: object; reply: object };
  /** A bridging firewall VM's FORWARD chain: read it, or replace it with `rules`. */
  'bridge-rules': { body: { vm: string; rules?: BridgeRule[] }; reply: BridgeRulesReply };
  /** vCenter: a bridging firewall VM now runs on `host` (vMotion). */
  'bridge-host': { body: { vm: string; host: string }; reply: void };
};

export const FABRIC: Address<FabricMessages> = 'fabric';
