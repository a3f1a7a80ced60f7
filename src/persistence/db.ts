/**
 * The IndexedDB database: lab summaries and lab documents in separate stores (the list
 * never reads a document), plus key/value stores for scenario progress and settings.
 * Version 2 stores a document as parts (workers/lab/lab-parts.ts), one record each, so a save
 * writes only the parts that changed; `documents` keeps labs saved by version 1 as one JSON
 * text until their next save turns them into parts. Version 3 indexes the parts a page reads to
 * open a lab (byPage), so it gets them in one request.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Outside } from '../../workers/protocol/outside';

export const DB_NAME = 'dfw-lab';
const DB_VERSION = 3;

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

interface StoredLab {
  id: string;
  revision: number;
  /** The lab document as JSON text: one cheap clone for IndexedDB, and exactly what export writes. */
  json: string;
}

/** One part of a stored lab document. */
export interface StoredPart {
  lab: string;
  key: string;
  /** The summary's revision when this part was last written. */
  revision: number;
  hash: number;
  json: string;
  /**
   * The key again on the parts a page reads to open the lab (the head, the event chunks, each
   * component's own part and its key lists), so the byPage index holds just those; absent on the
   * lab's shared groups and pieces, and on parts saved before version 3 (read one by one then;
   * key lists saved before they were indexed are read by the units).
   */
  page?: string;
}

export interface DfwLabDB extends DBSchema {
  labs: { key: string; value: LabSummary; indexes: { byUpdated: number } };
  /** Version 1's whole documents (read, and removed by the lab's next save). */
  documents: { key: string; value: StoredLab };
  parts: { key: [string, string]; value: StoredPart; indexes: { byPage: [string, string] } };
  progress: { key: string; value: Outside };
  settings: { key: string; value: Outside };
}

export type LabDB = IDBPDatabase<DfwLabDB>;

/** Every part of one lab: keys [lab, *] (in the parts store, or in its byPage index). */
export function partsOf(lab: string): IDBKeyRange {
  return IDBKeyRange.bound([lab, ''], [lab, '\uffff']);
}

/** Why a newer DFW Lab cannot open its storage: an older one in another tab still holds it. */
export class StorageHeldError extends Error {
  constructor() {
    super('another tab is running an older DFW Lab and holds its storage (close that tab, then reload this one)');
    this.name = 'StorageHeldError';
  }
}

/**
 * Opens the database at this version. An older tab that keeps it open would leave the upgrade
 * waiting for ever, so a blocked open fails at once (the workspace then runs the lab unsaved and
 * says why), and this tab lets go of its connection when a newer version asks for it.
 */
export function openLabDB(name = DB_NAME): Promise<LabDB> {
  return new Promise((resolve, reject) => {
    let refused = false;
    const opening = openDB<DfwLabDB>(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, transaction) {
        if (oldVersion < 1) {
          const labs = db.createObjectStore('labs', { keyPath: 'id' });
          labs.createIndex('byUpdated', 'updatedAt');
          db.createObjectStore('documents', { keyPath: 'id' });
          db.createObjectStore('progress');
          db.createObjectStore('settings');
        }
        if (oldVersion < 2) db.createObjectStore('parts', { keyPath: ['lab', 'key'] });
        // Sparse: a record without `page` is not in it.
        if (oldVersion < 3) transaction.objectStore('parts').createIndex('byPage', ['lab', 'page']);
      },
      blocked() {
        refused = true;
        reject(new StorageHeldError());
      },
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
      },
    });
    opening.then(
      (db) => (refused ? db.close() : resolve(db)),
      (err) => reject(err),
    );
  });
}
