/**
 * Share links: `#/s/1/<base64url(deflate-raw(JSON))>` of a scenario, a lab snapshot, or a lab
 * as the preset plus the actions it ran (replay-link.ts, far shorter).
 * A link is data only. Decoding is bounded (link length, inflated size), the JSON is validated
 * by the same schemas as files, and narrative text may not carry raw HTML, script or outside
 * URLs. A refused link says why and changes nothing.
 */
import * as v from 'valibot';
import { validateLabDocument, type LabDocument } from '../../workers/lab/lab-document';
import { validateScenario, type Scenario } from '../../workers/scenario/schema';
import { labFromReplay, readReplay, type Replay, REPLAY_FORMAT } from './replay-link';
import { formatOf, isWith, parseWith, type Outside } from '../../workers/protocol/outside';

const SHARE_VERSION = 1;
export const SHARE_PREFIX = `#/s/${SHARE_VERSION}/`;
/** Longest link text accepted (characters after the prefix). */
export const MAX_LINK_CHARS = 1_500_000;
/** Largest JSON a link may inflate to. */
export const MAX_JSON_BYTES = 8_000_000;

/**
 * Where a link opens: the screen (a hash route of the app, never a share link), the lesson and
 * its step (0-based); `answerKey` says the instructor shared the solutions on purpose.
 */
const WhereSchema = v.strictObject({
  route: v.optional(v.pipe(v.string(), v.maxLength(200), v.regex(/^\/(?!s\/)[A-Za-z0-9/_.-]*$/, 'route is an app path such as /nsx/firewall'))),
  lesson: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,80}$/, 'lesson is a scenario id'))),
  step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99))),
  answerKey: v.optional(v.boolean()),
});
export type Where = v.InferOutput<typeof WhereSchema>;

/** A link that says where it opens wraps its item: `{ format: 'dfw-lab/share@1', item, at }`. */
const SHARE_ENVELOPE = 'dfw-lab/share@1';

/** A link to a place in a scenario or lab: the item, and where it opens (checked on its own, WhereSchema). */
const EnvelopeSchema = v.looseObject({ format: v.literal(SHARE_ENVELOPE), item: v.unknown(), at: v.optional(v.unknown()) });

