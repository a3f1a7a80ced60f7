/**
 * The lab writer: a lab's save run in a worker of its own (lab-writer.worker.ts) through its own
 * connection, one transaction as ever (lab-writes.ts). IndexedDB serialises what it stores in the
 * thread that puts it: an autosave's 150-200 kB of changed parts cost the page several ms that way,
 * and a fraction of that handed to the worker as one message. Started at the first save, not
 * with the page.
 */
import * as Comlink from 'comlink';
import type { PartChanges, PartRef } from '../../workers/lab/lab-storage';
import { type LabDB, type LabSummary, openLabDB } from './db';
import { LabNotFoundError, StalePartsError, writeChanges, writeParts } from './lab-writes';

/** What the writer does, in its worker (or in place, in a test). */
export function labWriterApi() {
  const connections = new Map<string, Promise<LabDB>>();
  /** One connection a database, kept: a newer version asking for the database closes it (db.ts). */
  const connection = (name: string): Promise<LabDB> => {
    let db = connections.get(name);
    if (!db) {
      db = openLabDB(name);
      connections.set(name, db);
      db.catch(() => connections.delete(name)); // the next save tries again
    }
    return db;
  };
  return {
    async saveChanges(db: string, id: string, changes: PartChanges): Promise<LabSummary> {
      return writeChanges(await connection(db), id, changes);
    },
    async saveParts(db: string, id: string, parts: PartRef[], format: string): Promise<{ summary: LabSummary; written: boolean }> {
      return writeParts(await connection(db), id, parts, format);
    },
  };
}

export type LabWriter = ReturnType<typeof labWriterApi> & { close(): void };

/**
 * Comlink brings an error back as an Error with the thrown one's name and message: the store's
 * own errors get their classes back, so a caller tells them apart as it did in place.
 */
function withClass(err: Error): never {
  if (err instanceof Error && err.name === 'StalePartsError') Object.setPrototypeOf(err, StalePartsError.prototype);
  if (err instanceof Error && err.name === 'LabNotFoundError') Object.setPrototypeOf(err, LabNotFoundError.prototype);
  throw err;
}

/** The writer behind a Comlink endpoint (its worker's); `close` lets it go. */
export function remoteLabWriter(endpoint: Comlink.Endpoint, close: () => void): LabWriter {
  const remote = Comlink.wrap<ReturnType<typeof labWriterApi>>(endpoint);
  return {
    saveChanges: (db, id, changes) => remote.saveChanges(db, id, changes).catch(withClass),
    saveParts: (db, id, parts, format) => remote.saveParts(db, id, parts, format).catch(withClass),
    close() {
      remote[Comlink.releaseProxy]();
      close();
    },
  };
}

/** The writer in a worker of its own, where there are Web Workers; else none (the store writes in place). */
export function startLabWriter(): LabWriter | undefined {
  if (typeof Worker === 'undefined') return undefined;
  const worker = new Worker(new URL('./lab-writer.worker.ts', import.meta.url), { type: 'module', name: 'dfw-lab-writer' });
  return remoteLabWriter(worker, () => worker.terminate());
}
