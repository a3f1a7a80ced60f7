/**
 * Reads a lab file for import in a short-lived worker (lab-import.worker.ts) that keeps the parts
 * it split and, once the learner has chosen (a new lab, or replacing one), writes them to
 * IndexedDB itself: the 4 MB of a large lab never cross to the page, and the page's share of the
 * save is one message. Where there are no Web Workers (unit tests) it reads and writes in place.
 */
import * as Comlink from 'comlink';
import type { LabSummary } from './db';
import type { LabStore } from './lab-store';
import { type PrepareResult, prepareLabText, type PreparedLab } from './prepared-lab';
import type { ImportWorkerApi, ReadImport } from './lab-import-api';

/**
 * A lab file read and checked, not yet stored. Stored once (create or replace), or discarded;
 * either ends its worker.
 */
export interface ImportedLab {
  /** The name and format the file's document has. */
  readonly name: string;
  readonly format: string;
  /** Stores it as a new lab named `name`. */
  create(store: LabStore, name: string): Promise<LabSummary>;
  /** Replaces the stored lab `id`'s document with it (the lab keeps its id and name). */
  replace(store: LabStore, id: string): Promise<LabSummary>;
  /** Lets it go unstored (the learner cancelled). */
  discard(): void;
}

type ImportResult = { ok: true; lab: ImportedLab; migratedFrom?: number } | Extract<PrepareResult, { ok: false }>;

/** Read and stored in this thread (no Web Workers). */
class InPlaceImport implements ImportedLab {
  readonly name: string;
  readonly format: string;
  constructor(private readonly prepared: PreparedLab) {
    this.name = prepared.name;
    this.format = prepared.format;
  }
  create(store: LabStore, name: string): Promise<LabSummary> {
    return store.create(this.prepared, name, 'import');
  }
  replace(store: LabStore, id: string): Promise<LabSummary> {
    return store.save(id, this.prepared);
  }
  discard(): void {}
}

/**
 * Kept in its worker until stored. The page marks the save (dfw-lab:save, as LabStore does) from
 * its request to the worker's commit: the whole write, though none of it runs on the page.
 */
class WorkerImport implements ImportedLab {
  constructor(
    readonly name: string,
    readonly format: string,
    private readonly remote: Comlink.Remote<ImportWorkerApi>,
    private readonly worker: Worker,
  ) {}
  async create(store: LabStore, name: string): Promise<LabSummary> {
    return this.written(() => this.remote.create(store.db.name, name));
  }
  async replace(store: LabStore, id: string): Promise<LabSummary> {
    try {
      return await this.written(() => this.remote.replace(store.db.name, id));
    } finally {
      // Written by another connection: what the page's store remembered of this lab's parts is stale.
      store.forget(id);
    }
  }
  discard(): void {
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
  private async written(write: () => Promise<LabSummary>): Promise<LabSummary> {
    const start = performance.now();
    try {
      const summary = await write();
      performance.measure('dfw-lab:save', { start, end: performance.now(), detail: { bytes: summary.size, inWorker: true } });
      return summary;
    } finally {
      this.discard();
    }
  }
}

/** Reads a lab file for import; `db`, the database it will be stored in, which its worker opens while it reads. */
export async function prepareImport(text: string, db?: string): Promise<ImportResult> {
  if (typeof Worker === 'undefined') {
    const read = prepareLabText(text);
    if (!read.ok) return read;
    return { ...read, lab: new InPlaceImport(read.lab) };
  }
  const start = performance.now();
  const worker = new Worker(new URL('./lab-import.worker.ts', import.meta.url), { type: 'module', name: 'dfw-lab-import' });
  const remote = Comlink.wrap<ImportWorkerApi>(worker);
  let read: ReadImport;
  try {
    read = await remote.prepare(text, db);
  } catch (err) {
    remote[Comlink.releaseProxy]();
    worker.terminate();
    throw err;
  } finally {
    // The storage bench prints the import's read beside its save.
    performance.measure('dfw-lab:import-read', { start, end: performance.now(), detail: { bytes: text.length } });
  }
  if (!read.ok) {
    remote[Comlink.releaseProxy]();
    worker.terminate();
    return read;
  }
  const lab = new WorkerImport(read.name, read.format, remote, worker);
  return read.migratedFrom === undefined ? { ok: true, lab } : { ok: true, lab, migratedFrom: read.migratedFrom };
}
