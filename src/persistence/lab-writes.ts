/**
 * A lab's writes as IndexedDB transactions, each one whole: the parts that changed, the removal
 * of those it no longer has and its summary commit together or not at all, so a crash or a
 * closed tab mid-save leaves the previous version whole. They run on any connection: the page's
 * (LabStore), or the lab writer worker's (lab-writer.ts), which takes an autosave off the page.
 */
import { LAB_FORMAT } from '../../workers/lab/lab-document';
import { isSharedPart, type PartChanges, type PartRef } from '../../workers/lab/lab-storage';
import { type LabDB, type LabSummary, partsOf, type StoredPart } from './db';

export class LabNotFoundError extends Error {
  constructor(id: string) {
    super(`there is no saved lab ${id}`);
    this.name = 'LabNotFoundError';
  }
}

/** A save sent a part as unchanged that the store does not hold (another writer, or a lost cache). */
export class StalePartsError extends Error {
  constructor(id: string, key: string) {
    super(`lab ${id}: part ${key} was sent as unchanged but is not stored`);
    this.name = 'StalePartsError';
  }
}

type WriteTx = { abort(): void; done: Promise<void> };

/**
 * Every write transaction's options: committed once the browser has written it, without waiting
 * for the disk to flush it. All of a transaction still commits or none of it does (a crashed tab
 * leaves the previous version whole); only an OS crash or power cut could lose the last saves.
 */
export const WRITE: IDBTransactionOptions = { durability: 'relaxed' };

/**
 * Runs the writes of one transaction and waits for its commit. A write that throws before
 * its request is even queued (bad key, uncloneable value) aborts the whole transaction, so
 * the writes queued before it are rolled back instead of committing alone.
 */
export async function commit(tx: WriteTx, writes: (() => Promise<unknown>)[]): Promise<void> {
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

/**
 * The calling thread's own time in an asynchronous job: performance.now() around each of its
 * synchronous slices (the time between them is IndexedDB's and the workers').
 */
export class Slices {
  ms = 0;
  run<T>(slice: () => T): T {
    const start = performance.now();
    try {
      return slice();
    } finally {
      this.ms += performance.now() - start;
    }
  }
}

/**
 * Writes what changed in an open lab (Lab.changedParts): the changed parts, the removal of those
 * it no longer has and the summary, in one transaction, without reading what is stored.
 */
export async function writeChanges(db: LabDB, id: string, changes: PartChanges, slices = new Slices()): Promise<LabSummary> {
  const { tx, read } = slices.run(() => {
    const tx = db.transaction(['labs', 'parts'], 'readwrite', WRITE);
    return { tx, read: tx.objectStore('labs').get(id) };
  });
  const previous = await read;
  if (!previous) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new LabNotFoundError(id);
  }
  if (!changes.put.length && !changes.drop.length && previous.format === LAB_FORMAT) {
    await tx.done;
    return previous;
  }
  const { summary, committed } = slices.run(() => {
    const summary = { ...previous, format: LAB_FORMAT, revision: previous.revision + 1, updatedAt: Date.now(), size: changes.size };
    const store = tx.objectStore('parts');
    // Every write is queued before the next await: the transaction cannot be left half done.
    const committed = commit(tx, [
      ...changes.put.map((p) => () => store.put(record(summary, p))),
      ...changes.drop.map((k) => () => store.delete([id, k])),
      () => tx.objectStore('labs').put(summary),
    ]);
    return { summary, committed };
  });
  await committed;
  return summary;
}

/**
 * Writes a lab from all its parts (JSON for those that changed): parts it no longer has are
 * removed, in one transaction with the summary. `written` is false when nothing changed (nothing
 * was written). Throws StalePartsError when a part it did not send is not stored.
 */
export async function writeParts(db: LabDB, id: string, parts: PartRef[], format: string, slices = new Slices()): Promise<{ summary: LabSummary; written: boolean }> {
  const { tx, reads } = slices.run(() => {
    const tx = db.transaction(['labs', 'parts', 'documents'], 'readwrite', WRITE);
    return { tx, reads: Promise.all([tx.objectStore('labs').get(id), tx.objectStore('parts').getAllKeys(partsOf(id)), tx.objectStore('documents').getKey(id)]) };
  });
  const [previous, stored, legacy] = await reads;
  const abort = async (err: Error) => {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw err;
  };
  if (!previous) return abort(new LabNotFoundError(id));
  const plan = slices.run(() => {
    const storedKeys = new Set(stored.map(([, key]) => key));
    const missing = parts.find((p) => p.json === undefined && !storedKeys.has(p.key));
    if (missing) return { missing };
    const keep = new Set(parts.map((p) => p.key));
    const changed = parts.filter((p) => p.json !== undefined);
    const gone = [...storedKeys].filter((k) => !keep.has(k));
    if (!changed.length && !gone.length && legacy === undefined && previous.format === format) return { unchanged: true as const };
    const summary = { ...previous, format, revision: previous.revision + 1, updatedAt: Date.now(), size: totalSize(parts) };
    const store = tx.objectStore('parts');
    // Every write is queued before the next await: the transaction cannot be left half done.
    const committed = commit(tx, [
      ...changed.map((p) => () => store.put(record(summary, p))),
      ...gone.map((k) => () => store.delete([id, k])),
      ...(legacy !== undefined ? [() => tx.objectStore('documents').delete(id)] : []),
      () => tx.objectStore('labs').put(summary),
    ]);
    return { summary, committed };
  });
  if ('missing' in plan) return abort(new StalePartsError(id, plan.missing!.key));
  if ('unchanged' in plan) {
    await tx.done;
    return { summary: previous, written: false };
  }
  await plan.committed;
  return { summary: plan.summary, written: true };
}

export function totalSize(parts: PartRef[]): number {
  return parts.reduce((n, p) => n + p.size, 0);
}

export function record(summary: LabSummary, p: PartRef): StoredPart {
  const stored = { lab: summary.id, key: p.key, revision: summary.revision, hash: p.hash, json: p.json! };
  return readByPage(p.key) ? { ...stored, page: p.key } : stored;
}

/**
 * Whether the page reads this part to open its lab (LabStore.open): the head, an event chunk, a
 * component's own part and its key lists (component/<id>/…, small); not the lab's shared groups
 * and pieces, which the units read.
 */
function readByPage(key: string): boolean {
  return !isSharedPart(key);
}
