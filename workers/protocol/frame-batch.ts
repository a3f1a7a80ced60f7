/**
 * Many frames in one ArrayBuffer, so a wave of packets crosses a worker boundary as one
 * transferred buffer rather than an object graph. Layout, little-endian:
 *   u32 count, then per frame: u32 probe, u32 worldId, u16 vnicIndex, u16 flags, u32 length, bytes (padded to 4).
 */
export interface FrameEntry {
  /** The probe this frame belongs to (0: background traffic). */
  probe: number;
  /** The vNIC it leaves (host → fabric) or is delivered to (fabric → host). */
  worldId: number;
  vnicIndex: number;
  /** FLAG_VXLAN: the frame is VXLAN-encapsulated between VTEPs. */
  flags: number;
  frame: Uint8Array;
}

export const FLAG_VXLAN = 1;

const ENTRY_HEADER = 16;

export function encodeFrameBatch(entries: FrameEntry[]): ArrayBuffer {
  let size = 4;
  for (const e of entries) size += ENTRY_HEADER + padded(e.frame.length);
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  view.setUint32(0, entries.length, true);
  let at = 4;
  for (const e of entries) {
    view.setUint32(at, e.probe, true);
    view.setUint32(at + 4, e.worldId, true);
    view.setUint16(at + 8, e.vnicIndex, true);
    view.setUint16(at + 10, e.flags, true);
    view.setUint32(at + 12, e.frame.length, true);
    bytes.set(e.frame, at + ENTRY_HEADER);
    at += ENTRY_HEADER + padded(e.frame.length);
  }
  return buf;
}

export function decodeFrameBatch(buf: ArrayBuffer): FrameEntry[] {
  const view = new DataView(buf);
  const count = view.getUint32(0, true);
  const entries: FrameEntry[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at + 12, true);
    entries.push({
      probe: view.getUint32(at, true),
      worldId: view.getUint32(at + 4, true),
      vnicIndex: view.getUint16(at + 8, true),
      flags: view.getUint16(at + 10, true),
      frame: new Uint8Array(buf, at + ENTRY_HEADER, length),
    });
    at += ENTRY_HEADER + padded(length);
  }
  return entries;
}

function padded(n: number): number {
  return (n + 3) & ~3;
}
