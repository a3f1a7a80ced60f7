/**
 * The saved labs. Every write of a lab puts its summary and the parts of its document that
 * changed (workers/lab/lab-parts.ts) in one IndexedDB transaction (lab-writes.ts), so a crash or
 * a closed tab mid-save leaves the previous version whole: all records commit together or none
 * does. A page's store saves an open lab through the lab writer's worker (lab-writer.ts).
 */
import { type BootDocument, LAB_FORMAT, type LabDocument, validateStoredLab } from '../../workers/lab/lab-document';
import { componentKey, componentOfPart, documentParts, eventsKey, HEAD_KEY, isComponentPart, joinParts, joinStoredParts, type KnownParts, type PartChanges, type PartRef } from '../../workers/lab/lab-storage';
import type { IDBPObjectStore } from 'idb';
import { type DfwLabDB, type LabDB, type LabSummary, openLabDB, partsOf, type StoredPart } from './db';
import { KeyValueStore } from './key-value-store';
import { formatOf, type Outside } from '../../workers/protocol/outside';
import { type LabReadResult, plainDocument, readLabValue } from './lab-file';
import type { MigrationRegistry } from './migrations';
import { isPreparedLab, type PreparedLab } from './prepared-lab';
import { commit, LabNotFoundError, record, Slices, totalSize, WRITE, writeChanges, writeParts } from './lab-writes';
import type { LabWriter } from './lab-writer';

export { LabNotFoundError, StalePartsError } from './lab-writes';

/** Save and load are marked so DevTools and the storage bench see their cost (a save of changes adds `mainMs`: the store's own main-thread slices). */
function measured<T>(label: string, work: (slices: Slices) => Promise<T>, bytes: (result: T) => number, written?: () => { parts: number; bytes: number }, start = performance.now()): Promise<T> {
  const slices = new Slices();
  return work(slices).then((result) => {
    performance.measure(label, { start, end: performance.now(), detail: { bytes: bytes(result), ...(written ? { written: written(), mainMs: slices.ms } : {}) } });
    return result;
  });
}

export class LabStore {
  readonly settings: KeyValueStore;
  readonly progress: KeyValueStore;
  /** Part hashes of the labs this store has loaded or saved, by lab id. */
  private readonly known = new Map<string, Map<string, number>>();

  /** The lab writer, once the first save of an open lab started it (startWriter). */
  private writer: LabWriter | undefined;

  private constructor(
    readonly db: LabDB,
    private readonly registry?: MigrationRegistry,
    private readonly startWriter?: () => LabWriter | undefined,
  ) {
    this.settings = new KeyValueStore(db, 'settings');
    this.progress = new KeyValueStore(db, 'progress');
  }

  /** `startWriter`: where saves of a lab (save, saveParts, saveChanges) run off this thread (lab-writer.ts); else here. */
  static async open(name?: string, registry?: MigrationRegistry, startWriter?: () => LabWriter | undefined): Promise<LabStore> {
    return new LabStore(await openLabDB(name), registry, startWriter);
  }

  close(): void {
    this.db.close();
    this.writer?.close();
    this.writer = undefined;
  }

  /** Most recently changed first. */
  async list(): Promise<LabSummary[]> {
    const all = await this.db.getAllFromIndex('labs', 'byUpdated');
    return all.reverse();
  }

  summary(id: string): Promise<LabSummary | undefined> {
    return this.db.get('labs', id);
  }

  /** Stores a new lab under a fresh id. The document's name is replaced by `name`. An import's parts come split already (prepared-lab.ts). */
  create(doc: LabDocument | PreparedLab, name: string, origin: LabSummary['origin']): Promise<LabSummary> {
    return measured('dfw-lab:save', async () => {
      const parts = isPreparedLab(doc) ? doc.parts : documentParts(plainDocument(doc));
      const now = Date.now();
      const summary: LabSummary = { id: crypto.randomUUID(), name, format: doc.format, revision: 0, createdAt: now, updatedAt: now, size: totalSize(parts), origin };
      const tx = this.db.transaction(['labs', 'parts'], 'readwrite', WRITE);
      const store = tx.objectStore('parts');
      await commit(tx, [...parts.map((p) => () => store.put(record(summary, p))), () => tx.objectStore('labs').put(summary)]);
      this.remember(summary.id, parts);
      return summary;
    }, (s) => s.size);
  }

