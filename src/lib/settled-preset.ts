/**
 * Lab documents that are the classroom preset after its boot waves (virtual:settled-classroom,
 * booted as the first lab instead of the bare preset). Their replay is the preset's with one
 * leading `advance 0`, so a compact share link still works for them.
 */
import type { LabDocument } from '../../workers/lab/lab-document';

const settled = new WeakSet<LabDocument>();

export function markSettledPreset(doc: LabDocument): LabDocument {
  settled.add(doc);
  return doc;
}

export function isSettledPreset(doc: LabDocument): boolean {
  return settled.has(doc);
}
