/**
 * Shared parts (workers/lab/lab-parts.ts isSharedPart): a list's groups and a long string's
 * pieces are stored once for the whole lab, however many components hold them (64 hosts with
 * the same rule lines). The lab
 * decides what a save drops (what no component references any more) and asks one unit for each
 * group the store lacks. Components here hold deep-frozen lists from a common pool, as hosts hold
 * the lines they decode, and pick which of them to hold on each message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Component, ComponentFactory } from '../../workers/lab/component';
import { Lab } from '../../workers/lab/lab';
import { isSharedPart, joinParts, joinStoredParts, partHash, type PartRef } from '../../workers/lab/lab-parts';
import { unpackList } from '../../workers/lab/packed-list';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransportOf } from '../../workers/lab/transport';
import type { BootDocument } from '../../workers/lab/lab-format';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Lines of ~300 characters of JSON: a list of 400 is two or three groups. */
const line = (list: number, i: number) => ({ id: list * 1000 + i, sectionId: list, src: { sets: [`securitygroup-${i % 40}`], cidrs: [], negate: false }, dstPorts: [[80 + (i % 50), 80 + (i % 50)]], action: i % 5 ? 'allow' : 'deny', tag: `list-${list}`.padEnd(120, '.') });
const POOL = Array.from({ length: 6 }, (_, k) => deepFreeze(Array.from({ length: 400 }, (_, i) => line(k, i))));
/** Long strings stored in pieces (as a host's vsipfw_ruleset.dat text): equal runs share pieces across components. */
const TEXTS = POOL.map((_, k) => Array.from({ length: 900 }, (_, i) => ((i * 7919 + k * 104729) % 1_000_003).toString(36)).join(''));

/** A component holding the pool's lists it was last told to (message `pick`, body the lists' numbers). */
const picker: ComponentFactory = Object.assign(
  (id: string, state: unknown): Component => {
    let picks = (state as { picks: number[] }).picks;
    return {
      id,
      handle: (msg) => void (picks = msg.body as number[]),
      snapshot: () => ({ picks, lists: picks.map((k) => ({ lines: POOL[k] })), text: picks.map((k) => TEXTS[k]).join('|') }),
    };
  },
  { loadCheck: async () => () => undefined },
);
const transport = inProcessTransportOf({ host: async () => picker } as never);

const HOSTS = ['host-1', 'host-2', 'host-3'];
function document(): BootDocument {
  const doc = buildLab();
  return { ...doc, events: [], pending: [], components: Object.fromEntries(HOSTS.map((id) => [id, { type: 'host', state: { picks: [0] }, rng: doc.components[Object.keys(doc.components)[0]].rng }])) };
}

/** The store as a save leaves it (what lab-store.ts writes): key → stored JSON and hash. */
class Store {
  parts = new Map<string, { hash: number; json: string }>();

  put(parts: PartRef[]): void {
    for (const p of parts) if (p.json !== undefined) this.parts.set(p.key, { hash: p.hash, json: p.json });
  }

  known(): Map<string, number> {
    return new Map([...this.parts].map(([key, p]) => [key, p.hash]));
  }

  async save(lab: Lab): Promise<void> {
    const changes = (await lab.changedParts(this.known()))!;
    this.put(changes.put);
    for (const key of changes.drop) this.parts.delete(key);
    await lab.partsStored();
  }

  json(): Map<string, string> {
    return new Map([...this.parts].map(([key, p]) => [key, p.json]));
  }
}

type Step = { do: 'pick'; host: number; lists: number[] } | { do: 'save' } | { do: 'reopen' };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ do: fc.constant('pick' as const), host: fc.nat(HOSTS.length - 1), lists: fc.uniqueArray(fc.nat(POOL.length - 1), { maxLength: 3 }) }),
  fc.constant({ do: 'save' as const }),
  fc.constant({ do: 'reopen' as const }),
);

/** The lab booted again from what the store holds, its units knowing what it holds (as a saved lab opens). */
function reopened(store: Store): Promise<Lab> {
  return Lab.boot(joinStoredParts(store.json(), 'lab', store.known()) as BootDocument, transport);
}

