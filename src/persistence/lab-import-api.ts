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

/** One import: a file read once, stored at most once. */
export function importWorkerApi() {
  let prepared: PreparedLab | null = null;
  /** The worker's connection to the page's database, opened while the file is read (prepare), so the save does not wait for it. */
  let opened: { db: string; store: Promise<LabStore> } | null = null;
  /** The prepared lab, once: what was read is stored one time. */
  const take = (): PreparedLab => {
    const lab = prepared;
    if (!lab) throw new Error('this import was stored already, or never read');
    prepared = null;
    return lab;
  };
  /** Writes through the connection opened for `db` (else a new one), and closes it: one write an import. */
  const withStore = async <T>(db: string, write: (store: LabStore) => Promise<T>): Promise<T> => {
    const connection = opened?.db === db ? opened.store : LabStore.open(db);
    opened = null;
    const store = await connection;
    try {
      return await write(store);
    } finally {
      store.close();
    }
  };
  return {
    /** Reads the file; `db`, the database it will be stored in, is opened meanwhile. */
    prepare(text: string, db?: string): ReadImport {
      // Asked before the read, answered after it: the open runs in the browser while this worker parses.
      if (db !== undefined) {
        const store = LabStore.open(db);
        store.catch(() => undefined); // an open that failed fails the write that uses it
        opened = { db, store };
      }
      const read = prepareLabText(text);
      if (!read.ok) {
        void opened?.store.then((s) => s.close(), () => undefined);
        opened = null;
        return read;
      }
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