  /**
   * Replaces a lab's document, keeping its id and its current name (a rename that landed
   * while the snapshot was taken wins). Atomic with the summary; writes only the parts that differ.
   */
  save(id: string, doc: LabDocument | PreparedLab): Promise<LabSummary> {
    const known = this.known.get(id);
    const parts = isPreparedLab(doc) ? doc.parts.map((p) => (known?.get(p.key) === p.hash ? { key: p.key, hash: p.hash, size: p.size } : p)) : documentParts(plainDocument(doc), known);
    return measured('dfw-lab:save', () => this.writeParts(id, parts, doc.format), (s) => s.size);
  }

  /**
   * Saves a lab from its parts (Lab.snapshotParts with this lab's `knownParts`): every part the
   * document has, JSON for those that changed. Parts it no longer has are removed, all in one
   * transaction with the summary. Nothing changed: nothing is written.
   * Throws StalePartsError when a part it did not send is not stored (then send them all).
   * `since`: when the save began (its snapshot), for the measure.
   */
  saveParts(id: string, parts: PartRef[], since = performance.now()): Promise<LabSummary> {
    const changed = parts.filter((p) => p.json !== undefined);
    const written = () => ({ parts: changed.length, bytes: storedChars(changed) });
    return measured('dfw-lab:save-changes', (slices) => this.writeParts(id, parts, LAB_FORMAT, slices), (s) => s.size, written, since);
  }

  /**
   * Saves what changed in the open lab (Lab.changedParts against this lab's `knownParts`): the
   * changed parts, the removal of those it no longer has and the summary, in one transaction,
   * without reading what is stored. `since`: when the save began (its snapshot), for the measure.
   */
  saveChanges(id: string, changes: PartChanges, since = performance.now()): Promise<LabSummary> {
    const written = () => ({ parts: changes.put.length, bytes: storedChars(changes.put) });
    return measured('dfw-lab:save-changes', (slices) => this.writeChanges(id, changes, slices), (s) => s.size, written, since);
  }

  /** Forgets what it remembered of a lab's parts: another connection (the import's worker) wrote them. */
  forget(id: string): void {
    this.known.delete(id);
  }

  /** What the store holds of a lab it has loaded or saved in this session: part key → hash. */
  knownParts(id: string): KnownParts | undefined {
    return this.known.get(id);
  }

  /**
   * Reads a stored lab to boot it: the head and the event log are parsed and checked here; each
   * component stays as the JSON of its parts (StoredComponentDoc), which the unit that runs it
   * joins and checks in its own worker (a damaged one fails the boot with its path). A lab in
   * an older format is read whole and migrated, as load() does.
   */
  open(id: string, { unitsRead = false }: { unitsRead?: boolean } = {}): Promise<{ summary: LabSummary; read: { ok: true; doc: BootDocument; migratedFrom?: number } | { ok: false; path: string; message: string } }> {
    return measured('dfw-lab:load', async () => {
      const tx = this.db.transaction(['labs', 'parts', 'documents']);
      const [summary, records, legacy] = await Promise.all([tx.objectStore('labs').get(id), unitsRead ? this.ownRecords(tx.objectStore('parts'), id) : tx.objectStore('parts').getAll(partsOf(id)), tx.objectStore('documents').get(id)]);
      if (!summary || (!records.length && !legacy)) throw new LabNotFoundError(id);
      if (!records.length) return { summary, read: this.readWhole(id, summary, records, legacy) };
      let value: Outside;
      const hashes = new Map(records.map((r) => [r.key, r.hash]));
      try {
        const readFrom = unitsRead ? { db: this.db.name, lab: id, revision: summary.revision } : undefined;
        value = joinStoredParts(new Map(records.map((r) => [r.key, r.json])), summary.name, hashes, readFrom);
      } catch (err) {
        return { summary, read: { ok: false, path: '$', message: `the saved lab is damaged (${(err as Error).message})` } };
      }
      // Another format: read whole, to be migrated (or refused with the reason) as a file is.
      if (formatOf(value) !== LAB_FORMAT) {
        const all = unitsRead ? await this.db.getAll('parts', partsOf(id)) : records;
        return { summary, read: this.readWhole(id, summary, all, legacy) };
      }
      const read = validateStoredLab(value);
      if (read.ok) this.known.set(id, hashes);
      return { summary, read };
    }, (r) => r.summary.size);
  }

