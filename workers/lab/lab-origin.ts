/**
 * Where a lab's history starts: the classroom preset (seed and name) it was booted from, read
 * from the history a saved lab carries, or found by comparing a fresh document with the preset.
 */
import type { LabDocument } from './lab-document';
import { CLASSROOM, buildLab } from './presets/build-lab';

export function originOf(doc: LabDocument): { seed: number; name: string } | null {
  if (doc.history) return { seed: doc.history.seed, name: doc.history.name };
  return JSON.stringify(doc) === JSON.stringify(buildLab(CLASSROOM, doc.seed, doc.name)) ? { seed: doc.seed, name: doc.name } : null;
}
