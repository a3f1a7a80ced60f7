/**
 * Reading and writing lab documents as text: the `.json` export, the import, and what a
 * stored lab goes through on load. Everything untrusted is migrated, then validated; a refusal
 * names the JSON path of the first problem.
 */
import { type LabDocument, validateLabDocumentAsSent } from '../../workers/lab/lab-document';
import { LAB_MIGRATIONS, type MigrationRegistry, migrateLab } from './migrations';
import type { Outside } from '../../workers/protocol/outside';

/**
 * A document read here carries a hidden, read-only reference to itself. The screen may keep it
 * in reactive state (a Svelte `$state` proxy) while it asks the learner what to do; serialising
 * that proxy walks every field through the proxy's traps (0.5 s for a 10k-rule lab instead of
 * 20 ms). A Proxy must answer a non-writable, non-configurable property with its real value, so
 * plainDocument() finds the plain object again through any such wrapper.
 */
const PLAIN = Symbol('dfw-lab/plain-document');

/** A document read here: itself under PLAIN (absent on one made by the lab). */
type MarkedDocument = LabDocument & { readonly [PLAIN]?: LabDocument };

function markPlain(doc: LabDocument): LabDocument {
  if (Object.isExtensible(doc) && !Object.prototype.hasOwnProperty.call(doc, PLAIN)) Object.defineProperty(doc, PLAIN, { value: doc });
  return doc;
}

/** The plain document behind a possibly wrapped one (see PLAIN); the document itself otherwise. */
export function plainDocument(doc: LabDocument): LabDocument {
  return (doc as MarkedDocument)[PLAIN] ?? doc;
}

export type LabReadResult = { ok: true; doc: LabDocument; migratedFrom?: number } | { ok: false; path: string; message: string };

/** Migrates and validates a parsed value. */
export function readLabValue(value: Outside, registry: MigrationRegistry = LAB_MIGRATIONS): LabReadResult {
  const migrated = migrateLab(value, registry);
  if (!migrated.ok) return migrated;
  // Kept as it came (valibot's output reorders keys): an exported lab imported again then
  // exports byte for byte the same, so files can be diffed and shared.
  const checked = validateLabDocumentAsSent(migrated.doc);
  if (!checked.ok) return checked;
  const doc = markPlain(checked.doc);
  return migrated.applied.length ? { ok: true, doc, migratedFrom: migrated.from } : { ok: true, doc };
}

/** Parses, migrates and validates the text of a lab file. */
export function readLabText(text: string, registry: MigrationRegistry = LAB_MIGRATIONS): LabReadResult {
  let value: Outside;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, path: '$', message: `this file is not valid JSON (${(err as Error).message})` };
  }
  return readLabValue(value, registry);
}

/** One sentence for the screen: what is wrong and where. */
export function describeRefusal(r: { path: string; message: string }): string {
  return `${r.message} (at ${r.path})`;
}

/** The export: indented so a learner can read it, with a trailing newline like any text file. */
export function labToText(doc: LabDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A file name from the lab name: lower case, dashes, no characters file systems dislike. */
export function labFileName(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'lab'}.dfw-lab.json`;
}
