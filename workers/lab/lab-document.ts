/**
 * The lab document, `dfw-lab/lab@1`: everything needed to bring a lab back exactly as it
 * was — clock, seed, every component's state and the messages still on their way.
 * Validated with valibot before anything is loaded; this check knows every component's state
 * schema, so it sits above the components (the runtime reads the shape from lab-format.ts).
 */
import * as v from 'valibot';
import { VCenterStateSchema } from '../protocol/inventory-schema';
import { ManagerComponentStateSchema } from '../manager/manager-state-schema';
import { FabricStateSchema } from '../fabric/fabric-state-schema';
import { HostStateSchema } from '../host/host-state-schema';
import { BrokerStateSchema } from '../bus/broker-state-schema';
import { LAB_FORMAT, MAX_HISTORY_ACTIONS, type BootDocument, type LabDocument, type LabHistory } from './lab-format';
import { componentDocSchema, describeIssue } from './component-check';
import { formatOf, isWith, parseWith, type Outside } from '../protocol/outside';

export { LAB_FORMAT, encodeBytes, decodeBytes, type BootDocument, type LabDocument } from './lab-format';
/** A checked document's parts as IndexedDB stores them (an import splits a file in a worker with it). */
export { documentParts, type PartRef } from './lab-parts';

const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff));
/** The lab clock is a date: the last millisecond of year 9999 at most (1e308 is no time). */
const MAX_CLOCK = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Messages still on their way are due within this much lab time of the clock. */
const PENDING_HORIZON_MS = 366 * 24 * 3600 * 1000;
const MAX_PENDING = 100_000;
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/** Every component's state is checked whole, so a corrupt or hand-edited lab is refused with the path of what is wrong. */
const ComponentDocSchema = v.variant('type', [
  componentDocSchema('vcenter', VCenterStateSchema),
  componentDocSchema('manager', ManagerComponentStateSchema),
  componentDocSchema('fabric', FabricStateSchema),
  componentDocSchema('host', HostStateSchema),
  componentDocSchema('bus', BrokerStateSchema),
]);

/** A component still as stored: its type, and its parts' JSON that its own unit joins and checks (component-check.ts). */
const StoredComponentDocSchema = v.strictObject({
  type: v.picklist(['vcenter', 'manager', 'fabric', 'host', 'bus']),
  stored: v.record(v.string(), v.string()),
  hashes: v.optional(v.record(v.string(), v.number())),
  readFrom: v.optional(v.strictObject({ db: v.string(), lab: v.string(), revision: v.number() })),
});

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

const text255 = v.pipe(v.string(), v.maxLength(255));

/** A recorded action without its time (action-log.ts): what replaying needs. `maxAdvanceMs` bounds one clock advance. */
export function actionSchema(maxAdvanceMs: number) {
  return v.variant('do', [
    v.strictObject({ do: v.literal('request'), to: text255, kind: text255, body: v.unknown() }),
    v.strictObject({ do: v.literal('advance'), ms: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(maxAdvanceMs)) }),
    v.strictObject({ do: v.literal('probe-id') }),
    v.strictObject({ do: v.literal('session'), name: text255, vm: v.optional(text255) }),
  ]);
}

/** The classroom preset a lab was booted from and every action since: a compact link rebuilds the lab from it (src/share/replay-link.ts). */
export const HistorySchema = v.strictObject({
  preset: v.literal('classroom'),
  seed: uint32,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  actions: v.pipe(v.array(actionSchema(MAX_CLOCK)), v.maxLength(MAX_HISTORY_ACTIONS, `at most ${MAX_HISTORY_ACTIONS} actions`)),
}) satisfies v.GenericSchema<unknown, LabHistory>; // reads exactly the runtime's history shape (lab-format.ts)
export type { LabHistory };

const labDocumentEntries = {
  format: v.literal(LAB_FORMAT),
  name: v.pipe(v.string(), v.minLength(1)),
  seed: uint32,
  clock: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_CLOCK, 'the clock must be a date before the year 10000')),
  components: v.pipe(
    v.record(v.string(), ComponentDocSchema),
    v.check((c) => 'vcenter' in c && 'fabric' in c, 'a lab needs at least vcenter and fabric components'),
  ),
  pending: v.pipe(v.array(v.object({ at: count, seq: count, env: EnvelopeSchema })), v.maxLength(MAX_PENDING, `at most ${MAX_PENDING} messages on their way`)),
  nextSeq: count,
  counters: v.object({ request: count, probe: count }),
  events: v.array(EventSchema),
  sessions: v.optional(v.record(v.string(), v.string())),
  workingCopies: v.optional(v.record(v.string(), v.unknown())),
  history: v.optional(HistorySchema),
};

