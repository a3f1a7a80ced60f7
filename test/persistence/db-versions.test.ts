import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { openLabDB, StorageHeldError } from '../../src/persistence/db';
import { saveFailureMessage } from '../../src/persistence/storage-errors';
import { asError } from '../../workers/protocol/outside';

let n = 0;
const fresh = () => `db-versions-${++n}`;

describe('the database between two versions of DFW Lab in two tabs', () => {
  it('an older tab holding version 1 makes the newer open fail at once, with a sentence the learner can act on', async () => {
    const name = fresh();
    const older = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('labs', { keyPath: 'id' }) }); // no versionchange handler, as version 1 had
    const opening = openLabDB(name);
    await expect(opening).rejects.toBeInstanceOf(StorageHeldError);
    expect(saveFailureMessage(await opening.then(() => new Error('the open should have failed'), asError))).toMatch(/^Not saved: another tab is running an older DFW Lab .*close that tab, then reload/);
    older.close();
  });

  it("a database version 2 left is upgraded in place: its parts kept, the byPage index added (empty: none of them says it is the page's)", async () => {
    const name = fresh();
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('labs', { keyPath: 'id' }).createIndex('byUpdated', 'updatedAt');
        db.createObjectStore('documents', { keyPath: 'id' });
        db.createObjectStore('progress');
        db.createObjectStore('settings');
        db.createObjectStore('parts', { keyPath: ['lab', 'key'] });
      },
    });
    await v2.put('parts', { lab: 'a', key: 'head', revision: 3, hash: 1, json: '{}' });
    v2.close();
    const db = await openLabDB(name);
    expect(await db.get('parts', ['a', 'head'])).toEqual({ lab: 'a', key: 'head', revision: 3, hash: 1, json: '{}' });
    expect([...db.transaction('parts').store.indexNames]).toEqual(['byPage']);
    expect(await db.getAllFromIndex('parts', 'byPage')).toEqual([]);
    db.close();
  });

  it('this version lets go of the database when a newer one asks for it', async () => {
    const name = fresh();
    const current = await openLabDB(name);
    expect([...current.objectStoreNames]).toContain('parts');
    const newer = await openDB(name, current.version + 1); // would wait for ever if `current` held on
    expect(newer.version).toBe(current.version + 1);
    newer.close();
  });
});
