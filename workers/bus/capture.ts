/**
 * The bus sniffer: every message the broker routes, in order, with its bytes. Large rule
 * sets keep only their first bytes so the capture stays small; the reader decodes on demand.
 */
import { fromBase64, toBase64 } from '../protocol/bytes';
import type { CaptureEntry } from '../protocol/messages/bus';

/** What happened to a message at the broker. */
export type { CaptureEntry, CaptureOutcome } from '../protocol/messages/bus';

export type StoredCaptureEntry = Omit<CaptureEntry, 'bytes'> & { bytes: string };

const CAPTURE_LIMIT = 500;
const FULL_PAYLOAD_LIMIT = 64 * 1024;
const TRUNCATED_PAYLOAD = 4 * 1024;

export class Capture {
  private entries: CaptureEntry[];

  constructor(stored: StoredCaptureEntry[] = []) {
    this.entries = stored.map((e) => ({ ...e, bytes: fromBase64(e.bytes) }));
  }

  /** How many of a message's `size` bytes a capture keeps. */
  static keptBytes(size: number): number {
    return size > FULL_PAYLOAD_LIMIT ? TRUNCATED_PAYLOAD : size;
  }

  /** `payload`: the message's bytes, or their first `keptBytes(entry.size)` (the caller need not join a large one whole). */
  record(entry: Omit<CaptureEntry, 'bytes' | 'truncated'>, payload: Uint8Array): void {
    const truncated = entry.size > FULL_PAYLOAD_LIMIT;
    this.entries.push({ ...entry, bytes: payload.slice(0, Capture.keptBytes(entry.size)), truncated });
    if (this.entries.length > CAPTURE_LIMIT) this.entries.splice(0, this.entries.length - CAPTURE_LIMIT);
  }

  /** Entries after `sinceSeq`, newest last; bytes as standalone buffers for the trip to the reader. */
  read(sinceSeq = 0): (Omit<CaptureEntry, 'bytes'> & { bytes: ArrayBuffer })[] {
    return this.entries.filter((e) => e.seq > sinceSeq).map((e) => ({ ...e, bytes: e.bytes.slice().buffer as ArrayBuffer }));
  }

  snapshot(): StoredCaptureEntry[] {
    return this.entries.map((e) => ({ ...e, bytes: toBase64(e.bytes) }));
  }
}
