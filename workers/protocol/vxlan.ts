/**
 * VXLAN between host VTEPs: outer Ethernet, IPv4 and UDP 4789, an 8-byte VXLAN header with
 * the VNI, then the VM's frame. The fabric wraps frames that cross hosts; the host unwraps them.
 */
import { buildUdp } from './frame';

const VXLAN_PORT = 4789;
const OUTER = 14 + 20 + 8;
const VXLAN_HEADER = 8;

interface VtepPair {
  srcVtep: string;
  dstVtep: string;
  srcMac: string;
  dstMac: string;
}

export function encapsulate(frame: Uint8Array, vni: number, tunnel: VtepPair): Uint8Array {
  const payload = new Uint8Array(VXLAN_HEADER + frame.length);
  payload[0] = 0x08; // I flag: VNI present
  payload[4] = (vni >>> 16) & 255;
  payload[5] = (vni >>> 8) & 255;
  payload[6] = vni & 255;
  payload.set(frame, VXLAN_HEADER);
  // Source port from the inner frame's hash keeps one flow on one underlay path, as ESXi does.
  const srcPort = 49152 + ((frame[12] ^ frame[30] ^ frame[33] ^ frame.length) & 0x3fff);
  return buildUdp({ srcMac: tunnel.srcMac, dstMac: tunnel.dstMac, srcIp: tunnel.srcVtep, dstIp: tunnel.dstVtep, srcPort, dstPort: VXLAN_PORT, payload });
}

export function decapsulate(packet: Uint8Array): { vni: number; frame: Uint8Array } {
  const v = OUTER;
  const vni = (packet[v + 4] << 16) | (packet[v + 5] << 8) | packet[v + 6];
  return { vni, frame: packet.subarray(v + VXLAN_HEADER) };
}
