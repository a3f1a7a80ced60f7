/**
 * The IndexedDB database: lab summaries and lab documents in separate stores (the list
 * never reads a document), plus key/value stores for scenario progress and settings.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export const DB_NAME = 'dfw-lab';
const DB_VERSION = 1;

export interface LabSummary {
  id: string;
  name: string;
  /** The format of the stored document, e.g. `dfw-lab/lab@1`. */
  format: string;
  /** Bumped by every write; the summary and its document always carry the same revision. */
  revision: number;
  createdAt: number;
  updatedAt: number;
  /** Size of the stored JSON, in UTF-16 code units (close to bytes for this ASCII text). */
  size: number;
  origin: 'preset' | 'import' | 'copy';
}

export interface StoredLab {
  id: string;
  revision: number;
  /** The lab document as JSON text: one cheap clone for IndexedDB, and exactly what export writes. */
  json: string;
}

export interface DfwLabDB extends DBSchema {
  labs: { key: string; value: LabSummary; indexes: { byUpdated: number } };
  documents: { key: string; value: StoredLab };
  progress: { key: string; value: unknown };
  settings: { key: string; value: unknown };
}

export type LabDB = IDBPDatabase<DfwLabDB>;

export function openLabDB(name = DB_NAME): Promise<LabDB> {
  return openDB<DfwLabDB>(name, DB_VERSION, {
    upgrade(db) {
      const labs = db.createObjectStore('labs', { keyPath: 'id' });
      labs.createIndex('byUpdated', 'updatedAt');
      db.createObjectStore('documents', { keyPath: 'id' });
      db.createObjectStore('progress');
      db.createObjectStore('settings');
    },
  });
}
