/**
 * MS-RPC ALG: the endpoint mapper (TCP/135) answers an ept_map request with protocol towers.
 * A tower's floors name the transport: floor "07" (TCP) carries the port big-endian, floor "09"
 * (IP) the address. The ALG reads only response PDUs (a client's request tower asks for port 0),
 * finds that pair of floors and expects the client on that address and port (0.0.0.0 meaning
 * the mapper's own address).
 */
import { PType } from '../../../protocol/dcerpc';

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
  // DCE/RPC version 5.0, PDU type response.
  if (len < 24 || bytes[off] !== 5 || bytes[off + 1] !== 0 || bytes[off + 2] !== PType.Response) return null;
  const end = Math.min(bytes.length, off + len);
  for (let i = off + 24; i + 16 <= end; i++) {
    if (!at(bytes, i, TCP_FLOOR) || !at(bytes, i + 7, IP_FLOOR)) continue;
    const port = (bytes[i + 5] << 8) | bytes[i + 6];
    const ip = ((bytes[i + 12] << 24) | (bytes[i + 13] << 16) | (bytes[i + 14] << 8) | bytes[i + 15]) | 0;
    if (port === 0) continue;
    return { ip: ip === 0 ? sender : ip, port };
  }
  return null;
}
