/**
 * MS-RPC (DCE/RPC connection-oriented, little-endian NDR) as the guests' endpoint mapper and
 * `rpcclient` write it and the kernel's ALG reads it: bind / bind_ack, request / response PDUs,
 * and the endpoint mapper's ept_map (opnum 3), whose request names an interface in a protocol
 * tower and whose response gives the tower with the TCP port and IP address that serve it.
 * Layouts as in C706 chapter 12 and [MS-RPCE] 2.2.1.
 */

export const EPM_PORT = 135;
export const EPM_UUID = 'e1af8308-5d1f-11c9-91a4-08002b14a0fa';
const NDR_UUID = '8a885d04-1ceb-11c9-9fe8-08002b104860';
export const EPT_MAP = 3;
/** ept_map's status when no endpoint serves the interface. */
export const EPT_S_NOT_REGISTERED = 0x16c9a0d6;

export const PType = { Request: 0, Response: 2, Bind: 11, BindAck: 12 } as const;

const FRAG = 5840;
const HEADER = 16;

/** A UUID's 16 bytes as NDR puts them: the first three fields little-endian. */
export function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  return Uint8Array.from([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)]);
}

export function uuidString(b: Uint8Array, off: number): string {
  const h = (i: number) => b[off + i].toString(16).padStart(2, '0');
  const order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
  return order.map((i) => (i < 0 ? '-' : h(i))).join('');
}

