/**
 * The lab document, `dfw-lab/lab@1`: everything needed to bring a lab back exactly as it
 * was — clock, seed, every component's state and the messages still on their way.
 * Validated with valibot before anything is loaded.
 */
import * as v from 'valibot';
import type { ComponentDoc, Envelope } from './component';
import type { LabEvent } from './events';
import { InventorySchema } from '../vcenter/inventory-schema';

export const LAB_FORMAT = 'dfw-lab/lab@1';

const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff));

const ComponentDocSchema = v.variant('type', [
  v.object({ type: v.literal('vcenter'), state: v.object({ inventory: InventorySchema, subscribers: v.array(v.string()) }), rng: v.tuple([uint32, uint32, uint32, uint32]) }),
  v.object({ type: v.picklist(['manager', 'fabric', 'host', 'bus']), state: v.record(v.string(), v.unknown()), rng: v.tuple([uint32, uint32, uint32, uint32]) }),
]);

const EnvelopeSchema = v.object({
  to: v.string(),
  from: v.string(),
  kind: v.string(),
  body: v.unknown(),
  requestId: v.optional(v.number()),
});

const EventSchema = v.object({
  t: v.number(),
  source: v.string(),
  kind: v.picklist(['system', 'audit', 'log', 'inventory', 'traffic']),
  severity: v.picklist(['info', 'warn', 'error']),
  text: v.string(),
  code: v.optional(v.number()),
  file: v.optional(v.string()),
  data: v.optional(v.record(v.string(), v.unknown())),
});

export const LabDocumentSchema = v.object({
  format: v.literal(LAB_FORMAT),
  name: v.pipe(v.string(), v.minLength(1)),
  seed: uint32,
  clock: v.pipe(v.number(), v.integer(), v.minValue(0)),
  components: v.pipe(
    v.record(v.string(), ComponentDocSchema),
    v.check((c) => 'vcenter' in c && 'fabric' in c, 'a lab needs at least vcenter and fabric components'),
  ),
  pending: v.array(v.object({ at: v.number(), seq: v.number(), env: EnvelopeSchema })),
  nextSeq: v.number(),
  counters: v.object({ request: v.number(), probe: v.number() }),
  events: v.array(EventSchema),
  sessions: v.optional(v.record(v.string(), v.string())),
  workingCopies: v.optional(v.record(v.string(), v.unknown())),
});

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
}

export type ValidationResult = { ok: true; doc: LabDocument } | { ok: false; path: string; message: string };

/** Checks an untrusted value; on failure names the JSON path of the first problem. */
export function validateLabDocument(input: unknown): ValidationResult {
  const format = (input as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format.startsWith('dfw-lab/lab@') && format !== LAB_FORMAT) {
    return { ok: false, path: '$.format', message: `this lab is in format ${format}, which this version of DFW Lab cannot read (it reads ${LAB_FORMAT})` };
  }
  const result = v.safeParse(LabDocumentSchema, input, { abortEarly: true });
  if (result.success) return { ok: true, doc: result.output as unknown as LabDocument };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('') ?? '';
  return { ok: false, path: `$${path}`, message: issue.message };
}

/** Frame buffers inside queued messages are stored as base64 so the document stays JSON. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { $bytes: toBase64(new Uint8Array(value)) };
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
