/**
 * Saved configurations ("drafts"). Every publish auto-saves a copy (preserve=false). Limits as
 * the NSX-V API documents them: at most 100 saved, at most 90 of them auto-saved, and the
 * oldest non-preserved are purged first. (The source document's "50 versions" is not found in
 * any NSX source; we follow the spec's 100.)
 */
import { ApiError } from '../errors';
import type { SavedConfiguration } from '../types';

export const MAX_SAVED = 100;
export const MAX_AUTOSAVED = 90;

const isAutoUnpreserved = (d: SavedConfiguration) => d.mode === 'autosaved' && !d.preserve;

/**
 * Adds a saved configuration and purges as needed; returns the new list. Throws when the
 * limit cannot be met because everything else is preserved (and the new one is too).
 */
export function addSaved(list: SavedConfiguration[], draft: SavedConfiguration): SavedConfiguration[] {
  const next = [...list, draft];
  const purgeOldest = (pred: (d: SavedConfiguration) => boolean): boolean => {
    const victim = next
      .filter(pred)
      .sort((a, b) => a.timestamp - b.timestamp || a.id - b.id)[0];
    if (!victim) return false;
    next.splice(next.indexOf(victim), 1);
    return true;
  };
  while (next.filter(isAutoUnpreserved).length > MAX_AUTOSAVED) purgeOldest(isAutoUnpreserved);
  while (next.length > MAX_SAVED) {
    if (!purgeOldest((d) => !d.preserve)) {
      throw new ApiError('badRequest', `Cannot save: ${MAX_SAVED} configurations are saved and all are preserved; delete one first`);
    }
  }
  return next;
}

export function findSaved(list: SavedConfiguration[], id: number): SavedConfiguration {
  const d = list.find((x) => x.id === id);
  if (!d) throw new ApiError('notFound', `Saved configuration ${id} not found`);
  return d;
}
