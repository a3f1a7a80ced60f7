/**
 * The screens' unpublished edits (working copies) of a lab whose save had not finished when the
 * page went away. A save needs the workers' parts and an IndexedDB transaction; a flush started
 * on `pagehide` dies with the page and its workers, so an edit made just before a reload was
 * lost. localStorage is written synchronously: the copies are kept here when the page hides,
 * put back into the lab when it is opened again, and forgotten once a save has stored them.
 */
const PREFIX = 'dfw-lab.unsaved-copies.';

export function keepUnsavedCopies(labId: string, copies: Record<string, unknown>): void {
  try {
    localStorage.setItem(PREFIX + labId, JSON.stringify(copies));
  } catch {
    // Storage full or blocked: the IndexedDB flush is still tried.
  }
}

/** The copies kept for `labId`, or null; a damaged entry is dropped (the saved lab stands). */
export function unsavedCopies(labId: string): Record<string, unknown> | null {
  let text: string | null;
  try {
    text = localStorage.getItem(PREFIX + labId);
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  forgetUnsavedCopies(labId);
  return null;
}

export function forgetUnsavedCopies(labId: string): void {
  try {
    localStorage.removeItem(PREFIX + labId);
  } catch {
    // nothing kept
  }
}
