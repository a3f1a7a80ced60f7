/**
 * A lab file read for import off the page: parsed, migrated, validated and split into the parts
 * IndexedDB stores (lab-parts.ts), so the page only writes them (LabStore.create / save).
 */
import { documentParts, type PartRef } from '../../workers/lab/lab-document';
import { type LabReadResult, plainDocument, readLabText } from './lab-file';
import * as v from 'valibot';
import { isWith, type Outside } from '../../workers/protocol/outside';

export interface PreparedLab {
  /** The name and format the file's document has. */
  name: string;
  format: string;
  /** Every part of the document, each with its JSON. */
  parts: PartRef[];
}

export type PrepareResult = { ok: true; lab: PreparedLab; migratedFrom?: number } | Extract<LabReadResult, { ok: false }>;

const PreparedShape = v.looseObject({ parts: v.array(v.unknown()) });

/** What the import worker posted back: a prepared lab has its parts (the rest is the worker's own making). */
export function isPreparedLab(value: Outside): value is PreparedLab {
  return isWith(PreparedShape, value);
}

/** Reads a lab file and splits it into parts (what the import worker runs). */
export function prepareLabText(text: string): PrepareResult {
  const read = readLabText(text);
  if (!read.ok) return read;
  const doc = plainDocument(read.doc);
  const lab = { name: doc.name, format: doc.format, parts: documentParts(doc) };
  return read.migratedFrom === undefined ? { ok: true, lab } : { ok: true, lab, migratedFrom: read.migratedFrom };
}
