/**
 * Reads a lab file for import in a worker of its own: a 4 MB lab's parse, validation and split
 * stay off the page, and so do its parts: the worker keeps them until the page says where they
 * go, then writes them to IndexedDB itself (LabStore in this worker, one transaction as ever).
 */
import * as Comlink from 'comlink';
import type { LabSummary } from './db';
import { LabStore } from './lab-store';
import { type PrepareResult, prepareLabText, type PreparedLab } from './prepared-lab';

/** What the page learns of a read file: its name and format, or why it was refused. */
export type ReadImport = { ok: true; name: string; format: string; migratedFrom?: number } | Extract<PrepareResult, { ok: false }>;

let prepared: PreparedLab | null = null;

/** The prepared lab, once: a worker stores what it read one time. */
function take(): PreparedLab {
  const lab = prepared;
  if (!lab) throw new Error('this import was stored already, or never read');
  prepared = null;
  return lab;
}

async function withStore<T>(db: string, write: (store: LabStore) => Promise<T>): Promise<T> {
  const store = await LabStore.open(db);
  try {
    return await write(store);
  } finally {
    store.close();
  }
}

const api = {
  prepare(text: string): ReadImport {
    const read = prepareLabText(text);
    if (!read.ok) return read;
    prepared = read.lab;
    const { name, format } = read.lab;
    return read.migratedFrom === undefined ? { ok: true, name, format } : { ok: true, name, format, migratedFrom: read.migratedFrom };
  },
  create(db: string, name: string): Promise<LabSummary> {
    return withStore(db, (store) => store.create(take(), name, 'import'));
  },
  replace(db: string, id: string): Promise<LabSummary> {
    return withStore(db, (store) => store.save(id, take()));
  },
};

export type ImportWorkerApi = typeof api;

Comlink.expose(api);
