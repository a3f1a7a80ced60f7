/**
 * A unit's read of its components' parts from IndexedDB, in its own worker (StoredComponentDoc
 * `readFrom`): the page reads only the head, the event log and each component's own part, and
 * neither deserialises nor posts the megabytes of a large lab's lists. The layout is the app's
 * (src/persistence/db.ts): object store `parts`, records `{ lab, key, revision, hash, json }` keyed
 * by [lab, key]; a component's own part names its other parts (lab-parts.ts missingPartsOf).
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

/**
 * The worker's connection to each lab database, kept for the next lab it loads (a closed lab
 * gives its workers to the next one): opening one is a round trip to the browser's storage on
 * every load's path. Let go as soon as a newer version (another tab's upgrade) or a deletion
 * asks, or the browser closes it; the next read opens it again.
 */
const connections = new Map<string, Promise<IDBDatabase>>();

function connectionTo(name: string): Promise<IDBDatabase> {
  const kept = connections.get(name);
  if (kept) return kept;
  const opening = openExisting(name).then((db) => {
    const forget = () => connections.get(name) === opening && connections.delete(name);
    db.onversionchange = () => {
      db.close();
      forget();
    };
    db.onclose = forget;
    return db;
  });
  connections.set(name, opening);
  opening.catch(() => connections.delete(name));
  return opening;
}

function isReadPart(r: Partial<ReadPart> | null): r is ReadPart {
  return typeof r?.key === 'string' && typeof r.json === 'string' && typeof r.hash === 'number' && typeof r.revision === 'number';
}

/**
 * The parts each component still lacks (`lacking`, from what was read of it so far), by
 * component id: the groups, pieces and key lists its own part names, then those the key lists
 * name, each read once however many components need it. One read-only transaction, each round
 * asked in it as soon as the round before is in (it stays active in the promise jobs of its
 * requests' success), so a part saved since the page's read is refused by its revision
 * (ExecutionUnit.load). A unit whose components lack nothing opens no database. A part the
 * store does not hold (or a record that is not a part) is left out: the join names it missing.
 */
export async function readComponentParts(source: StoredPartsSource, ids: string[], lacking: (id: string, parts: readonly ReadPart[]) => string[]): Promise<Map<string, ReadPart[]>> {
  const start = performance.now();
  const out = new Map(ids.map((id) => [id, [] as ReadPart[]]));
  // Every key asked for: its part, or null when the store holds none.
  const found = new Map<string, ReadPart | null>();
  // Each component's lacking keys, asked again only once it has been given another part.
  const lacks = new Map<string, string[]>();
  let wanted = withFound(out, lacking, found, lacks);
  if (wanted.size) {
    const store = (await connectionTo(source.db)).transaction('parts', 'readonly').objectStore('parts');
    while (wanted.size) {
      const keys = [...wanted.keys()];
      const records = await Promise.all(keys.map((key) => requested<Partial<ReadPart> | null>(store.get([source.lab, key]))));
      records.forEach((record, i) => found.set(keys[i], isReadPart(record) && record.key === keys[i] ? record : null));
      wanted = withFound(out, lacking, found, lacks);
    }
  }
  // The storage bench adds each unit's read (in its worker's timeline) to the page's share of a load.
  const parts = [...found.values()].filter((p) => p !== null);
  performance.measure('dfw-lab:unit-read', { start, end: performance.now(), detail: { parts: parts.length, chars: parts.reduce((n, p) => n + p.json.length, 0) } });
  return out;
}

/**
 * Gives each component the parts it lacks that were read already (`found`; one may be a key
 * list naming more), and returns the keys not asked for yet, with the components that lack them.
 * `lacks` keeps what `lacking` answered for a component (it parses the component's own part and
 * key lists) until that component is given a part.
 */
function withFound(out: ReadonlyMap<string, ReadPart[]>, lacking: (id: string, parts: readonly ReadPart[]) => string[], found: ReadonlyMap<string, ReadPart | null>, lacks: Map<string, string[]>): Map<string, string[]> {
  for (;;) {
    const wanted = new Map<string, string[]>();
    let added = false;
    for (const [id, parts] of out) {
      let keys = lacks.get(id);
      if (!keys) lacks.set(id, (keys = lacking(id, parts)));
      for (const key of keys) {
        const part = found.get(key);
        if (part === undefined) listIn(wanted, key).push(id);
        else if (part) {
          parts.push(part);
          lacks.delete(id);
          added = true;
        }
      }
    }
    if (!added) return wanted;
  }
}
