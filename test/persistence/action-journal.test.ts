/**
 * A REST write is answered before its save (issue 17 item 4) and still survives a reload (issue
 * 18 item 6): the page journals the lab's actions since the stored lab, and reopening replays
 * them. Replayed on the stored lab, they give the lab the page had, whichever save the store holds.
 */
import { describe, expect, it } from 'vitest';
import { ActionJournal, journalToReplay } from '../../src/persistence/action-journal';
import { Lab, type PartsMark } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { joinParts, type PartRef } from '../../workers/lab/lab-parts';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { memoryStorage } from './memory-storage';

const L3 = '/api/4.0/firewall/globalroot-0/config/layer3sections';
const post = (api: LabApi, name: string) => api.rest({ method: 'POST', path: L3, headers: { 'Content-Type': 'application/xml' }, body: `<section name="${name}"/>` });

/** A save of the whole lab as the store would hold it (every part's JSON), and where it took them. */
async function save(lab: Lab): Promise<{ parts: Map<string, string>; mark: PartsMark }> {
  const refs: PartRef[] = await lab.snapshotParts();
  return { parts: new Map(refs.map((p) => [p.key, p.json!])), mark: lab.partsTakenAt! };
}

/** The stored lab booted again, with what the journal kept replayed on it. */
async function reopen(parts: Map<string, string>, head: number, storage: Storage): Promise<Lab> {
  const lab = await Lab.boot(joinParts(parts, 'journal') as LabDocument, inProcessTransport);
  const actions = journalToReplay('lab-1', head, storage);
  expect(actions, 'the journal has actions for that stored lab').not.toBeNull();
  await lab.replay(actions!);
  return lab;
}

const sameLab = async (a: Lab, b: Lab) => {
  const [x, y] = [JSON.stringify(await a.snapshot()), JSON.stringify(await b.snapshot())];
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  expect(y.slice(Math.max(0, i - 300), i + 300)).toBe(x.slice(Math.max(0, i - 300), i + 300));
};

describe('the journal of answered writes', () => {
  it('replayed on the stored lab gives the lab the page had, whether or not the save under way committed', async () => {
    const storage = memoryStorage();
    const live = await Lab.boot(buildLab(undefined, 1, 'journal'), inProcessTransport);
    await live.settle();
    const api = new LabApi(live);
    const first = await save(live);
    const journal = new ActionJournal('lab-1', live, first.mark, storage);

    expect((await post(api, 'Answered 1')).status).toBe(201);
    await live.advance(1500);
    expect(journal.keep()).toBe(true);
    // A save takes its parts, and a write comes while it writes them.
    const second = await save(live);
    journal.saving(second.mark);
    expect((await post(api, 'Answered 2')).status).toBe(201);
    expect(journal.keep()).toBe(true);
    expect(second.mark.head, 'the save took another head').not.toBe(first.mark.head);

    // The page went before that save committed: the store holds the first save.
    await sameLab(live, await reopen(first.parts, first.mark.head, storage));
    // …or after it committed, before the page heard so: the store holds the second.
    await sameLab(live, await reopen(second.parts, second.mark.head, storage));
  });

  it('starts at the last committed save, and is gone once a save holds every action', async () => {
    const storage = memoryStorage();
    const live = await Lab.boot(buildLab(undefined, 1, 'journal'), inProcessTransport);
    const api = new LabApi(live);
    const journal = new ActionJournal('lab-1', live, (await save(live)).mark, storage);
    await post(api, 'Answered');
    journal.keep();
    const saved = await save(live);
    journal.saving(saved.mark);
    journal.saved(saved.mark);
    expect(storage.items.size, 'nothing after the committed save: no journal').toBe(0);
    await post(api, 'Later');
    journal.keep();
    const kept = JSON.parse(storage.items.get('dfw-lab.journal.lab-1')!) as { first: number; actions: { do: string }[] };
    expect(kept.first).toBe(saved.mark.actions);
    expect(kept.actions.map((a) => a.do)).toEqual(['request']);
  });

  it('is forgotten when the store holds a lab it was not kept for, or it is damaged', async () => {
    const storage = memoryStorage();
    const live = await Lab.boot(buildLab(undefined, 1, 'journal'), inProcessTransport);
    const journal = new ActionJournal('lab-1', live, (await save(live)).mark, storage);
    await post(new LabApi(live), 'Answered');
    journal.keep();
    expect(journalToReplay('lab-1', 12345, storage)).toBeNull();
    expect(storage.items.size).toBe(0);
    storage.setItem('dfw-lab.journal.lab-1', '{"marks": "no"}');
    expect(journalToReplay('lab-1', 12345, storage)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('says when it cannot keep the actions (storage full), so the answer waits for the save', async () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const live = await Lab.boot(buildLab(undefined, 1, 'journal'), inProcessTransport);
    const journal = new ActionJournal('lab-1', live, (await save(live)).mark, storage);
    await post(new LabApi(live), 'Answered');
    expect(journal.keep()).toBe(false);
  });
});
