/**
 * Issue 17 item 3: the app's first lab boots from the classroom preset with its boot waves
 * already run (scripts/settled-classroom.ts, built into the app by vite.config.ts). The learner
 * must get the same lab as from the bare preset, and its compact share link must still work.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { buildLab, CLASSROOM } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { settledDocument } from '../../scripts/settled-classroom';
import { labFromReplay, replayOf } from '../../src/share/replay-link';

/** What the app does once a lab is booted: log in, read the inventory, probe. */
async function firstMinute(doc: LabDocument): Promise<{ api: LabApi; inventory: unknown }> {
  const api = new LabApi(await Lab.boot(doc, inProcessTransport));
  await api.login('admin', 'ui', true);
  const inventory = await api.inventory();
  await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
  await api.wait(30);
  return { api, inventory };
}

describe('the settled classroom lab', () => {
  it('has nothing left to run at its clock, and its boot is in the event log', () => {
    expect(settledDocument.pending.every((p) => p.at > settledDocument.clock)).toBe(true);
    expect(settledDocument.events.length).toBeGreaterThan(buildLab().events.length);
  });

  // The one difference: the client's LOGIN comes after the boot's events of the same instant
  // instead of among them (it was a request in the boot's first wave).
  it('gives the same components, events and inventory as booting the bare preset', async () => {
    const bare = await firstMinute(buildLab(CLASSROOM, 1, 'Classroom datacenter'));
    const settled = await firstMinute({ ...settledDocument, name: 'Classroom datacenter' });
    expect(settled.inventory).toEqual(bare.inventory);
    const inOrder = (events: readonly unknown[]) => events.map((e) => JSON.stringify(e)).sort();
    expect(inOrder(settled.api.lab.events)).toEqual(inOrder(bare.api.lab.events));
    expect(settled.api.lab.events.at(-1)).toEqual(bare.api.lab.events.at(-1));
    expect((await settled.api.lab.snapshot()).components).toEqual((await bare.api.lab.snapshot()).components);
    expect(settled.api.lab.now).toBe(bare.api.lab.now);
  });

  it('shares as a compact link that reopens the identical lab', async () => {
    // As the workspace opens it (firstDocument): renamed, with its history renamed too.
    const doc = { ...settledDocument, name: 'First lab', history: { ...settledDocument.history!, name: 'First lab' } };
    const { api } = await firstMinute(doc);
    const replay = replayOf(api.lab);
    expect(replay?.actions[0]).toEqual({ do: 'advance', ms: 0 });
    expect(isDeepStrictEqual(await labFromReplay(replay!), await api.lab.snapshot())).toBe(true);
  });

  it('without its history, the same document is not taken for the preset', async () => {
    const { history: _settledHistory, ...bare } = settledDocument;
    const { api } = await firstMinute({ ...bare, name: 'First lab' });
    expect(replayOf(api.lab)).toBeNull();
  });
});