const LabDocumentSchema = v.object(labDocumentEntries);

/** A saved lab as it is opened: the head checked here, each component by the unit that runs it. */
const BootDocumentSchema = v.object({
  ...labDocumentEntries,
  components: v.pipe(
    v.record(v.string(), StoredComponentDocSchema),
    v.check((c) => 'vcenter' in c && 'fabric' in c, 'a lab needs at least vcenter and fabric components'),
  ),
});

type ValidationResult = { ok: true; doc: LabDocument } | { ok: false; path: string; message: string };

/** Checks an untrusted value; on failure names the JSON path of the first problem. */
export function validateLabDocument(input: Outside): ValidationResult {
  const format = formatOf(input);
  if (format?.startsWith('dfw-lab/lab@') && format !== LAB_FORMAT) {
    return { ok: false, path: '$.format', message: `this lab is in format ${format}, which this version of DFW Lab cannot read (it reads ${LAB_FORMAT})` };
  }
  const result = parseWith(LabDocumentSchema, input, { abortEarly: true });
  if (result.success) {
    const doc: LabDocument = result.output;
    const queued = pendingProblem(doc);
    return queued ? { ok: false, ...queued } : { ok: true, doc };
  }
  const { path, message } = describeIssue(result.issues[0]);
  return { ok: false, path: `$${path}`, message };
}

/**
 * Checks an untrusted value like validateLabDocument, and hands back the value itself rather than
 * valibot's output (which reorders keys): a lab file imported and exported again is the same
 * file, byte for byte. Refusals are validateLabDocument's.
 */
export function validateLabDocumentAsSent(input: Outside): ValidationResult {
  if (!isWith(LabDocumentSchema, input)) return validateLabDocument(input);
  const queued = pendingProblem(input);
  return queued ? { ok: false, ...queued } : { ok: true, doc: input };
}

type BootValidationResult = { ok: true; doc: BootDocument } | { ok: false; path: string; message: string };

/**
 * Checks a saved lab's head (lab-parts.ts joinStoredParts): everything but the components'
 * own documents, which their units check as they join them. Same paths and messages as
 * validateLabDocument.
 */
export function validateStoredLab(input: Outside): BootValidationResult {
  // The input as it came (valibot's output reorders keys), as readLabValue keeps it.
  if (!isWith(BootDocumentSchema, input)) {
    const result = parseWith(BootDocumentSchema, input, { abortEarly: true });
    const { path, message } = result.success ? { path: '', message: 'not a saved lab' } : describeIssue(result.issues[0]);
    return { ok: false, path: `$${path}`, message };
  }
  const queued = pendingProblem(input);
  return queued ? { ok: false, ...queued } : { ok: true, doc: input };
}

/** What the lab itself queues: the boot messages of a new lab (build-lab.ts). */
const LAB_QUEUED_KINDS = new Set(['bus-start', 'vsfwd-boot']);

/**
 * Only what a running lab can have queued: messages between its own components (and the lab's
 * boot messages), due within a year of the clock. A request from the lab (a REST
 * call, "appliance down") is answered before a snapshot is taken, so one found here was planted
 * and would run unseen later.
 */
function pendingProblem(doc: Pick<LabDocument, 'pending' | 'clock' | 'nextSeq'> & { components: Record<string, unknown> }): { path: string; message: string } | undefined {
  for (const [i, p] of doc.pending.entries()) {
    const at = `$.pending[${i}]`;
    if (p.at > doc.clock + PENDING_HORIZON_MS) return { path: `${at}.at`, message: 'a queued message must be due within a year of the lab clock' };
    if (p.seq >= doc.nextSeq) return { path: `${at}.seq`, message: 'a queued message must have a sequence number below nextSeq' };
    const fromLab = p.env.from === 'lab' && LAB_QUEUED_KINDS.has(p.env.kind) && p.env.requestId === undefined;
    if (!fromLab && !(p.env.from in doc.components)) return { path: `${at}.env.from`, message: `queued messages come from the lab's components; "${p.env.from}" '${p.env.kind}' is not one the lab queues` };
    if (!(p.env.to in doc.components)) return { path: `${at}.env.to`, message: `queued messages go to the lab's components; "${p.env.to}" is not one` };
  }
  return undefined;
}