  /**
   * The records the page reads when the units read their components' other parts themselves
   * (open with `unitsRead`): the head, the event log's chunks and each component's own part, in
   * the caller's transaction, and the components' key lists the index holds (a few kB: each unit
   * then asks for all its groups at once, not for its key lists first). A lab this version saved
   * has them all in the byPage index: one request. Those saved before it are read one by one
   * (their key lists by the units). None when the lab has no head (a lab saved by version 1).
   */
  private async ownRecords(parts: IDBPObjectStore<DfwLabDB, ('labs' | 'parts' | 'documents')[], 'parts'>, id: string): Promise<StoredPart[]> {
    const indexed = new Map((await parts.index('byPage').getAll(partsOf(id))).map((r) => [r.key, r]));
    const head = indexed.get(HEAD_KEY) ?? (await parts.get([id, HEAD_KEY]));
    if (!head) return [];
    const { ids, chunks } = headListing(head.json);
    // The chunks the head counts from the index when it has them all (it cannot hold more chunks than records), else by their range.
    const chunkKeys = chunks <= indexed.size ? Array.from({ length: chunks }, (_, c) => eventsKey(c)) : null;
    const events = chunkKeys?.every((k) => indexed.has(k)) ? chunkKeys.map((k) => indexed.get(k)!) : parts.getAll(IDBKeyRange.bound([id, 'events/'], [id, 'events/\uffff']));
    const owns = Promise.all(ids.map((c) => indexed.get(componentKey(c)) ?? parts.get([id, componentKey(c)])));
    const [chunkRecords, ownRecords] = await Promise.all([events, owns]);
    const keyLists = [...indexed.values()].filter((r) => isComponentPart(r.key) && r.key !== componentKey(componentOfPart(r.key)));
    return [head, ...chunkRecords, ...ownRecords.filter((r): r is StoredPart => r !== undefined), ...keyLists];
  }

