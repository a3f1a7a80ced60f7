/**
 * What the import worker (lab-import.worker.ts) does, apart from its Comlink wiring: reads a lab
 * file, keeps the parts it split, and writes them to IndexedDB itself once the page says where
 * (a new lab, or a replace), through its own LabStore connection: one transaction, as ever.
 */
import type { LabSummary } from './db';
import { LabStore } from './lab-store';
import { type PrepareResult, prepareLabText, type PreparedLab } from './prepared-lab';

/** What the page learns of a read file: its name and format, or why it was refused. */
export type ReadImport = { ok: true; name: string; format: string; migratedFrom?: number } | Extract<PrepareResult, { ok: false }>;

async function withStore<T>(db: string, write: (store: LabStore) => Promise<T>): Promise<T> {
  const store = await LabStore.open(db);
  try {
    return await write(store);
  } finally {
    store.close();
  }
}

/** One import: a file read once, stored at most once. */
export function importWorkerApi() {
  let prepared: PreparedLab | null = null;
  /** The prepared lab, once: what was read is stored one time. */
  const take = (): PreparedLab => {
    const lab = prepared;
    if (!lab) throw new Error('this import was stored already, or never read');
    prepared = null;
    return lab;
  };
  return {
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
}

export type ImportWorkerApi = ReturnType<typeof importWorkerApi>;
