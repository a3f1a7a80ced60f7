/**
 * A lab stored as parts (workers/lab/lab-parts.ts): joining the parts gives the document back
 * byte for byte, and a save that sends only the changed parts leaves the store holding exactly
 * the new document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabDocument } from '../../workers/lab/lab-document';
import { documentParts, joinParts, type KnownParts, type PartRef } from '../../workers/lab/lab-parts';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { largeLab } from '../bench/large-lab';
import { bootClassroom } from './helpers';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';

/** A store as LabStore keeps one lab: the changed parts written, the ones no longer listed removed. */
function applySave(stored: Map<string, string>, parts: PartRef[]): Map<string, string> {
  const next = new Map<string, string>();
  for (const p of parts) {
    const json = p.json ?? stored.get(p.key);
    if (json === undefined) throw new Error(`part ${p.key} sent as unchanged but not stored`);
    next.set(p.key, json);
  }
  return next;
}

function known(parts: PartRef[]): KnownParts {
  return new Map(parts.map((p) => [p.key, p.hash]));
}

function stored(parts: PartRef[]): Map<string, string> {
  return applySave(new Map(), parts);
}

type Section = { id: number; name: string; rules: { id: number; name: string }[] };
function sectionsOf(doc: LabDocument): Section[] {
  return (doc.components.manager.state as { manager: { config: { layer3Sections: Section[] } } }).manager.config.layer3Sections;
}

describe('lab parts', () => {
  it('a 10k-rule lab joins back to the identical JSON, and one rule edit sends one part', () => {
    const doc = largeLab();
    const parts = documentParts(doc);
    expect(JSON.stringify(joinParts(stored(parts), doc.name))).toBe(JSON.stringify(doc));
    expect(parts.length).toBeGreaterThan(100); // 100 sections and 500 VMs are not one record

    const edited = structuredClone(doc);
    sectionsOf(edited)[37].rules[5].name = 'renamed';
    const next = documentParts(edited, known(parts));
    expect(next.filter((p) => p.json !== undefined).map((p) => p.key)).toEqual(['component/manager/manager/config/layer3Sections/id%3A2037']);
    expect(JSON.stringify(joinParts(applySave(stored(parts), next), doc.name))).toBe(JSON.stringify(edited));

    // A section inserted in the middle changes its neighbourhood, not everything after it.
    const inserted = structuredClone(edited);
    sectionsOf(inserted).splice(50, 0, { ...sectionsOf(inserted)[0], id: 5000, name: 'new' });
    const after = documentParts(inserted, known(next));
    expect(after.filter((p) => p.json !== undefined).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(joinParts(applySave(applySave(stored(parts), next), after), doc.name))).toBe(JSON.stringify(inserted));
  });

  it('incremental saves of any edits leave the store holding exactly the new document', () => {
    const element = fc.oneof(
      fc.record({ id: fc.integer({ min: 0, max: 60 }), v: fc.string() }),
      fc.record({ moid: fc.constantFrom('vm-1', 'vm-2', 'vm-3', 'a/b', '%'), n: fc.nat() }),
      fc.record({ t: fc.nat(), text: fc.string() }),
    );
    const state = fc.record({ a: fc.array(element, { maxLength: 120 }), deep: fc.record({ b: fc.record({ c: fc.array(element, { maxLength: 80 }) }) }), n: fc.nat() });
    fc.assert(
      fc.property(fc.array(state, { minLength: 2, maxLength: 4 }), fc.nat({ max: 1200 }), (states, events) => {
        const base = buildLab();
        const docs = states.map((s, i): LabDocument => ({
          ...base,
          clock: base.clock + i,
          components: { ...base.components, 'odd/id %': { type: 'host', state: s, rng: [1, 2, 3, 4] } },
          events: Array.from({ length: events + i * 300 }, (_, k) => ({ t: k, source: 'lab', kind: 'log', severity: 'info', text: `e${k}` })),
        }));
        let parts = documentParts(docs[0]);
        let store = stored(parts);
        for (const doc of docs.slice(1)) {
          parts = documentParts(doc, known(parts));
          store = applySave(store, parts);
          expect(JSON.stringify(joinParts(store, doc.name))).toBe(JSON.stringify(doc));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a running lab's parts join to its snapshot, and after a probe only what changed is sent", async () => {
    const api = await bootClassroom();
    await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    const first = await api.lab.snapshotParts();
    const name = api.lab.name;
    expect(JSON.stringify(joinParts(stored(first), name))).toBe(JSON.stringify(await api.lab.snapshot()));

    expect((await api.lab.snapshotParts(known(first))).filter((p) => p.json !== undefined)).toEqual([]);
    await api.probe({ from: 'web-sv-01b', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const next = await api.lab.snapshotParts(known(first));
    const sent = next.filter((p) => p.json !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    // vCenter's inventory, the bus's queues and the manager's configuration did not change.
    expect(sent.map((p) => p.key)).not.toContain('component/vcenter');
    expect(sent.length).toBeLessThan(next.length);
    expect(JSON.stringify(joinParts(applySave(stored(first), next), name))).toBe(JSON.stringify(await api.lab.snapshot()));
  });

  it('across worker_threads (as in the app, through Comlink) the parts join to the snapshot too', async () => {
    const api = await bootClassroom(nodeWorkerTransport());
    try {
      await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
      const parts = await api.lab.snapshotParts();
      expect(JSON.stringify(joinParts(stored(parts), api.lab.name))).toBe(JSON.stringify(await api.lab.snapshot()));
      expect((await api.lab.snapshotParts(known(parts))).filter((p) => p.json !== undefined)).toEqual([]);
    } finally {
      api.lab.dispose();
    }
  });
});
