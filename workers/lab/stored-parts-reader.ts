/**
 * A unit's read of its components' parts from IndexedDB, in its own worker (StoredComponentDoc
 * `readFrom`): the page reads only the head, the event log and each component's own part, and
 * neither deserialises nor posts the megabytes of a large lab's lists. The layout is the app's
 * (src/persistence/db.ts): object store `parts`, records `{ lab, key, revision, hash, json }` keyed
 * by [lab, key]; a component's groups are the keys under `component/<id>/`.
 */
import type { StoredPartsSource } from './lab-format';

/** One stored part as the unit needs it. */
interface ReadPart {
  key: string;
  json: string;
  hash: number;
  revision: number;
}

function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openExisting(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    // No database by that name: the lab's storage is gone.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`the lab database ${name} is gone`));
  });
}

function isReadPart(r: Partial<ReadPart> | null): r is ReadPart {
  return typeof r?.key === 'string' && typeof r.json === 'string' && typeof r.hash === 'number' && typeof r.revision === 'number';
}

/** Runs `read` over the lab database's parts in one read-only transaction, the database closed after. */
async function inParts<T>(source: StoredPartsSource, read: (store: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await openExisting(source.db);
  try {
    // Closed at once, so a newer version's upgrade in another tab is never held up by a unit.
    db.onversionchange = () => db.close();
    return await read(db.transaction('parts', 'readonly').objectStore('parts'));
  } finally {
    db.close();
  }
}

/** The storage bench adds each unit's read (in its worker's timeline) to the page's share of a load. */
function measureRead(start: number, parts: readonly ReadPart[]): void {
  performance.measure('dfw-lab:unit-read', { start, end: performance.now(), detail: { parts: parts.length, chars: parts.reduce((n, p) => n + p.json.length, 0) } });
}

/**
 * The parts under each component's own part (its groups, pieces and key lists), by component id,
 * read in one transaction. Records that are not parts are left out (the join then finds them missing).
 */
export async function readComponentParts(source: StoredPartsSource, ids: string[]): Promise<Map<string, ReadPart[]>> {
  const start = performance.now();
  const out = await inParts(source, async (store) => {
    const reads = ids.map((id) => {
      const base = `component/${encodeURIComponent(id)}/`;
      return requested(store.getAll(IDBKeyRange.bound([source.lab, base], [source.lab, `${base}\uffff`])));
    });
    const out = new Map<string, ReadPart[]>();
    (await Promise.all(reads)).forEach((records, i) => out.set(ids[i], records.filter(isReadPart)));
    return out;
  });
  measureRead(start, [...out.values()].flat());
  return out;
}

/** The parts stored under `keys` (the shared groups the components reference), in one transaction; a key not stored is left out (the join then finds it missing). */
export async function readParts(source: StoredPartsSource, keys: readonly string[]): Promise<ReadPart[]> {
  if (!keys.length) return [];
  const start = performance.now();
  const parts = await inParts(source, async (store) => (await Promise.all(keys.map((key) => requested(store.get([source.lab, key]))))).filter(isReadPart));
  measureRead(start, parts);
  return parts;
}
