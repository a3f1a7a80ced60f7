import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabApi } from '../../workers/lab/lab-api';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabDocument } from '../../workers/lab/lab-document';
import { openDB } from 'idb';
import { LabNotFoundError, LabStore, StalePartsError } from '../../src/persistence/lab-store';
import { partsOf } from '../../src/persistence/db';
import { documentParts, HEAD_KEY } from '../../workers/lab/lab-parts';
import { defineMigrations } from '../../src/persistence/migrations';
import { describeRefusal, labToText, readLabText } from '../../src/persistence/lab-file';
import { Lab } from '../../workers/lab/lab';
import { EsxHost } from '../../workers/host/host';
import { prepareLabText } from '../../src/persistence/prepared-lab';
import { importWorkerApi } from '../../src/persistence/lab-import-api';
import { largeLab } from '../bench/large-lab';
import { inProcessTransport } from '../../workers/transports';

let store: LabStore;
let dbCount = 0;

beforeEach(async () => {
  store = await LabStore.open(`test-${++dbCount}`);
});
afterEach(() => store.close());

function changed(doc: LabDocument, clock: number): LabDocument {
  return { ...doc, clock, events: [...doc.events, { t: clock, source: 'lab', kind: 'system', severity: 'info', text: `at ${clock}` }] };
}

async function loaded(id: string): Promise<LabDocument> {
  const { read } = await store.load(id);
  if (!read.ok) throw new Error(read.message);
  return read.doc;
}

