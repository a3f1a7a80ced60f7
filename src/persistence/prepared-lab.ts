/**
 * A lab file read for import off the page: parsed, migrated, validated and split into the parts
 * IndexedDB stores (lab-parts.ts), so the page only writes them (LabStore.create / save).
 */
import { documentParts, type PartRef } from '../../workers/lab/lab-document';
import { type LabReadResult, plainDocument, readLabText } from './lab-file';

export interface PreparedLab {
  /** The name and format the file's document has. */
  name: string;
  format: string;
  /** Every part of the document, each with its JSON. */
  parts: PartRef[];
}

export type PrepareResult = { ok: true; lab: PreparedLab; migratedFrom?: number } | Extract<LabReadResult, { ok: false }>;

export function isPreparedLab(value: unknown): value is PreparedLab {
  return typeof value === 'object' && value !== null && Array.isArray((value as PreparedLab).parts);
}

/** Reads a lab file and splits it into parts (what the import worker runs). */
export function prepareLabText(text: string): PrepareResult {
  const read = readLabText(text);
  if (!read.ok) return read;
  const doc = plainDocument(read.doc);
  const lab = { name: doc.name, format: doc.format, parts: documentParts(doc) };
  return read.migratedFrom === undefined ? { ok: true, lab } : { ok: true, lab, migratedFrom: read.migratedFrom };
}
