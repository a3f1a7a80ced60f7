/**
 * The lab document's shape, `dfw-lab/lab@1`, as the lab runtime reads and writes it: format,
 * the document type and the base64 form of buffers in queued messages. Its validation (which
 * knows every component's state schema) is in lab-document.ts, a layer above.
 */
import type { ComponentDoc, ComponentType, Envelope } from './component';
import type { BareLabAction } from './action-log';
import type { LabEvent } from '../protocol/events';

export const LAB_FORMAT = 'dfw-lab/lab@1';

/** A lab's history is kept for at most this many actions (a compact link replays at most 5,000). */
export const MAX_HISTORY_ACTIONS = 5_000;

/** The classroom preset a lab was booted from and every action since: a compact link rebuilds the lab from it (src/share/replay-link.ts). */
export interface LabHistory {
  preset: 'classroom';
  seed: number;
  name: string;
  actions: BareLabAction[];
}

export interface LabDocument {
  format: typeof LAB_FORMAT;
  name: string;
  seed: number;
  clock: number;
  components: Record<string, ComponentDoc>;
  pending: { at: number; seq: number; env: Envelope }[];
  nextSeq: number;
  counters: { request: number; probe: number };
  events: LabEvent[];
  /** Open sessions by name → the VM holding them. */
  sessions?: Record<string, string>;
  /**
   * Unpublished edits the screens hold (the Firewall screen's working copy under `firewall`),
   * kept with the lab so a reload or a crash loses none. Opaque here; each screen validates its own.
   */
  workingCopies?: Record<string, unknown>;
  /** The preset this lab was booted from and the actions it ran since, while they are all known (see HistorySchema). */
  history?: LabHistory;
}

/**
 * A component as IndexedDB holds it (lab-parts.ts): its type and the JSON of its parts. The unit
 * that runs it joins and checks it in its own worker, so opening a saved lab leaves the page
 * only the head to parse and check.
 */
export interface StoredComponentDoc {
  type: ComponentType;
  /** Part key → JSON: the component's own part and its groups. */
  stored: Record<string, string>;
  /** Part key → the hash stored with it: what the store holds, so the unit's next save writes only what differs. */
  hashes?: Record<string, number>;
  /**
   * Where the unit reads the component's other parts itself (IndexedDB, in its own worker):
   * `stored` then holds its own part only, so the page neither reads nor posts the rest.
   */
  readFrom?: StoredPartsSource;
}

/** A saved lab in IndexedDB as its units read their parts: database, lab id, and the revision the page read. */
export interface StoredPartsSource {
  db: string;
  lab: string;
  /** The summary's revision when the page read the head: a part written later means the lab was saved meanwhile. */
  revision: number;
}

/** What a lab boots from: a document whose components may still be as stored. */
export type BootDocument = Omit<LabDocument, 'components'> & { components: Record<string, ComponentDoc | StoredComponentDoc> };

export function isStoredComponent(doc: ComponentDoc | StoredComponentDoc): doc is StoredComponentDoc {
  return 'stored' in doc;
}

/** Frame buffers inside queued messages (and shared rule-list blobs) are stored as base64 so the document stays JSON. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)) return { $bytes: toBase64(new Uint8Array(value)) };
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, encodeBytes(x)]));
  return value;
}

export function decodeBytes(value: unknown): unknown {
  if (value && typeof value === 'object' && '$bytes' in value && typeof (value as { $bytes: unknown }).$bytes === 'string') {
    return fromBase64((value as { $bytes: string }).$bytes).buffer;
  }
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, decodeBytes(x)]));
  return value;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
