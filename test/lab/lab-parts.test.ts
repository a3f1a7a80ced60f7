/**
 * A lab stored as parts (workers/lab/lab-parts.ts): joining the parts gives the document back
 * byte for byte, and a save that sends only the changed parts leaves the store holding exactly
 * the new document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BootDocument, type LabDocument, validateStoredLab } from '../../workers/lab/lab-document';
import { componentParts, documentParts, joinParts, joinStoredParts, partHash, type KnownParts, type PartRef } from '../../workers/lab/lab-parts';
import { unpackList } from '../../workers/lab/packed-list';
import { Lab } from '../../workers/lab/lab';
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

/** What a save writes: the stored text of the parts it sends. */
function storedChars(parts: PartRef[]): number {
  return parts.reduce((n, p) => n + (p.json?.length ?? 0), 0);
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
  it("a 10k-rule lab joins back to the identical JSON, and one rule edit sends its section's group and two small lists", () => {
    const doc = largeLab();
    const parts = documentParts(doc);
    expect(JSON.stringify(joinParts(stored(parts), doc.name))).toBe(JSON.stringify(doc));
    expect(parts.length).toBeGreaterThan(40); // 100 sections and 500 VMs are not one record
    // Lists are stored packed: a tenth of the document's JSON.
    expect(storedChars(parts)).toBeLessThan(JSON.stringify(doc).length / 8);

    const edited = structuredClone(doc);
    sectionsOf(edited)[37].rules[5].name = 'renamed';
    const next = documentParts(edited, known(parts));
    // The section's group, the part listing the sections' groups (keyed by content) and the
    // manager's own part, which names that list: small, however many sections there are.
    const sent = next.filter((p) => p.json !== undefined);
    // A list's group is keyed for the whole lab (any component holding it shares it); the list of a list's groups is the manager's.
    expect(sent.map((p) => p.key)).toEqual(['component/manager', expect.stringMatching(/^shared\/#[0-9a-z]+\.[0-9a-z]+$/), expect.stringMatching(/^component\/manager\/#[0-9a-z]+\.[0-9a-z]+$/)]);
    expect(sent[0].size).toBeLessThan(8_000);
    expect(sent[1].json!.length).toBeLessThan(20_000); // a few 100-rule sections of the 4 MB, packed
    expect(sent[2].json).toMatch(/^\["shared\/#/);
    expect(JSON.stringify(joinParts(applySave(stored(parts), next), doc.name))).toBe(JSON.stringify(edited));

    // A section inserted in the middle changes its neighbourhood, not everything after it.
    const inserted = structuredClone(edited);
    sectionsOf(inserted).splice(50, 0, { ...sectionsOf(inserted)[0], id: 5000, name: 'new' });
    const after = documentParts(inserted, known(next));
    expect(after.filter((p) => p.json !== undefined).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(joinParts(applySave(applySave(stored(parts), next), after), doc.name))).toBe(JSON.stringify(inserted));
  });

  it('a list stored twice in a component (a saved draft of the configuration) is stored once', () => {
    const doc = largeLab();
    const parts = documentParts(doc);
    const manager = (doc.components.manager.state as { manager: { config: unknown; drafts: unknown[] } }).manager;
    const drafted = structuredClone(doc);
    (drafted.components.manager.state as typeof manager & { manager: { drafts: unknown[] } }).manager.drafts.push({ id: 'draft-1', name: 'auto', config: structuredClone(manager.config) });
    const next = documentParts(drafted, known(parts));
    const sent = next.filter((p) => p.json !== undefined);
    // Only the manager's own part (which now lists the draft's groups too): the 4 MB of sections are not written again.
    expect(sent.map((p) => p.key)).toEqual(['component/manager']);
    expect(sent[0].size).toBeLessThan(100_000);
    expect(new Set(next.map((p) => p.key)).size).toBe(next.length);
    expect(JSON.stringify(joinParts(applySave(stored(parts), next), doc.name))).toBe(JSON.stringify(drafted));
  });

  it('a list the state holds twice as one object is serialised once, into the same parts as two equal copies', () => {
    let serialised = 0;
    const rules = Array.from({ length: 40 }, (_, i) => ({ id: i, toJSON: () => (serialised++, { id: i, text: `rule ${i}` }) }));
    const shared = componentParts('host-10', { type: 'host', state: { ruleSet: { a: rules }, vnics: [{ rules }, { rules }] }, rng: [1, 2, 3, 4] });
    expect(serialised).toBe(rules.length);
    const plain = rules.map((r) => r.toJSON());
    const copies = componentParts('host-10', { type: 'host', state: { ruleSet: { a: plain }, vnics: [{ rules: [...plain] }, { rules: [...plain] }] }, rng: [1, 2, 3, 4] });
    expect(shared).toEqual(copies);
  });

  it('a long string is stored in pieces apart from the fields around it: an edit rewrites the piece it falls in', () => {
    const doc = buildLab();
    // As vsfwd's reported bindings: one long line per vNIC binding, joined.
    const bindings = Array.from({ length: 600 }, (_, i) => `nic-${40_000 + i}-eth0:00:50:56:a2:${(i % 256).toString(16).padStart(2, '0')}:${(i >> 8).toString(16)}/172.16.${10 + (i % 3) * 10}.${i % 250}`).join(';');
    const host = doc.components['host-20'];
    const withText = (text: string, n: number): LabDocument => ({ ...doc, components: { ...doc.components, 'host-20': { ...host, state: { ...(host.state as object), vsfwd: { reportedBindings: text, sent: n } } } } });
    const parts = documentParts(withText(bindings, 1));
    const own = parts.find((p) => p.key === 'component/host-20')!;
    expect(own.size).toBeLessThan(bindings.length / 4);
    // Only a counter beside it changed: its own part, none of the text's pieces.
    const counted = documentParts(withText(bindings, 2), known(parts)).filter((p) => p.json !== undefined);
    expect(counted.map((p) => p.key)).toEqual(['component/host-20']);
    // A binding in the middle changed: the piece it falls in (and at most its neighbour), not the whole text.
    const edited = bindings.replace('nic-40300-eth0', 'nic-40300-eth1');
    const next = documentParts(withText(edited, 2), known(parts));
    const sent = next.filter((p) => p.json !== undefined && p.key !== 'component/host-20');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.reduce((n, p) => n + p.size, 0)).toBeLessThan(bindings.length / 3);
    expect(JSON.stringify(joinParts(applySave(stored(parts), next), doc.name))).toBe(JSON.stringify(withText(edited, 2)));
  });

  it('parts saved with the earlier layout (groups keyed by list path and id) join, and the next save replaces them', () => {
    const doc = buildLab();
    const vms = (doc.components.vcenter.state as { inventory: { vms: unknown[] } }).inventory.vms;
    // The layout of the first parts version: the list's groups under its path, the own part naming them.
    const legacy = new Map(stored(documentParts(doc)));
    for (const k of [...legacy.keys()]) if (k.startsWith('component/vcenter')) legacy.delete(k);
    const own = structuredClone(doc.components.vcenter) as { state: { inventory: { vms: unknown } } };
    own.state.inventory.vms = null;
    legacy.set('component/vcenter', JSON.stringify({ doc: own, splits: [{ path: ['inventory', 'vms'], keys: ['component/vcenter/inventory/vms/id%3Avm-1', 'component/vcenter/inventory/vms/id%3Avm-9'] }] }));
    legacy.set('component/vcenter/inventory/vms/id%3Avm-1', JSON.stringify(vms.slice(0, 3)));
    legacy.set('component/vcenter/inventory/vms/id%3Avm-9', JSON.stringify(vms.slice(3)));
    const joined = joinParts(legacy, doc.name) as LabDocument;
    expect((joined.components.vcenter.state as { inventory: { vms: unknown[] } }).inventory.vms).toEqual(vms);
    // Saved again: every new key is sent, and the old keys are no longer among the lab's parts (the store deletes them).
    const next = documentParts(joined);
    expect(next.some((p) => p.key.startsWith('component/vcenter/inventory/'))).toBe(false);
    expect(JSON.stringify(joinParts(applySave(legacy, next), doc.name))).toBe(JSON.stringify(doc));
  });

  it('groups stored as JSON lists (as the version before packing stored them) join, and a save keeps those it still has', () => {
    const doc = largeLab();
    const parts = documentParts(doc);
    // The same keys, each list's group as its plain JSON with that JSON's hash.
    const plain = parts.map((p) => (p.json?.startsWith('{"n":') ? { ...p, json: JSON.stringify(unpackList(JSON.parse(p.json))) } : p));
    const asPlain = plain.map((p) => ({ ...p, hash: partHash(p.json!) }));
    expect(asPlain.filter((p, i) => p.json !== parts[i].json).length).toBeGreaterThan(30);
    expect(JSON.stringify(joinParts(stored(asPlain), doc.name))).toBe(JSON.stringify(doc));
    const edited = structuredClone(doc);
    sectionsOf(edited)[60].rules[1].name = 'renamed';
    const next = documentParts(edited, known(asPlain));
    expect(next.filter((p) => p.json !== undefined).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(joinParts(applySave(stored(asPlain), next), doc.name))).toBe(JSON.stringify(edited));
  });

  it('a damaged packed group fails the join with its key', () => {
    const base = buildLab();
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, name: `row ${i}` }));
    const doc: LabDocument = { ...base, components: { ...base.components, 'host-99': { type: 'host', state: { rows }, rng: [1, 2, 3, 4] } } };
    const parts = stored(documentParts(doc));
    const [key] = [...parts].find(([, json]) => json.startsWith('{"n":'))!;
    parts.set(key, JSON.stringify({ n: 3, c: ['?', 1] }));
    expect(() => joinParts(parts, doc.name)).toThrow(`part ${key} is not a list (a column's tag "?" is unknown)`);
  });

  it('incremental saves of any edits leave the store holding exactly the new document', () => {
    const element = fc.oneof(
      fc.record({ id: fc.integer({ min: 0, max: 60 }), v: fc.string() }),
      fc.record({ moid: fc.constantFrom('vm-1', 'vm-2', 'vm-3', 'a/b', '%'), n: fc.nat() }),
      fc.record({ t: fc.nat(), text: fc.string() }),
    );
    const list = fc.array(element, { maxLength: 120 });
    // Lists inside the objects of short lists (drafts, vNICs), and the same list twice.
    // Long strings (a vsfwd's reported bindings) are stored in pieces apart from the component.
    const text = fc.tuple(fc.string({ maxLength: 40 }), fc.nat({ max: 500 })).map(([t, n]) => t.repeat(n));
    const state = fc.record({ long: text, a: list, deep: fc.record({ b: fc.record({ c: fc.array(element, { maxLength: 80 }) }) }), few: fc.array(fc.record({ name: fc.string(), inner: list }), { maxLength: 3 }), n: fc.nat() })
      .chain((s) => fc.boolean().map((twice) => (twice ? { ...s, again: s.a } : s)));
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
      // Booted again from its parts as IndexedDB holds them: each worker joins and checks its own components.
      const again = await Lab.boot(validStored(joinStoredParts(stored(parts), api.lab.name)), nodeWorkerTransport());
      try {
        expect(JSON.stringify(await again.snapshot())).toBe(JSON.stringify(await api.lab.snapshot()));
      } finally {
        again.dispose();
      }
    } finally {
      api.lab.dispose();
    }
  });
});

function validStored(value: unknown): BootDocument {
  const read = validateStoredLab(value);
  if (!read.ok) throw new Error(`${read.message} (at ${read.path})`);
  return read.doc;
}