describe('shared parts', () => {
  it('a save keeps every shared group a component still holds, drops the others, and stores each once under the key of its content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        let lab = await Lab.boot(document(), transport);
        const store = new Store();
        store.put(await lab.snapshotParts());
        await lab.partsStored();
        for (const s of steps) {
          if (s.do === 'pick') {
            lab.post(HOSTS[s.host], 'pick', s.lists);
            await lab.settle();
          } else if (s.do === 'save') await store.save(lab);
          else {
            await store.save(lab);
            lab.dispose();
            lab = await reopened(store);
          }
        }
        await store.save(lab);
        // A shared group dropped while a component held it: the join misses it.
        const joined = joinParts(store.json(), 'lab') as { components: Record<string, { state: unknown }> };
        const running = await lab.snapshot();
        for (const id of HOSTS) expect(JSON.stringify(joined.components[id].state)).toBe(JSON.stringify(running.components[id].state));
        // Each shared group is its key's content (`shared/#<hash>.<length>` of its JSON as a list)…
        const shared = [...store.parts].filter(([key]) => isSharedPart(key));
        for (const [key, { json }] of shared) {
          const value = JSON.parse(json) as unknown;
          const text = typeof value === 'string' ? json : JSON.stringify(Array.isArray(value) ? value : unpackList(value));
          expect(key).toBe(`shared/#${partHash(text).toString(36)}.${text.length.toString(36)}`);
        }
        // …and is held by some component: none left behind.
        const held = new Set(HOSTS.flatMap((id) => [...store.parts.get(`component/${id}`)!.json.matchAll(/shared\/#[0-9a-z.]+/g)].map((m) => m[0])));
        expect(shared.map(([key]) => key).sort()).toEqual([...held].sort());
        lab.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it("a lab saved with each component's groups under its own key (as the version before shared parts saved it) opens, and a save moves what changed to shared parts", async () => {
    const lab = await Lab.boot(document(), transport);
    const store = new Store();
    for (const id of HOSTS) lab.post(id, 'pick', [1, 2]);
    await lab.settle();
    store.put(await lab.snapshotParts());
    lab.dispose();
    // That layout: every component's own part names `component/<id>/#…` copies of its groups.
    const before = new Store();
    for (const [key, { json }] of store.parts) {
      if (isSharedPart(key)) continue;
      const id = key.startsWith('component/') ? key.split('/')[1] : undefined;
      const own = id ? json.replaceAll('shared/#', `component/${id}/#`) : json;
      before.parts.set(key, { hash: partHash(own), json: own });
      for (const [shared] of id ? own.matchAll(/component\/[^/]+\/#[0-9a-z.]+/g) : []) {
        const copy = store.parts.get(shared.replace(/^component\/[^/]+\//, 'shared/'));
        if (copy) before.parts.set(shared, copy);
      }
    }
    expect([...before.parts.keys()].some(isSharedPart)).toBe(false);
    const opened = await reopened(before);
    opened.post('host-2', 'pick', [1, 3]);
    await opened.settle();
    await before.save(opened);
    const joined = joinParts(before.json(), 'lab') as { components: Record<string, { state: unknown }> };
    const running = await opened.snapshot();
    for (const id of HOSTS) expect(JSON.stringify(joined.components[id].state)).toBe(JSON.stringify(running.components[id].state));
    // host-2's groups are shared now (its old copies dropped); the hosts no message reached keep theirs.
    expect([...before.parts.keys()].filter((k) => k.startsWith('component/host-2/#'))).toEqual([]);
    expect([...before.parts.keys()].some((k) => k.startsWith('component/host-1/#'))).toBe(true);
    expect([...before.parts.keys()].some(isSharedPart)).toBe(true);
    opened.dispose();
  });

  it('hosts holding the same list have one unit make its groups; the others only name them', async () => {
    const lab = await Lab.boot(document(), transport);
    const store = new Store();
    store.put(await lab.snapshotParts());
    await lab.partsStored();
    for (const id of HOSTS) lab.post(id, 'pick', [3]);
    await lab.settle();
    const changes = (await lab.changedParts(store.known()))!;
    const made = changes.put.filter((p) => isSharedPart(p.key));
    expect(made.length).toBeGreaterThan(1);
    expect(new Set(made.map((p) => p.key)).size).toBe(made.length);
    // The list the hosts held before is no one's now.
    expect(changes.drop.filter(isSharedPart).length).toBeGreaterThan(0);
    lab.dispose();
  });
});
