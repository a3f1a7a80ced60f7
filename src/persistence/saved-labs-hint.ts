/**
 * Whether this browser has saved a lab, kept in localStorage (read synchronously): a first
 * visit, with nothing to load, need not wait for IndexedDB to open before it shows the
 * classroom lab. The database stays the truth: a hint that is missing while labs are saved
 * (saved by a version that kept no hint) only costs that visit the classroom lab it first showed.
 */
const KEY = 'dfw-lab.has-saved-labs';

export function hasSavedLabs(): boolean {
  try {
    return localStorage.getItem(KEY) !== null;
  } catch {
    return true; // unknown: look in the database first, as before
  }
}

export function rememberSavedLabs(saved: boolean): void {
  try {
    if (saved) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: the next visit reads the database first.
  }
}
