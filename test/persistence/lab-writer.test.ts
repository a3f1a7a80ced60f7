import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { inProcessTransport } from '../../workers/transports';
import { LabNotFoundError, LabStore, StalePartsError } from '../../src/persistence/lab-store';
import { labWriterApi, remoteLabWriter } from '../../src/persistence/lab-writer';
import { partsOf } from '../../src/persistence/db';

let n = 0;
const opened: { close(): void }[] = [];
afterEach(() => opened.splice(0).forEach((o) => o.close()));

/** A store whose saves go through the lab writer over a message channel, as the page's go to its worker. */
async function storeWithWriter(name: string): Promise<LabStore> {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(labWriterApi(), port1 as unknown as Comlink.Endpoint);
  const store = await LabStore.open(name, undefined, () =>
    remoteLabWriter(port2 as unknown as Comlink.Endpoint, () => {
      port1.close();
      port2.close();
    }),
  );
  opened.push(store);
  return store;
}

describe('the lab writer', () => {
  it('saves an open lab through its own connection: the records a save in place writes, and the store knows what it holds', async () => {
    const name = `lab-writer-${++n}`;
    const store = await storeWithWriter(name);
    const here = await LabStore.open(name);
    opened.push(here);
    const first = await Lab.boot(buildLab(), inProcessTransport);
    const doc = await first.snapshot();
    first.dispose();
    const [viaWriter, inPlace] = [await store.create(doc, 'Writer', 'preset'), await here.create(doc, 'In place', 'preset')];
    const labs = await Promise.all([store, here].map(async (s, i) => {
      const id = [viaWriter, inPlace][i].id;
      const { read } = await s.open(id);
      if (!read.ok) throw new Error(read.message);
      return { s, id, lab: await Lab.boot(read.doc, inProcessTransport) };
    }));
    try {
      for (const { s, id, lab } of labs) {
        await new LabApi(lab).probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
        const changes = (await lab.changedParts(s.knownParts(id)!))!;
        expect(changes.put.length).toBeGreaterThan(0);
        expect(await s.saveChanges(id, changes)).toMatchObject({ id, revision: 1 });
        await lab.partsStored();
        // What the store remembers is what was written: the next save finds nothing changed.
        expect((await lab.changedParts(s.knownParts(id)!))!).toMatchObject({ put: [], drop: [] });
      }
      const records = await Promise.all(labs.map(async ({ id }) => (await here.db.getAll('parts', partsOf(id))).map(({ lab: _lab, ...r }) => r)));
      expect(records[0]).toEqual(records[1]);
      // A whole save (saveParts) through the writer too.
      const { s, id, lab } = labs[0];
      await lab.advance(1000);
      expect(await s.saveParts(id, await lab.snapshotParts(s.knownParts(id)))).toMatchObject({ revision: 2 });
      expect(JSON.parse(await here.storedJson(id))).toEqual({ ...(await lab.snapshot()), name: 'Writer' });
    } finally {
      labs.forEach(({ lab }) => lab.dispose());
    }
  });

  it("a refused save keeps its error's class across the message (a stale part, a lab that is gone)", async () => {
    const store = await storeWithWriter(`lab-writer-${++n}`);
    const made = await store.create(buildLab(), 'Refused', 'preset');
    await expect(store.saveParts(made.id, [{ key: 'component/nowhere', hash: 1, size: 2 }])).rejects.toBeInstanceOf(StalePartsError);
    await expect(store.saveChanges('no-such-lab', { put: [], drop: [], size: 0 })).rejects.toBeInstanceOf(LabNotFoundError);
    await expect(store.saveChanges('no-such-lab', { put: [], drop: [], size: 0 })).rejects.toThrow(/there is no saved lab no-such-lab/);
  });
});
