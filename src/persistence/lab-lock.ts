/**
 * One tab edits a lab at a time (Web Locks). The lock is held for as long as the tab has
 * the lab open; a second tab sees it taken and opens the lab read-only instead of letting
 * two autosaves overwrite each other.
 */
const PREFIX = 'dfw-lab:lab:';

export interface LabLock {
  readonly owned: boolean;
  release(): void;
}

export async function claimLab(id: string): Promise<LabLock> {
  const locks = navigator.locks;
  if (!locks) return { owned: true, release() {} }; // no Web Locks (very old browser): editing as before
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const owned = await new Promise<boolean>((resolve) => {
    locks
      .request(PREFIX + id, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock ? held : undefined;
      })
      .catch(() => resolve(true));
  });
  return { owned, release };
}

/** Resolves when no other tab holds the lab any more (without keeping the lock). */
export function whenLabFree(id: string, signal: AbortSignal): Promise<void> {
  const locks = navigator.locks;
  if (!locks) return new Promise(() => {});
  return locks.request(PREFIX + id, { signal }, () => undefined).then(() => undefined);
}

/** Ids of labs another tab (or this one) holds open. */
export async function heldLabs(): Promise<Set<string>> {
  const state = await navigator.locks?.query();
  return new Set((state?.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith(PREFIX)).map((n) => n.slice(PREFIX.length)));
}
