import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLabDB } from '../../src/persistence/db';
import { documentParts, isSharedPart, missingPartsOf } from '../../workers/lab/lab-parts';
import { readComponentParts } from '../../workers/lab/stored-parts-reader';
import { largeLab } from '../bench/large-lab';

afterEach(() => vi.restoreAllMocks());

/** A stored part of lab-1. */
const part = (key: string, json: string) => ({ lab: 'lab-1', key, revision: 0, hash: 0, json });

describe("a unit's read of its components' parts", () => {
  it('asks the database nothing when its components lack no part (their own parts are all they have)', async () => {
    const open = vi.spyOn(indexedDB, 'open');
    const read = await readComponentParts({ db: 'no-such-database', lab: 'lab-1', revision: 0 }, ['fabric', 'bus'], () => []);
    expect([...read]).toEqual([['fabric', []], ['bus', []]]);
    expect(open).not.toHaveBeenCalled();
  });

  it('reads the key lists, then the groups they list, in one transaction, each part once however many components lack it; a part the store lacks is left out', async () => {
    const db = await openLabDB('reader-rounds');
    await db.put('parts', part('component/a/#list', '["shared/#g1","shared/#g2","shared/#gone"]'));
    await db.put('parts', part('shared/#g1', '[1]'));
    await db.put('parts', part('shared/#g2', '[2]'));
    await db.put('parts', part('shared/#unrelated', '[3]'));
    db.close();
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get');
    // Component a lists its groups in a key list; b names one of them in its own part.
    const lacking = (id: string, parts: readonly { key: string; json: string }[]): string[] => {
      const have = new Set(parts.map((p) => p.key));
      const list = parts.find((p) => p.key === 'component/a/#list');
      const named = id === 'b' ? ['shared/#g1'] : list ? (JSON.parse(list.json) as string[]) : ['component/a/#list'];
      return named.filter((key) => !have.has(key));
    };
    const read = await readComponentParts({ db: 'reader-rounds', lab: 'lab-1', revision: 0 }, ['a', 'b'], lacking);
    expect(read.get('a')!.map((p) => p.key)).toEqual(['component/a/#list', 'shared/#g1', 'shared/#g2']);
    expect(read.get('b')!.map((p) => p.key)).toEqual(['shared/#g1']);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(gets.mock.calls.map(([key]) => (key as string[])[1]).sort()).toEqual(['component/a/#list', 'shared/#g1', 'shared/#g2', 'shared/#gone'].sort());
  });
});

describe('the parts a stored component lacks', () => {
  it("are its key list first, then the groups that list names, then none (NSX Manager's 10k rules)", () => {
    const parts = new Map(documentParts(largeLab()).map((p) => [p.key, p.json!]));
    const keyLists = [...parts.keys()].filter((key) => key.startsWith('component/manager/'));
    const own = new Map([['component/manager', parts.get('component/manager')!]]);
    // Its own part names its key list and the groups of its short lists.
    const first = missingPartsOf('manager', own);
    expect(first.filter((key) => !isSharedPart(key))).toEqual(keyLists);
    const withLists = new Map([...own, ...first.map((key) => [key, parts.get(key)!] as const)]);
    const groups = missingPartsOf('manager', withLists);
    expect(groups.length).toBeGreaterThan(first.length);
    expect(groups.every(isSharedPart)).toBe(true);
    expect(missingPartsOf('manager', new Map([...withLists, ...groups.map((key) => [key, parts.get(key)!] as const)]))).toEqual([]);
    // The bus keeps no long list: it lacks nothing.
    expect(missingPartsOf('bus', new Map([['component/bus', parts.get('component/bus')!]]))).toEqual([]);
  });
});

describe("a unit's connection to the lab database", () => {
  it('is kept for the next read (the next lab a warm worker loads) and let go when a newer version asks, then opened again', async () => {
    const db = await openLabDB('reader-kept');
    await db.put('parts', part('shared/#g1', '[1]'));
    db.close();
    const open = vi.spyOn(indexedDB, 'open');
    const source = { db: 'reader-kept', lab: 'lab-1', revision: 0 };
    const lacking = (_id: string, parts: readonly { key: string }[]) => (parts.length ? [] : ['shared/#g1']);
    const reads = async () => (await readComponentParts(source, ['a'], lacking)).get('a')!.map((p) => p.key);
    expect(await reads()).toEqual(['shared/#g1']);
    expect(await reads()).toEqual(['shared/#g1']);
    expect(open).toHaveBeenCalledTimes(1);
    // Another tab's newer version: its upgrade is not held up by the kept connection.
    const newer = await new Promise<IDBDatabase>((resolve, reject) => Object.assign(indexedDB.open('reader-kept', 99), { onsuccess(this: IDBOpenDBRequest) { resolve(this.result); }, onerror(this: IDBOpenDBRequest) { reject(this.error); }, onblocked: () => reject(new Error('blocked by the kept connection')) }));
    newer.close();
    expect(await reads()).toEqual(['shared/#g1']);
    // The first read's, the newer version's, and the next read's.
    expect(open).toHaveBeenCalledTimes(3);
  });
});