  /** Reads, migrates and validates a stored lab, whole (export, tests; open() boots without it). */
  load(id: string): Promise<{ summary: LabSummary; read: LabReadResult }> {
    return measured('dfw-lab:load-whole', async () => {
      const tx = this.db.transaction(['labs', 'parts', 'documents']);
      const [summary, records, legacy] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('parts').getAll(partsOf(id)), tx.objectStore('documents').get(id)]);
      if (!summary || (!records.length && !legacy)) throw new LabNotFoundError(id);
      return { summary, read: this.readWhole(id, summary, records, legacy) };
    }, (r) => r.summary.size);
  }

  private readWhole(id: string, summary: LabSummary, records: StoredPart[], legacy: { json: string } | undefined): LabReadResult {
    let value: Outside;
    try {
      if (records.length) {
        value = joinParts(new Map(records.map((r) => [r.key, r.json])), summary.name);
        this.known.set(id, new Map(records.map((r) => [r.key, r.hash])));
      } else {
        value = { ...JSON.parse(legacy!.json), name: summary.name };
        this.known.delete(id);
      }
    } catch (err) {
      return { ok: false, path: '$', message: `the saved lab is damaged (${(err as Error).message})` };
    }
    return readLabValue(value, this.registry);
  }

  async rename(id: string, name: string): Promise<LabSummary> {
    // The name lives in the summary only (parts leave it out), so a rename writes one record.
    const tx = this.db.transaction('labs', 'readwrite', WRITE);
    const summary = await tx.store.get(id);
    if (!summary) throw new LabNotFoundError(id);
    const next = { ...summary, name, revision: summary.revision + 1, updatedAt: Date.now() };
    await commit(tx, [() => tx.store.put(next)]);
    return next;
  }

  async duplicate(id: string, name: string): Promise<LabSummary> {
    const tx = this.db.transaction(['labs', 'parts', 'documents'], 'readwrite', WRITE);
    const [summary, records, legacy] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('parts').getAll(partsOf(id)), tx.objectStore('documents').get(id)]);
    if (!summary || (!records.length && !legacy)) throw new LabNotFoundError(id);
    const now = Date.now();
    const copy: LabSummary = { ...summary, id: crypto.randomUUID(), name, revision: 0, createdAt: now, updatedAt: now, origin: 'copy' };
    const writes = records.length
      ? records.map((r) => () => tx.objectStore('parts').put({ ...r, lab: copy.id, revision: 0 }))
      : [() => tx.objectStore('documents').put({ id: copy.id, revision: 0, json: legacy!.json })];
    await commit(tx, [...writes, () => tx.objectStore('labs').put(copy)]);
    return copy;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['labs', 'parts', 'documents'], 'readwrite', WRITE);
    await commit(tx, [() => tx.objectStore('parts').delete(partsOf(id)), () => tx.objectStore('documents').delete(id), () => tx.objectStore('labs').delete(id)]);
    this.known.delete(id);
  }

  /** The stored document as JSON text (its parts joined, named as the lab is), for export of a lab that is not open. */
  async storedJson(id: string): Promise<string> {
    const tx = this.db.transaction(['labs', 'parts', 'documents']);
    const [summary, records, legacy] = await Promise.all([tx.objectStore('labs').get(id), tx.objectStore('parts').getAll(partsOf(id)), tx.objectStore('documents').get(id)]);
    if (!summary || (!records.length && !legacy)) throw new LabNotFoundError(id);
    if (!records.length) return JSON.stringify({ ...JSON.parse(legacy!.json), name: summary.name });
    return JSON.stringify(joinParts(new Map(records.map((r) => [r.key, r.json])), summary.name));
  }

  /** A name not yet used: `name`, else `name (2)`, `name (3)`… */
  async freeName(name: string): Promise<string> {
    const taken = new Set((await this.list()).map((l) => l.name));
    if (!taken.has(name)) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`)) return `${name} (${i})`;
  }

  /** Remembers what is stored of a lab after a commit (for the next save's `known`). */
  private remember(id: string, parts: PartRef[]): void {
    this.known.set(id, new Map(parts.map((p) => [p.key, p.hash])));
  }

  /** The lab writer, started at the first save that needs it; none where the store writes in place. */
  private writerNow(): LabWriter | undefined {
    this.writer ??= this.startWriter?.();
    return this.writer;
  }

  private async writeChanges(id: string, changes: PartChanges, slices: Slices): Promise<LabSummary> {
    const writer = this.writerNow();
    // Handed to the writer: this thread's share is the message's copy of the parts.
    const summary = await (writer ? slices.run(() => writer.saveChanges(this.db.name, id, changes)) : writeChanges(this.db, id, changes, slices));
    slices.run(() => {
      const known = this.known.get(id) ?? new Map<string, number>();
      for (const p of changes.put) known.set(p.key, p.hash);
      for (const k of changes.drop) known.delete(k);
      this.known.set(id, known);
    });
    return summary;
  }

  private async writeParts(id: string, parts: PartRef[], format: string, slices = new Slices()): Promise<LabSummary> {
    const writer = this.writerNow();
    const { summary, written } = await (writer ? slices.run(() => writer.saveParts(this.db.name, id, parts, format)) : writeParts(this.db, id, parts, format, slices));
    if (written) slices.run(() => this.remember(id, parts));
    return summary;
  }

}

/** The components and the number of event chunks a head part lists; none where it is damaged (the join then says so). */
function headListing(json: string): { ids: string[]; chunks: number } {
  let head: { components?: string[]; events?: number } | null;
  try {
    head = JSON.parse(json) as typeof head;
  } catch {
    return { ids: [], chunks: 0 };
  }
  // Checked before use: the stored head may say anything.
  const ids = Array.isArray(head?.components) ? head.components.filter((c): c is string => typeof c === 'string') : [];
  const chunks = typeof head?.events === 'number' && Number.isSafeInteger(head.events) && head.events > 0 ? head.events : 0;
  return { ids, chunks };
}

/** The characters a save writes: its parts' stored text (a list's group packed, smaller than its size as JSON). */
function storedChars(parts: PartRef[]): number {
  return parts.reduce((n, p) => n + (p.json?.length ?? 0), 0);
}