export type Shared = { kind: 'scenario'; scenario: Scenario } | { kind: 'lab'; lab: LabDocument };
export type DecodeResult = ({ ok: true; at: Where } & Shared) | { ok: false; message: string };

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function pipeBytes(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  written.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The link for a scenario or a lab snapshot (hash part, starting with `#/s/1/`), opening `at` when given. */
export async function encodeShareLink(item: Scenario | LabDocument | Replay, at?: Where): Promise<string> {
  const value = at && Object.keys(at).length ? { format: SHARE_ENVELOPE, item, at } : item;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new Error(err instanceof RangeError ? 'it is nested too deeply to be written out' : `it cannot be written out (${(err as Error).message})`, { cause: err });
  }
  if (text.length > MAX_JSON_BYTES) throw new Error(`it is ${(text.length / 1e6).toFixed(1)} MB of JSON; a link holds at most ${MAX_JSON_BYTES / 1e6} MB (export it as a file instead)`);
  const packed = await pipeBytes(new TextEncoder().encode(text), new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  const link = `${SHARE_PREFIX}${toBase64Url(packed)}`;
  if (link.length > MAX_LINK_CHARS) throw new Error(`the link would have ${link.length} characters; a link holds at most ${MAX_LINK_CHARS} (export it as a file instead)`);
  return link;
}

/** Raw HTML, script and outside URLs are refused in the text a learner reads (code is shown as text, so a URL there is only a command to type). */
const HTML = /<\s*\/?\s*[a-z!?][^>]*>/i;
const OUTSIDE = /\b(?:https?|ftp|wss?|file):\/\/|\b(?:javascript|vbscript):|\bdata:[a-z]+\/[a-z]/i;
const PROTOCOL_RELATIVE = /(^|[\s("'])\/\/[a-z0-9.-]+/i;

function narrativeProblem(s: Scenario): string | null {
  const texts: [string, string][] = [['title', s.title], ['summary', s.summary]];
  for (const [i, step] of s.steps.entries()) {
    texts.push([`step ${i + 1}`, step.say]);
    for (const [j, h] of (step.hint ?? []).entries()) texts.push([`step ${i + 1} hint ${j + 1}`, h]);
  }
  for (const [where, text] of texts) {
    // Code shows XML bodies (`<rule>`) and commands (`curl http://app-sv-01a/`) as text: only prose is checked for HTML and URLs.
    const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
    if (/<\s*script/i.test(text)) return `${where} contains a script`;
    if (HTML.test(prose)) return `${where} contains raw HTML`;
    if (OUTSIDE.test(prose) || PROTOCOL_RELATIVE.test(prose)) return `${where} contains an outside URL`;
  }
  return null;
}

/** Reads a share link (full URL, hash or the part after `#/s/1/`). Never throws. */
export async function decodeShareLink(link: string): Promise<DecodeResult> {
  const hashAt = link.indexOf('#');
  const hash = hashAt >= 0 ? link.slice(hashAt) : link;
  const m = /^#\/s\/([^/]*)\/(.*)$/s.exec(hash);
  if (!m) return { ok: false, message: 'This is not a DFW Lab share link (it should start with #/s/1/).' };
  if (m[1] !== String(SHARE_VERSION)) return { ok: false, message: `This link is in share format ${m[1].slice(0, 20)}, which this version of DFW Lab cannot read (it reads format ${SHARE_VERSION}).` };
  const payload = m[2];
  if (payload.length > MAX_LINK_CHARS) return { ok: false, message: `This link is too long (${payload.length} characters; at most ${MAX_LINK_CHARS}).` };
  const bytes = fromBase64Url(payload);
  if (!bytes || bytes.length === 0) return { ok: false, message: 'This link is damaged: its data is not valid base64url.' };
  let json: Uint8Array;
  try {
    json = await pipeBytes(bytes, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, message: `This link unpacks to more than ${MAX_JSON_BYTES / 1_000_000} MB; it was refused.` };
    return { ok: false, message: 'This link is damaged: its data does not decompress.' };
  }
  let value: Outside;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return { ok: false, message: 'This link is damaged: its data is not JSON.' };
  }
  let at: Where = {};
  if (isWith(EnvelopeSchema, value)) {
    const where = parseWith(WhereSchema, value.at ?? {});
    if (!where.success) return { ok: false, message: `This link is damaged: where it opens is not valid (${where.issues[0].message}).` };
    at = where.output;
    value = value.item;
  }
  const format = formatOf(value);
  if (format?.startsWith('dfw-lab/scenario@')) {
    const r = validateScenario(value);
    if (!r.ok) return { ok: false, message: `This scenario is not valid: ${r.path}: ${r.message}` };
    const problem = narrativeProblem(r.scenario);
    if (problem) return { ok: false, message: `This scenario was refused: ${problem}. Shared scenarios are plain Markdown only.` };
    if (at.step !== undefined && at.step >= r.scenario.steps.length) return { ok: false, message: `This link opens step ${at.step + 1}, but the scenario has ${r.scenario.steps.length} steps.` };
    return { ok: true, kind: 'scenario', scenario: r.scenario, at };
  }
  if (format === REPLAY_FORMAT) {
    const read = readReplay(value);
    if (!read.ok) return { ok: false, message: `This lab link is not valid: ${read.message}` };
    let lab: LabDocument;
    try {
      lab = await labFromReplay(read.replay);
    } catch (err) {
      return { ok: false, message: `This lab link could not be replayed: ${(err as Error).message}` };
    }
    value = lab;
  }
  if (formatOf(value)?.startsWith('dfw-lab/lab@')) {
    const r = validateLabDocument(value);
    if (!r.ok) return { ok: false, message: `This lab is not valid: ${r.path}: ${r.message}` };
    if (/<\s*script/i.test(JSON.stringify(r.doc.name)) || HTML.test(r.doc.name)) return { ok: false, message: 'This lab was refused: its name contains HTML.' };
    return { ok: true, kind: 'lab', lab: r.doc, at };
  }
  return { ok: false, message: 'This link holds neither a scenario nor a lab.' };
}