/** Bytes written little-endian, as NDR's drep 0x10 says. */
class Writer {
  private bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 255);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]);
    return this;
  }
  align(n: number): this {
    while (this.bytes.length % n) this.bytes.push(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function pdu(ptype: number, callId: number, body: Uint8Array): Uint8Array {
  const w = new Writer().u8(5).u8(0).u8(ptype).u8(0x03).raw([0x10, 0, 0, 0]).u16(HEADER + body.length).u16(0).u32(callId).raw(body);
  return w.done();
}

/** bind: one presentation context, `uuid` version `major.minor` over NDR. */
export function buildBind(callId: number, uuid: string, major: number, minor = 0): Uint8Array {
  const body = new Writer().u16(FRAG).u16(FRAG).u32(0).u8(1).raw([0, 0, 0])
    .u16(0).u8(1).u8(0).raw(uuidBytes(uuid)).u16(major).u16(minor).raw(uuidBytes(NDR_UUID)).u32(2);
  return pdu(PType.Bind, callId, body.done());
}

/** bind_ack accepting the context; `secondary` is the server's port as text ("135"). */
export function buildBindAck(callId: number, secondary: string): Uint8Array {
  const w = new Writer().u16(FRAG).u16(FRAG).u32(0x12345).u16(secondary.length + 1).raw(Array.from(secondary, (c) => c.charCodeAt(0))).u8(0);
  w.align(4).u8(1).raw([0, 0, 0]).u16(0).u16(0).raw(uuidBytes(NDR_UUID)).u32(2);
  return pdu(PType.BindAck, callId, w.done());
}

export function buildRequest(callId: number, opnum: number, stub: Uint8Array): Uint8Array {
  return pdu(PType.Request, callId, new Writer().u32(stub.length).u16(0).u16(opnum).raw(stub).done());
}

export function buildResponse(callId: number, stub: Uint8Array): Uint8Array {
  return pdu(PType.Response, callId, new Writer().u32(stub.length).u16(0).u8(0).u8(0).raw(stub).done());
}

interface Pdu {
  ptype: number;
  callId: number;
  /** Request: the operation asked. */
  opnum?: number;
  /** Bind: the interface asked for. */
  uuid?: string;
  /** Request / response: the stub data. */
  stub: Uint8Array;
}

/** One DCE/RPC PDU (little-endian data representation only), or null. */
export function parsePdu(b: Uint8Array): Pdu | null {
  if (b.length < HEADER || b[0] !== 5 || b[1] !== 0 || b[4] !== 0x10) return null;
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = d.getUint16(8, true);
  if (len < HEADER || len > b.length) return null;
  const ptype = b[2];
  const callId = d.getUint32(12, true);
  if (ptype === PType.Request && len >= 24) return { ptype, callId, opnum: d.getUint16(22, true), stub: b.slice(24, len) };
  if (ptype === PType.Response && len >= 24) return { ptype, callId, stub: b.slice(24, len) };
  if (ptype === PType.Bind && len >= 72) return { ptype, callId, uuid: uuidString(b, 32), stub: new Uint8Array(0) };
  if (ptype === PType.BindAck) return { ptype, callId, stub: new Uint8Array(0) };
  return null;
}

/** The two floors that carry the endpoint: TCP (port, big-endian) and IP (address, big-endian). */
function eptTowerFloors(ip: number, port: number): Uint8Array {
  return Uint8Array.from([1, 0, 0x07, 2, 0, port >>> 8, port & 255, 1, 0, 0x09, 4, 0, (ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]);
}

/** A five-floor ncacn_ip_tcp tower: interface, NDR, RPC connection-oriented, TCP port, IP address. */
export function buildTower(uuid: string, major: number, port: number, ip: number): Uint8Array {
  const floor = (id: string, ver: number, minor: number) => new Writer().u16(19).u8(0x0d).raw(uuidBytes(id)).u16(ver).u16(2).u16(minor).done();
  return new Writer().u16(5).raw(floor(uuid, major, 0)).raw(floor(NDR_UUID, 2, 0)).u16(1).u8(0x0b).u16(2).u16(0).raw(eptTowerFloors(ip, port)).done();
}

interface TowerEndpoint {
  uuid: string;
  port: number;
  ip: number;
}

/** The interface, port and address of a tower at `off`, or null. */
export function parseTower(b: Uint8Array, off: number): TowerEndpoint | null {
  if (off + 2 > b.length) return null;
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const floors = d.getUint16(off, true);
  let at = off + 2;
  const out: TowerEndpoint = { uuid: '', port: 0, ip: 0 };
  for (let f = 0; f < floors; f++) {
    if (at + 2 > b.length) return null;
    const lhs = d.getUint16(at, true);
    if (at + 2 + lhs + 2 > b.length) return null;
    const id = b[at + 2];
    const rhsAt = at + 2 + lhs;
    const rhs = d.getUint16(rhsAt, true);
    if (rhsAt + 2 + rhs > b.length) return null;
    if (f === 0 && id === 0x0d && lhs >= 17) out.uuid = uuidString(b, at + 3);
    if (id === 0x07 && rhs === 2) out.port = d.getUint16(rhsAt + 2);
    if (id === 0x09 && rhs === 4) out.ip = d.getInt32(rhsAt + 2);
    at = rhsAt + 2 + rhs;
  }
  return out;
}

/** ept_map's request: no object, the tower asked for (port and address 0), no entry handle, up to 4 towers. */
export function eptMapRequest(callId: number, uuid: string, major: number): Uint8Array {
  const tower = buildTower(uuid, major, 0, 0);
  const stub = new Writer().u32(1).raw(new Uint8Array(16)).u32(2).u32(tower.length).u32(tower.length).raw(tower).align(4).raw(new Uint8Array(20)).u32(4);
  return buildRequest(callId, EPT_MAP, stub.done());
}

/** The tower an ept_map request asks for. */
export function eptMapAsked(stub: Uint8Array): TowerEndpoint | null {
  return stub.length < 34 ? null : parseTower(stub, 32);
}

/** ept_map's response: the tower that serves the interface, or none and EPT_S_NOT_REGISTERED. */
export function eptMapResponse(callId: number, tower: Uint8Array | null): Uint8Array {
  const w = new Writer().raw(new Uint8Array(20)).u32(tower ? 1 : 0).u32(4).u32(0).u32(tower ? 1 : 0);
  if (tower) w.u32(3).u32(tower.length).u32(tower.length).raw(tower).align(4);
  w.u32(tower ? 0 : EPT_S_NOT_REGISTERED);
  return buildResponse(callId, w.done());
}

/** The endpoint an ept_map response gives, or null (none registered, or not a response). */
export function eptMapAnswer(stub: Uint8Array): TowerEndpoint | null {
  if (stub.length < 50) return null;
  const d = new DataView(stub.buffer, stub.byteOffset, stub.byteLength);
  if (d.getUint32(20, true) === 0) return null;
  return parseTower(stub, 48);
}
