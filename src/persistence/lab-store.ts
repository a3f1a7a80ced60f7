/**
 * The saved labs. Every write of a lab puts its summary and its document in one IndexedDB
 * transaction, so a crash or a closed tab mid-save leaves the previous version whole: both
 * records commit together or neither does.
 */
import type { LabDocument } from '../../workers/lab/lab-document';
import { type LabDB, type LabSummary, openLabDB } from './db';
import { KeyValueStore } from './key-value-store';
import { type LabReadResult, plainDocument, readLabValue } from './lab-file';
import type { MigrationRegistry } from './migrations';

export class LabNotFoundError extends Error {
  constructor(id: string) {
    super(`there is no saved lab ${id}`);
    this.name = 'LabNotFoundError';
  }
}

type WriteTx = { abort(): void; done: Promise<void> };

/**
 * Runs the writes of one transaction and waits for its commit. A write that throws before
 * its request is even queued (bad key, uncloneable value) aborts the whole transaction, so
 * the writes queued before it are rolled back instead of committing alone.
 */
async function commit(tx: WriteTx, writes: (() => Promise<unknown>)[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const write of writes) {
      const request = write();
      request.catch(() => undefined); // reported through tx.done; an aborted sibling must not go unhandled
      pending.push(request);
    }
  } catch (err) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw err;
  }
  await Promise.all([...pending, tx.done]);
}

/** Save and load are marked so DevTools and the storage bench see their cost. */
function measured<T>(label: string, work: () => Promise<T>, bytes: (result: T) => number): Promise<T> {
  const start = performance.now();
  return work().then((result) => {
    performance.measure(label, { start, end: performance.now(), detail: { bytes: bytes(result) } });
    return result;
  });
}

export class LabStore {
  readonly settings: KeyValueStore;
  readonly progress: KeyValueStore;

  private constructor(
    readonly db: LabDB,
    private readonly registry?: MigrationRegistry,
  ) {
    this.settings = new KeyValueStore(db, 'settings');
    this.progress = new KeyValueStore(db, 'progress');
  }

  static async open(name?: string, registry?: MigrationRegistry): Promise<LabStore> {
    return new LabStore(await openLabDB(name), registry);
  }

  close(): void {
    this.db.close();
  }

  /** Most recently changed first. */
  async list(): Promise<LabSummary[]> {
    const all = await this.db.getAllFromIndex('labs', 'byUpdated');
    return all.reverse();
  }

  summary(id: string): Promise<LabSummary | undefined> {
    return this.db.get('labs', id);
  }

  /** Stores a new lab under a fresh id. The document's name is replaced by `name`. */
  async create(doc: LabDocument, name: string, origin: LabSummary['origin']): Promise<LabSummary> {
    doc = plainDocument(doc);
    const now = Date.now();
    const summary: LabSummary = { id: crypto.randomUUID(), name, format: doc.format, revision: 0, createdAt: now, updatedAt: now, size: 0, origin };
    return measured('dfw-lab:save', () => this.write(summary, { ...doc, name }), (s) => s.size);
  }

  /**
   * Replaces a lab's document, keeping its id and its current name (a rename that landed
   * while the snapshot was taken wins). Atomic with the summary.
   */
  save(id: string, doc: LabDocument): Promise<LabSummary> {
    return measured('dfw-lab:save', async () => {
      doc = plainDocument(doc);
      let json = JSON.stringify(doc);
      const tx = this.db.transaction(['labs', 'documents'], 'readwrite');
      const labs = tx.objectStore('labs');
      const previous = await labs.get(id);
      if (!previous) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new LabNotFoundError(id);
      }
      if (previous.name !== doc.name) json = JSON.stringify({ ...doc, name: previous.name });
      const summary = { ...previous, format: doc.format, revision: previous.revision + 1, updatedAt: Date.now(), size: json.length };
      // Both writes are queued before the first await: the transaction cannot be left half done.
      await commit(tx, [() => tx.objectStore('documents').put({ id, revision: summary.revision, json }), () => labs.put(summary)]);
      return summary;
    }, (s) => s.size);
  }

  /** Reads, migrates and validates a stored lab. */
  load(id: string): Promise<{ summary: LabSummary; read: LabReadResult }> {
    return measured('dfw-lab:load', async () => {
      const tx = this.db.transaction(['labs', 'documents']);
      const [summary, stored] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('documents').get(id)]);
      if (!summary || !stored) throw new LabNotFoundError(id);
      let value: unknown;
      try {
        value = JSON.parse(stored.json);
      } catch (err) {
        return { summary, read: { ok: false, path: '$', message: `the saved lab is damaged (${(err as Error).message})` } };
      }
      return { summary, read: readLabValue(value, this.registry) };
    }, (r) => r.summary.size);
  }

  async rename(id: string, name: string): Promise<LabSummary> {
    const tx = this.db.transaction(['labs', 'documents'], 'readwrite');
    const [summary, stored] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('documents').get(id)]);
    if (!summary || !stored) throw new LabNotFoundError(id);
    const json = JSON.stringify({ ...JSON.parse(stored.json), name });
    const next = { ...summary, name, revision: summary.revision + 1, updatedAt: Date.now(), size: json.length };
    await commit(tx, [() => tx.objectStore('documents').put({ id, revision: next.revision, json }), () => tx.objectStore('labs').put(next)]);
    return next;
  }

  async duplicate(id: string, name: string): Promise<LabSummary> {
    const tx = this.db.transaction(['labs', 'documents'], 'readwrite');
    const [summary, stored] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('documents').get(id)]);
    if (!summary || !stored) throw new LabNotFoundError(id);
    const json = JSON.stringify({ ...JSON.parse(stored.json), name });
    const now = Date.now();
    const copy: LabSummary = { ...summary, id: crypto.randomUUID(), name, revision: 0, createdAt: now, updatedAt: now, size: json.length, origin: 'copy' };
    await commit(tx, [() => tx.objectStore('documents').put({ id: copy.id, revision: 0, json }), () => tx.objectStore('labs').put(copy)]);
    return copy;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['labs', 'documents'], 'readwrite');
    await commit(tx, [() => tx.objectStore('documents').delete(id), () => tx.objectStore('labs').delete(id)]);
  }

  /** The stored JSON as it is, for export of a lab that is not open. */
  async storedJson(id: string): Promise<string> {
    const stored = await this.db.get('documents', id);
    if (!stored) throw new LabNotFoundError(id);
    return stored.json;
  }

  /** A name not yet used: `name`, else `name (2)`, `name (3)`… */
  async freeName(name: string): Promise<string> {
    const taken = new Set((await this.list()).map((l) => l.name));
    if (!taken.has(name)) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`)) return `${name} (${i})`;
  }

  private async write(summary: LabSummary, doc: LabDocument): Promise<LabSummary> {
    const json = JSON.stringify(doc);
    const next = { ...summary, size: json.length };
    const tx = this.db.transaction(['labs', 'documents'], 'readwrite');
    await commit(tx, [() => tx.objectStore('documents').put({ id: next.id, revision: next.revision, json }), () => tx.objectStore('labs').put(next)]);
    return next;
  }
}