describe('lab store', () => {
  it('creates, lists, loads and saves a lab', async () => {
    const doc = buildLab();
    const made = await store.create(doc, 'My lab', 'preset');
    expect(made).toMatchObject({ name: 'My lab', format: 'dfw-lab/lab@1', revision: 0, origin: 'preset' });
    expect(await loaded(made.id)).toEqual({ ...doc, name: 'My lab' });

    const next = changed({ ...doc, name: 'My lab' }, doc.clock + 5000);
    const saved = await store.save(made.id, next);
    expect(saved.revision).toBe(1);
    expect(saved.size).toBe(documentParts(next).reduce((n, part) => n + part.size, 0));
    expect(await loaded(made.id)).toEqual(next);
    expect((await store.list()).map((l) => l.name)).toEqual(['My lab']);
  });

  it('lists the most recently changed lab first', async () => {
    const a = await store.create(buildLab(), 'A', 'preset');
    await store.create(buildLab(), 'B', 'preset');
    await new Promise((r) => setTimeout(r, 5));
    await store.save(a.id, changed(buildLab(), buildLab().clock + 1));
    expect((await store.list()).map((l) => l.name)).toEqual(['A', 'B']);
  });

  it('a save keeps a rename that landed in between', async () => {
    const made = await store.create(buildLab(), 'Before', 'preset');
    await store.rename(made.id, 'After');
    await store.save(made.id, { ...buildLab(), name: 'Before' });
    expect((await loaded(made.id)).name).toBe('After');
    expect((await store.summary(made.id))?.name).toBe('After');
  });

  it('renames, duplicates and deletes', async () => {
    const a = await store.create(buildLab(), 'A', 'preset');
    await store.rename(a.id, 'Renamed');
    const copy = await store.duplicate(a.id, 'Copy of Renamed');
    expect(copy.id).not.toBe(a.id);
    expect(copy.origin).toBe('copy');
    expect(await loaded(copy.id)).toEqual({ ...buildLab(), name: 'Copy of Renamed' });
    await store.delete(a.id);
    expect((await store.list()).map((l) => l.name)).toEqual(['Copy of Renamed']);
    await expect(store.load(a.id)).rejects.toBeInstanceOf(LabNotFoundError);
    await expect(store.save(a.id, buildLab())).rejects.toBeInstanceOf(LabNotFoundError);
  });

  it('finds a free name', async () => {
    await store.create(buildLab(), 'Lab', 'preset');
    await store.create(buildLab(), 'Lab (2)', 'preset');
    expect(await store.freeName('Lab')).toBe('Lab (3)');
    expect(await store.freeName('Other')).toBe('Other');
  });

  it('a save that fails part way leaves the previous version whole', async () => {
    const made = await store.create(buildLab(), 'Whole', 'preset');
    const before = await loaded(made.id);
    // The summary write fails after the document write was queued: the transaction must roll both back.
    const IDBStore = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (...a: unknown[]) => IDBRequest } } }).IDBObjectStore.prototype;
    const realPut = IDBStore.put;
    IDBStore.put = function (this: IDBObjectStore, ...args: unknown[]) {
      if (this.name === 'labs') throw new DOMException('storage is full', 'QuotaExceededError');
      return realPut.apply(this, args);
    };
    try {
      await expect(store.save(made.id, changed(before, before.clock + 1))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    } finally {
      IDBStore.put = realPut;
    }
    expect(await loaded(made.id)).toEqual(before);
    expect((await store.summary(made.id))?.revision).toBe(0);
    expect((await store.db.getAll('parts', partsOf(made.id))).map((p) => p.revision)).toEqual(expect.arrayContaining([0]));
    expect((await store.db.getAll('parts', partsOf(made.id))).every((p) => p.revision === 0)).toBe(true);
  });

  it('migrates a stored lab on load, and refuses a stored lab from a newer DFW Lab', async () => {
    const registry = defineMigrations([{ from: 0, to: 1, up: (d) => ({ ...d, format: 'dfw-lab/lab@1' }) }]);
    const old = await LabStore.open(`test-${++dbCount}`, registry);
    try {
      const made = await old.create(buildLab(), 'Old', 'import');
      const head = (await old.db.get('parts', [made.id, HEAD_KEY]))!;
      await old.db.put('parts', { ...head, json: head.json.replace('"dfw-lab/lab@1"', '"dfw-lab/lab@0"') });
      const { read } = await old.load(made.id);
      expect(read).toMatchObject({ ok: true, migratedFrom: 0, doc: { name: 'Old' } });
      // Opened for units that read their own parts: an older format is read whole on the page and migrated, none left for a unit.
      const opened = (await old.open(made.id, { unitsRead: true })).read;
      expect(opened).toMatchObject({ ok: true, migratedFrom: 0, doc: { name: 'Old' } });
      expect(opened.ok && Object.values(opened.doc.components).every((c) => 'state' in c && !('readFrom' in c))).toBe(true);

      await old.db.put('parts', { ...head, json: head.json.replace('"dfw-lab/lab@1"', '"dfw-lab/lab@7"') });
      expect((await old.load(made.id)).read).toMatchObject({ ok: false, path: '$.format', message: expect.stringMatching(/newer DFW Lab/) });
      await old.db.put('parts', { ...head, json: '{"format":' });
      expect((await old.load(made.id)).read).toMatchObject({ ok: false, path: '$', message: expect.stringMatching(/damaged.*head/) });
      await old.db.put('parts', head);
      await old.db.delete('parts', [made.id, 'component/fabric']);
      expect((await old.load(made.id)).read).toMatchObject({ ok: false, path: '$', message: expect.stringMatching(/damaged.*component\/fabric is missing/) });
    } finally {
      old.close();
    }
  });

  it('opens a stored lab for its units: the head checked here, each component as stored, booted to the document that was saved', async () => {
    const doc = buildLab();
    const made = await store.create(doc, 'Stored', 'preset');
    const { read } = await store.open(made.id);
    if (!read.ok) throw new Error(read.message);
    expect(Object.values(read.doc.components).every((c) => 'stored' in c && !('state' in c))).toBe(true);
    expect(Object.keys(read.doc.components)).toEqual(Object.keys(doc.components));
    const [lab, direct] = await Promise.all([Lab.boot(read.doc, inProcessTransport), Lab.boot({ ...doc, name: 'Stored' }, inProcessTransport)]);
    try {
      expect(await lab.snapshot()).toEqual(await direct.snapshot());
      // What open() read is what the next save compares with.
      expect(store.knownParts(made.id)).toEqual(new Map(documentParts(doc).map((p) => [p.key, p.hash])));
    } finally {
      lab.dispose();
      direct.dispose();
    }
  });

  it('opened for units that read their own parts: the page reads the head, the events and each own part, the units the rest', async () => {
    const doc = largeLab();
    const made = await store.create(doc, 'Units read', 'import');
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const indexGetAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    let read;
    try {
      ({ read } = await store.open(made.id, { unitsRead: true }));
      // The page's reads: the summary, the legacy document's key and one request to the byPage index, no part read by itself.
      expect(getAll).not.toHaveBeenCalled();
      expect(get.mock.calls.map(([key]) => key)).toEqual([made.id, made.id]);
      expect(indexGetAll).toHaveBeenCalledTimes(1);
      // That request reads the page's parts only: each component's own part and its key lists (NSX Manager's), no shared group.
      const indexed = (await store.db.getAllFromIndex('parts', 'byPage', partsOf(made.id))).map((r) => r.key);
      const componentKeys = (await store.db.getAllKeys('parts', partsOf(made.id))).map(([, key]) => key).filter((key) => key.startsWith('component/'));
      expect(componentKeys.filter((key) => key.startsWith('component/manager/'))).toHaveLength(1);
      expect(indexed.filter((key) => key !== HEAD_KEY && !key.startsWith('events/')).sort()).toEqual(componentKeys.sort());
    } finally {
      getAll.mockRestore();
      get.mockRestore();
      indexGetAll.mockRestore();
    }
    if (!read.ok) throw new Error(read.message);
    const manager = read.doc.components.manager as { stored: Record<string, string>; readFrom?: unknown };
    expect(Object.keys(manager.stored)).toEqual(['component/manager', expect.stringMatching(/^component\/manager\/#/)]);
    expect(manager.readFrom).toEqual({ db: store.db.name, lab: made.id, revision: 0 });
    const [lab, direct] = await Promise.all([Lab.boot(read.doc, inProcessTransport), Lab.boot({ ...doc, name: 'Units read' }, inProcessTransport)]);
    try {
      expect(JSON.stringify(await lab.snapshot())).toBe(JSON.stringify(await direct.snapshot()));
      // The units know every stored hash of their components (none sends all its parts again),
      // and a save of what changed leaves the store holding the running lab.
      const changes = (await lab.changedParts(store.knownParts(made.id)!))!;
      expect(changes).not.toBeNull();
      expect(changes.put.filter((p) => p.key.startsWith('component/vcenter'))).toEqual([]);
      await store.saveChanges(made.id, changes);
      await lab.partsStored();
      // Components no message reached keep the parts they were read from, so the stored lab boots to the running one.
      const reopened = await Lab.boot(JSON.parse(await store.storedJson(made.id)), inProcessTransport);
      try {
        expect(await reopened.snapshot()).toEqual(await lab.snapshot());
      } finally {
        reopened.dispose();
      }
    } finally {
      lab.dispose();
      direct.dispose();
    }
    // Saved again (another tab) after the page read the head: the units refuse the torn read.
    const again = await store.open(made.id, { unitsRead: true });
    if (!again.read.ok) throw new Error(again.read.message);
    const group = (await store.db.getAllKeys('parts', partsOf(made.id))).map(([, key]) => key).find((key) => key.startsWith('shared/#'))!;
    await store.db.put('parts', { ...(await store.db.get('parts', [made.id, group]))!, revision: 2 });
    await expect(Lab.boot(again.read.doc, inProcessTransport)).rejects.toThrow(/saved again while it was opened/);
  });

  it('opens for its units a lab saved before the byPage index (its parts one by one), and its next save indexes what the page reads', async () => {
    const doc = largeLab();
    const made = await store.create(doc, 'Before the index', 'import');
    // The records as version 2 wrote them: no `page`, so none is in the index.
    const records = await store.db.getAll('parts', partsOf(made.id));
    expect(records.filter((r) => r.page !== undefined).map((r) => r.key).sort()).toEqual(records.filter((r) => r.key === 'head' || r.key.startsWith('events/') || r.key.startsWith('component/')).map((r) => r.key).sort());
    for (const r of records) {
      const { page: _page, ...old } = r;
      await store.db.put('parts', old);
    }
    expect(await store.db.getAllFromIndex('parts', 'byPage', partsOf(made.id))).toEqual([]);
    const opened = await store.open(made.id, { unitsRead: true });
    if (!opened.read.ok) throw new Error(opened.read.message);
    // Its own parts only: NSX Manager's key list, not indexed, is its unit's to read.
    expect(Object.keys((opened.read.doc.components.manager as { stored: Record<string, string> }).stored)).toEqual(['component/manager']);
    const [lab, direct] = await Promise.all([Lab.boot(opened.read.doc, inProcessTransport), Lab.boot({ ...doc, name: 'Before the index' }, inProcessTransport)]);
    try {
      expect(JSON.stringify(await lab.snapshot())).toBe(JSON.stringify(await direct.snapshot()));
      // A save rewrites the head (its clock moved): indexed again, the unchanged own parts still read one by one.
      await lab.advance(1000);
      await store.saveChanges(made.id, (await lab.changedParts(store.knownParts(made.id)!))!);
      expect((await store.db.getAllFromIndex('parts', 'byPage', partsOf(made.id))).map((r) => r.key)).toContain(HEAD_KEY);
      expect((await store.open(made.id, { unitsRead: true })).read).toMatchObject({ ok: true, doc: { clock: (await lab.snapshot()).clock } });
    } finally {
      lab.dispose();
      direct.dispose();
    }
  });

  it('a lab opened from its parts saves only what changed since the last confirmed save, in one write with no read of the parts', async () => {
    // A document as a running lab writes it (a bare preset's components fill in their defaults when built).
    const first = await Lab.boot(buildLab(), inProcessTransport);
    const made = await store.create(await first.snapshot(), 'Changes', 'preset');
    first.dispose();
    const { read } = await store.open(made.id);
    if (!read.ok) throw new Error(read.message);
    const lab = await Lab.boot(read.doc, inProcessTransport);
    const api = new LabApi(lab);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const getAllKeys = vi.spyOn(IDBObjectStore.prototype, 'getAllKeys');
    try {
      // Booted from its parts, each unit knows their hashes: nothing has changed, nothing is written.
      const none = (await lab.changedParts(store.knownParts(made.id)!))!;
      expect(none).toMatchObject({ put: [], drop: [] });
      expect(await store.saveChanges(made.id, none)).toMatchObject({ revision: 0 });
      await lab.partsStored();
      await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
      const changes = (await lab.changedParts(store.knownParts(made.id)!))!;
      expect(changes.put.length).toBeGreaterThan(0);
      // vCenter got no message: nothing of it is written.
      expect(changes.put.map((p) => p.key).filter((k) => k.startsWith('component/vcenter'))).toEqual([]);
      // A save that fails is not confirmed: the next one sends the same parts again.
      expect((await lab.changedParts(store.knownParts(made.id)!))!.put.map((p) => p.key).sort()).toEqual(changes.put.map((p) => p.key).sort());
      put.mockClear();
      const saved = await store.saveChanges(made.id, changes);
      await lab.partsStored();
      expect(put).toHaveBeenCalledTimes(changes.put.length + 1); // the parts and the summary
      expect(getAllKeys).not.toHaveBeenCalled();
      expect(saved).toMatchObject({ revision: 1, size: documentParts(await lab.snapshot()).reduce((n, p) => n + p.size, 0) });
      expect(JSON.parse(await store.storedJson(made.id))).toEqual({ ...(await lab.snapshot()), name: 'Changes' });
      expect((await lab.changedParts(store.knownParts(made.id)!))!).toMatchObject({ put: [], drop: [] });
      // A goal check's dry run leaves every component as it was: the next save serialises none of
      // them again (web-sv-01a's host handled the probe) and writes only the head, whose history
      // logs the dry run's "what was due ran first".
      const [answer] = await api.dryRun((d) => d.probeAll([{ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 }]));
      expect(answer).toMatchObject({ verdict: 'dropped' }); // at web-sv-01a's host: this bare lab has published no rules yet
      const hostSnapshots = vi.spyOn(EsxHost.prototype, 'snapshot');
      try {
        const afterDryRun = (await lab.changedParts(store.knownParts(made.id)!))!;
        expect(afterDryRun.put.map((p) => p.key)).toEqual([HEAD_KEY]);
        expect(afterDryRun.drop).toEqual([]);
        expect(hostSnapshots).not.toHaveBeenCalled();
      } finally {
        hostSnapshots.mockRestore();
      }
    } finally {
      put.mockRestore();
      getAllKeys.mockRestore();
      lab.dispose();
    }
  });

  it("a stored component that fails its check, or misses a part, fails the boot in its unit with the document's path", async () => {
    const made = await store.create(largeLab(), 'Damaged', 'import');
    const own = (await store.db.get('parts', [made.id, 'component/fabric']))!;
    await store.db.put('parts', { ...own, json: own.json.replace('"rng":[', '"rng":["x",') });
    const opened = async () => {
      const { read } = await store.open(made.id);
      if (!read.ok) throw new Error(read.message);
      return Lab.boot(read.doc, inProcessTransport);
    };
    await expect(opened()).rejects.toMatchObject({ name: 'StoredComponentError', path: '$.components.fabric.rng[0]' });
    await store.db.put('parts', own);
    const group = (await store.db.getAllKeys('parts', partsOf(made.id))).map(([, key]) => key).find((key) => key.startsWith('shared/#'))!;
    await store.db.delete('parts', [made.id, group]);
    await expect(opened()).rejects.toThrow(new RegExp(`damaged \\(part ${group.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is missing\\)`));
    // The head is still checked on the page, as a file is.
    const head = (await store.db.get('parts', [made.id, HEAD_KEY]))!;
    await store.db.put('parts', { ...head, json: head.json.replace(/"clock":\d+/, '"clock":-1') });
    expect((await store.open(made.id)).read).toMatchObject({ ok: false, path: '$.clock' });
  });

  it('an import read and split off the page stores the lab the file holds, and replaces one writing only what differs', async () => {
    const doc = buildLab();
    const text = labToText({ ...doc, name: 'From a file' });
    const prepared = prepareLabText(text);
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.lab).toMatchObject({ name: 'From a file', format: 'dfw-lab/lab@1' });
    const made = await store.create(prepared.lab, 'From a file', 'import');
    expect(await store.storedJson(made.id)).toBe(JSON.stringify({ ...doc, name: 'From a file' }));
    const next = prepareLabText(labToText(changed({ ...doc, name: 'From a file' }, doc.clock + 1)));
    if (!next.ok) throw new Error(next.message);
    await store.save(made.id, next.lab);
    expect(await loaded(made.id)).toEqual(changed({ ...doc, name: 'From a file' }, doc.clock + 1));
    expect(prepareLabText('{"format": 1')).toMatchObject({ ok: false, path: '$', message: expect.stringMatching(/not valid JSON/) });
  });

  it("the import worker stores what it read through its own connection, once; the page's store reads it, and a replace keeps the lab's id and name", async () => {
    const doc = buildLab();
    const worker = importWorkerApi();
    expect(worker.prepare(labToText({ ...doc, name: 'Imported' }))).toEqual({ ok: true, name: 'Imported', format: 'dfw-lab/lab@1' });
    const made = await worker.create(store.db.name, 'Imported (2)');
    expect(made).toMatchObject({ name: 'Imported (2)', origin: 'import', revision: 0 });
    expect((await store.list()).map((l) => l.id)).toContain(made.id);
    expect(await store.storedJson(made.id)).toBe(JSON.stringify({ ...doc, name: 'Imported (2)' }));
    await expect(worker.create(store.db.name, 'Again')).rejects.toThrow(/stored already/);

    const next = changed(doc, doc.clock + 1);
    const replacing = importWorkerApi();
    // Told the database with the file, the worker opens it while it reads, and writes through that connection.
    const opens = vi.spyOn(LabStore, 'open');
    let replaced;
    try {
      expect(replacing.prepare(labToText(next), store.db.name)).toMatchObject({ ok: true });
      expect(opens).toHaveBeenCalledTimes(1);
      replaced = await replacing.replace(store.db.name, made.id);
      expect(opens).toHaveBeenCalledTimes(1);
    } finally {
      opens.mockRestore();
    }
    expect(replaced).toMatchObject({ id: made.id, name: 'Imported (2)', revision: 1 });
    expect(await loaded(made.id)).toEqual({ ...next, name: 'Imported (2)' });

    expect(importWorkerApi().prepare('{"format": 1')).toMatchObject({ ok: false, path: '$', message: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses a lab file whose manager state is broken, naming the path, and touches nothing saved', async () => {
    const made = await store.create(buildLab(), 'Kept', 'preset');
    const before = { list: await store.list(), json: await store.storedJson(made.id) };
    const broken = JSON.parse(before.json);
    broken.components.manager.state = { foo: 1 };
    const r = readLabText(labToText(broken));
    expect(r).toMatchObject({ ok: false, path: '$.components.manager.state.manager' });
    expect(r.ok ? '' : describeRefusal(r)).toBe('the field "manager" is missing (at $.components.manager.state.manager)');
    expect(await store.list()).toEqual(before.list);
    expect(await store.storedJson(made.id)).toBe(before.json);
  });

  it('opens a lab saved by version 1 (one JSON document) and turns it into parts on its next save', async () => {
    const name = `test-${++dbCount}`;
    // The database as version 1 of DFW Lab left it.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('labs', { keyPath: 'id' }).createIndex('byUpdated', 'updatedAt');
        db.createObjectStore('documents', { keyPath: 'id' });
        db.createObjectStore('progress');
        db.createObjectStore('settings');
      },
    });
    const doc = changed(buildLab(), buildLab().clock + 7);
    const json = JSON.stringify({ ...doc, name: 'Kept' });
    await v1.put('labs', { id: 'lab-1', name: 'Kept', format: doc.format, revision: 3, createdAt: 1, updatedAt: 2, size: json.length, origin: 'preset' });
    await v1.put('documents', { id: 'lab-1', revision: 3, json });
    v1.close();

    const v2 = await LabStore.open(name);
    try {
      const { read } = await v2.load('lab-1');
      if (!read.ok) throw new Error(read.message);
      expect(read.doc).toEqual({ ...doc, name: 'Kept' });
      expect(await v2.storedJson('lab-1')).toBe(json);
      const later = changed(read.doc, read.doc.clock + 1);
      const saved = await v2.save('lab-1', later);
      expect(saved.revision).toBe(4);
      expect(await v2.db.get('documents', 'lab-1')).toBeUndefined();
      expect((await v2.db.getAll('parts', partsOf('lab-1'))).length).toBeGreaterThan(3);
      const again = await v2.load('lab-1');
      expect(again.read).toEqual({ ok: true, doc: later });
    } finally {
      v2.close();
    }
  });

  it('opens a lab whose parts have the earlier layout (groups keyed by list path), and its next save replaces them', async () => {
    const doc = buildLab();
    const made = await store.create(doc, 'Earlier', 'preset');
    // Rewrite vcenter's records as the first parts version stored them: groups under the list's path.
    const vms = (doc.components.vcenter.state as { inventory: { vms: unknown[] } }).inventory.vms;
    const own = structuredClone(doc.components.vcenter) as { state: { inventory: { vms: unknown } } };
    own.state.inventory.vms = null;
    const legacyKeys = ['component/vcenter/inventory/vms/id%3Avm-1', 'component/vcenter/inventory/vms/id%3Avm-9'];
    const records = [
      ['component/vcenter', JSON.stringify({ doc: own, splits: [{ path: ['inventory', 'vms'], keys: legacyKeys }] })],
      [legacyKeys[0], JSON.stringify(vms.slice(0, 2))],
      [legacyKeys[1], JSON.stringify(vms.slice(2))],
    ];
    for (const k of await store.db.getAllKeys('parts', partsOf(made.id))) if (k[1].startsWith('component/vcenter')) await store.db.delete('parts', k);
    for (const [key, json] of records) await store.db.put('parts', { lab: made.id, key, revision: 0, hash: 1, json });

    const reopened = await LabStore.open(store.db.name);
    try {
      expect((await reopened.load(made.id)).read).toEqual({ ok: true, doc: { ...doc, name: 'Earlier' } });
      const next = changed({ ...doc, name: 'Earlier' }, doc.clock + 1);
      await reopened.save(made.id, next);
      const keys = (await reopened.db.getAllKeys('parts', partsOf(made.id))).map(([, k]) => k);
      expect(keys.filter((k) => legacyKeys.includes(k))).toEqual([]);
      expect((await reopened.load(made.id)).read).toEqual({ ok: true, doc: next });
    } finally {
      reopened.close();
    }
  });

  it('writes only the parts that changed, and nothing when nothing did', async () => {
    const doc = buildLab();
    const made = await store.create(doc, 'Parts', 'preset');
    const before = new Map((await store.db.getAll('parts', partsOf(made.id))).map((p) => [p.key, p.revision]));
    const unchanged = await store.save(made.id, { ...doc, name: 'Parts' });
    expect(unchanged.revision).toBe(0);
    const next = changed(doc, doc.clock + 1);
    const saved = await store.save(made.id, next);
    const after = await store.db.getAll('parts', partsOf(made.id));
    const rewritten = after.filter((p) => p.revision === saved.revision).map((p) => p.key);
    // The clock is in the head, the new event in the last chunk of the log; no component changed.
    expect(rewritten.sort()).toEqual(['events/000000', HEAD_KEY]);
    expect(after.map((p) => p.key).sort()).toEqual([...before.keys()].sort());
    expect(await loaded(made.id)).toEqual({ ...next, name: 'Parts' });
  });

  it('a save that sends a part as unchanged which is not stored is refused whole', async () => {
    const made = await store.create(buildLab(), 'Stale', 'preset');
    const before = await loaded(made.id);
    await store.db.delete('parts', [made.id, 'component/fabric']);
    const parts = documentParts(changed(before, before.clock + 1), store.knownParts(made.id));
    await expect(store.saveParts(made.id, parts)).rejects.toBeInstanceOf(StalePartsError);
    expect((await store.summary(made.id))?.revision).toBe(0);
    expect((await store.db.get('parts', [made.id, HEAD_KEY]))?.revision).toBe(0);
  });

  it('an exported lab imports to the identical document', async () => {
    const made = await store.create(changed(buildLab(), buildLab().clock + 42), 'Round trip', 'preset');
    const text = labToText(JSON.parse(await store.storedJson(made.id)));
    await store.delete(made.id);
    const r = readLabText(text);
    if (!r.ok) throw new Error(r.message);
    const back = await store.create(r.doc, r.doc.name, 'import');
    expect(labToText(JSON.parse(await store.storedJson(back.id)))).toBe(text);
  });
});

describe('settings and progress', () => {
  it('keeps plain values by key', async () => {
    await store.settings.set('lastLab', 'abc');
    await store.progress.set('scenario:lockout', { step: 3, done: [1, 2] });
    expect(await store.settings.get('lastLab')).toBe('abc');
    expect(await store.progress.get('scenario:lockout')).toEqual({ step: 3, done: [1, 2] });
    expect(await store.progress.entries()).toEqual([['scenario:lockout', { step: 3, done: [1, 2] }]]);
    await store.settings.delete('lastLab');
    expect(await store.settings.get('lastLab')).toBeUndefined();
  });
});
