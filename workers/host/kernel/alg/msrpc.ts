/**
 * MS-RPC ALG: the endpoint mapper (TCP/135) answers an ept_map request with protocol towers.
 * A tower's floors name the transport: floor "07" (TCP) carries the port big-endian, floor "09"
 * (IP) the address. The ALG finds that pair of floors in the response and expects the client
 * on that address and port (0.0.0.0 meaning the mapper's own address).
 */

/** lhs length 1, protocol 0x07 (TCP), rhs length 2, then the port. */
const TCP_FLOOR = [0x01, 0x00, 0x07, 0x02, 0x00];
/** lhs length 1, protocol 0x09 (IP), rhs length 4, then the address. */
const IP_FLOOR = [0x01, 0x00, 0x09, 0x04, 0x00];

function at(bytes: Uint8Array, i: number, pattern: number[]): boolean {
  for (let k = 0; k < pattern.length; k++) if (bytes[i + k] !== pattern[k]) return false;
  return true;
}

/** The TCP endpoint an endpoint-mapper response announces; `sender` stands in for 0.0.0.0. */
export function scanEptMapResponse(bytes: Uint8Array, off: number, len: number, sender: number): { ip: number; port: number } | null {
  const end = Math.min(bytes.length, off + len);
  for (let i = off; i + 16 <= end; i++) {
    if (!at(bytes, i, TCP_FLOOR) || !at(bytes, i + 7, IP_FLOOR)) continue;
    const port = (bytes[i + 5] << 8) | bytes[i + 6];
    const ip = ((bytes[i + 12] << 24) | (bytes[i + 13] << 16) | (bytes[i + 14] << 8) | bytes[i + 15]) | 0;
    if (port === 0) continue;
    return { ip: ip === 0 ? sender : ip, port };
  }
  return null;
}

/** The two floors of a tower for ip:port, as an endpoint mapper writes them (for tests and guests). */
export function eptTowerFloors(ip: number, port: number): Uint8Array {
  return Uint8Array.from([...TCP_FLOOR, port >>> 8, port & 255, ...IP_FLOOR, (ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]);
}
