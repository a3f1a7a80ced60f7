/**
 * The last lab's first view: what the first screen shows of the open lab (its name and vCenter's
 * inventory), kept in localStorage when a save changed vCenter (else only a marker of the saved
 * revision is written). A saved lab's vCenter is stored as
 * parts its worker joins, so without this a reload shows nothing until the workers answer; with
 * it, the screens show this view as soon as the saved lab is read (the same id and revision), and
 * the lab's own inventory replaces it once its units answer (`LabSession.live`).
 */
import * as v from 'valibot';
import { InventorySchema } from '../../workers/protocol/inventory-schema';
import type { Inventory } from '../../workers/protocol/inventory';

const KEY = 'dfw-lab.first-view';
/**
 * A later revision of the same lab whose inventory is the kept one (its vCenter did not change):
 * only this small marker is written, not the inventory again.
 */
const CURRENT_KEY = 'dfw-lab.first-view.current';
/** A larger inventory (a lab of hundreds of VMs) is not kept: localStorage is small and read on the page's thread. */
export const MAX_FIRST_VIEW_CHARS = 256 * 1024;

export interface FirstView {
  labId: string;
  /** The saved lab's revision (LabSummary.revision) this view was taken at. */
  revision: number;
  name: string;
  /** The lab's clock the header shows. */
  clock: number;
  inventory: Inventory;
}

const FirstViewSchema = v.object({ labId: v.string(), revision: v.number(), name: v.string(), clock: v.number(), inventory: InventorySchema });

/** The revision, name and clock of a later save that the kept inventory still shows. */
type FirstViewCurrent = Omit<FirstView, 'inventory'>;
const CurrentSchema = v.object({ labId: v.string(), revision: v.number(), name: v.string(), clock: v.number() });

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): Store | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // blocked
  }
}

/** Keeps `view` for the next load (or forgets the last one when it is too large to keep). */
export function keepFirstView(view: FirstView, store: Store | null = storage()): void {
  if (!store) return;
  try {
    const text = JSON.stringify(view);
    store.removeItem(CURRENT_KEY);
    if (text.length > MAX_FIRST_VIEW_CHARS) store.removeItem(KEY);
    else store.setItem(KEY, text);
  } catch {
    // Storage full or blocked: the next load waits for the lab's workers, as before.
  }
}

/**
 * Says the kept view still shows lab `current.labId` at a later revision (its inventory did not
 * change): a few bytes, where keepFirstView would serialise the whole inventory again.
 */
export function markFirstViewCurrent(current: FirstViewCurrent, store: Store | null = storage()): void {
  try {
    store?.setItem(CURRENT_KEY, JSON.stringify(current));
  } catch {
    // Storage full or blocked: the kept view's own revision no longer matches, and is not shown.
  }
}

function currentMark(store: Store | null): FirstViewCurrent | null {
  try {
    const text = store?.getItem(CURRENT_KEY) ?? null;
    if (text === null) return null;
    const read = v.safeParse(CurrentSchema, JSON.parse(text));
    return read.success ? read.output : null;
  } catch {
    return null;
  }
}

/** The kept view if it shows revision `revision` of lab `labId`; any other (or a damaged one) is null. */
export function firstViewOf(labId: string, revision: number, store: Store | null = storage()): FirstView | null {
  const view = keptFirstView(store);
  if (!view || view.labId !== labId) return null;
  if (view.revision === revision) return view;
  const current = currentMark(store);
  return current && current.labId === labId && current.revision === revision ? { ...view, ...current } : null;
}

/** Whatever view is kept, checked; a damaged entry is dropped. */
export function keptFirstView(store: Store | null = storage()): FirstView | null {
  let text: string | null;
  try {
    text = store?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const read = v.safeParse(FirstViewSchema, JSON.parse(text));
    if (read.success) return read.output as FirstView;
  } catch {
    // not JSON: dropped below
  }
  forgetFirstView(store);
  return null;
}

export function forgetFirstView(store: Store | null = storage()): void {
  try {
    store?.removeItem(KEY);
    store?.removeItem(CURRENT_KEY);
  } catch {
    // nothing kept
  }
}
