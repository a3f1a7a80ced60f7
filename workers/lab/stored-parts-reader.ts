/**
 * A unit's read of its components' parts from IndexedDB, in its own worker (StoredComponentDoc
 * `readFrom`): the page reads only the head, the event log and each component's own part, and
 * neither deserialises nor posts the megabytes of a large lab's lists. The layout is the app's
 * (src/persistence/db.ts): object store `parts`, records `{ lab, key, revision, hash, json }` keyed
 * by [lab, key]; a component's groups are the keys under `component/<id>/`.
 */
import { listIn } from './list-in';
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

/**
 * The parts under each component's own part (its groups, pieces and key lists), then the
 * shared groups (lab-parts.ts isSharedPart) that `shared` finds those name, each read once
 * however many components name it: by component id. Records that are not parts are left out
 * (the join then finds them missing).
 */
export async function readComponentParts(source: StoredPartsSource, ids: string[], shared: (id: string, parts: readonly ReadPart[]) => string[]): Promise<Map<string, ReadPart[]>> {
  const start = performance.now();
  const db = await openExisting(source.db);
  try {
    // Closed at once, so a newer version's upgrade in another tab is never held up by a unit.
    db.onversionchange = () => db.close();
    const store = () => db.transaction('parts', 'readonly').objectStore('parts');
    const own = store();
    const reads = ids.map((id) => {
      const base = `component/${encodeURIComponent(id)}/`;
      return requested(own.getAll(IDBKeyRange.bound([source.lab, base], [source.lab, `${base}\uffff`])));
    });
    const out = new Map<string, ReadPart[]>();
    (await Promise.all(reads)).forEach((records, i) => out.set(ids[i], records.filter(isReadPart)));
    // A second transaction: a part saved since the page's read is refused by its revision (ExecutionUnit.load).
    const named = new Map<string, string[]>();
    for (const [id, parts] of out) for (const key of shared(id, parts)) listIn(named, key).push(id);
    if (named.size) {
      const groups = store();
      const records = await Promise.all([...named.keys()].map((key) => requested(groups.get([source.lab, key]))));
      for (const record of records) if (isReadPart(record)) for (const id of named.get(record.key)!) out.get(id)!.push(record);
    }
    // The storage bench adds each unit's read (in its worker's timeline) to the page's share of a load.
    const parts = [...new Set([...out.values()].flat())];
    performance.measure('dfw-lab:unit-read', { start, end: performance.now(), detail: { parts: parts.length, chars: parts.reduce((n, p) => n + p.json.length, 0) } });
    return out;
  } finally {
    db.close();
  }
}
