/**
 * Lab.revision: what a save needs to know. It moves when the lab changes and stays when only
 * asked (queries, the screens' re-reads, a goal check's dry run), and whenever it stays every
 * component, the event log, the agenda and the clock are as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabApi, ProbeSpec } from '../../workers/lab/lab-api';
import { componentOfPart, isComponentPart, joinParts, type PartRef } from '../../workers/lab/lab-parts';
import { bootClassroom } from './helpers';

const VMS = ['web-sv-01a', 'app-sv-01a', 'db-sv-01a', 'vcsa-01a'];

/** The lab as a save stores it, without the bookkeeping a read moves (request counter, action log). */
async function stored(api: LabApi): Promise<string> {
  const doc = await api.lab.snapshot();
  return JSON.stringify({ components: doc.components, events: doc.events, pending: doc.pending, clock: doc.clock, sessions: doc.sessions });
}

/** Reads the screens poll (the Firewall and Publish status screens among them), and a HEAD. */
const REST_READS = ['/api/4.0/firewall/globalroot-0/config', '/api/4.0/firewall/globalroot-0/status', '/api/2.1/app/excludelist', '/api/4.0/firewall/globalroot-0/config/layer3sections/1001', '/api/2.0/services/securitygroup/scope/globalroot-0', '/api/2.0/services/policy/securitypolicy/all', '/api/4.0/firewall/stats/eventthresholds', '/api/2.0/nwfabric/status?resource=domain-c7', '/api/4.0/firewall/globalroot-0/drafts', '/api/2.1/app/flow/flowstats', '/api/2.1/app/flow/flowstats/info'];
const EXCLUDED_VM = 'vm-11';
/** A write that sends no message (no publish): only NSX Manager's own state and audit line tell it happened. */
const createTag = (api: LabApi, name: string) => api.rest({ method: 'POST', path: '/api/2.0/services/securitytags/tag', headers: { 'Content-Type': 'application/xml' }, body: `<securityTag><name>${name}</name></securityTag>` });

/**
 * The store as the lab's saves leave it: a full save first, then only what each save finds
 * changed (changedParts, which serialises the components a non-query message reached). A write
 * taken for a query would leave its component out, and the store would fall behind the lab.
 */
class IncrementalStore {
  private parts = new Map<string, { hash: number; json: string }>();

  private constructor(private readonly api: LabApi) {}

  static async start(api: LabApi): Promise<IncrementalStore> {
    const store = new IncrementalStore(api);
    store.put(await api.lab.snapshotParts());
    await api.lab.partsStored();
    return store;
  }

  async save(): Promise<void> {
    const changes = (await this.api.lab.changedParts(new Map([...this.parts].map(([key, p]) => [key, p.hash]))))!;
    this.put(changes.put);
    for (const key of changes.drop) this.parts.delete(key);
    await this.api.lab.partsStored();
  }

  components(): unknown {
    return (joinParts(new Map([...this.parts].map(([key, p]) => [key, p.json])), 'lab') as { components: unknown }).components;
  }

  private put(parts: PartRef[]): void {
    for (const p of parts) this.parts.set(p.key, { hash: p.hash, json: p.json ?? this.parts.get(p.key)!.json });
  }
}

type Op = { do: 'rest-read'; method: 'GET' | 'HEAD'; path: string } | { do: 'exclude'; add: boolean } | { do: 'tag'; name: string } | { do: 'inventory' } | { do: 'agencies' } | { do: 'transfers' } | { do: 'dry-probe'; spec: ProbeSpec } | { do: 'probe'; spec: ProbeSpec } | { do: 'wait'; s: number } | { do: 'power-off' } | { do: 'login'; user: string; ok: boolean };
const spec: fc.Arbitrary<ProbeSpec> = fc.record({
  from: fc.constantFrom(...VMS, 'admin-ws'),
  to: fc.constantFrom(...VMS),
  proto: fc.constantFrom('tcp' as const, 'icmp' as const),
  port: fc.constantFrom(22, 80, 443, 3306),
});
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ do: fc.constant('rest-read' as const), method: fc.constantFrom('GET' as const, 'HEAD' as const), path: fc.constantFrom(...REST_READS) }),
  fc.boolean().map((add) => ({ do: 'exclude' as const, add })),
  fc.integer({ min: 1, max: 4 }).map((n) => ({ do: 'tag' as const, name: `tag-${n}` })),
  fc.constant({ do: 'inventory' as const }),
  fc.constant({ do: 'agencies' as const }),
  fc.constant({ do: 'transfers' as const }),
  spec.map((s) => ({ do: 'dry-probe' as const, spec: s })),
  spec.map((s) => ({ do: 'probe' as const, spec: s })),
  fc.integer({ min: 0, max: 5 }).map((s) => ({ do: 'wait' as const, s })),
  fc.constant({ do: 'power-off' as const }),
  fc.record({ do: fc.constant('login' as const), user: fc.constantFrom('admin', 'auditor'), ok: fc.boolean() }),
);

async function play(api: LabApi, o: Op): Promise<void> {
  if (o.do === 'rest-read') await api.rest({ method: o.method, path: o.path });
  else if (o.do === 'exclude') await api.rest({ method: o.add ? 'PUT' : 'DELETE', path: `/api/2.1/app/excludelist/${EXCLUDED_VM}` });
  else if (o.do === 'tag') await createTag(api, o.name);
  else if (o.do === 'inventory') await api.inventory();
  else if (o.do === 'agencies') await api.eamAgencies();
  else if (o.do === 'transfers') await api.transfers();
  else if (o.do === 'dry-probe') await api.dryRun((d) => d.probe(o.spec));
  else if (o.do === 'probe') await api.probe(o.spec);
  else if (o.do === 'wait') await api.wait(o.s);
  else if (o.do === 'login') await api.login(o.user, 'rest', o.ok);
  else await api.power('db-sv-01a', 'off');
}

/** The classroom lab once saved whole, and the components each later save serialises. */
async function savedClassroom() {
  const api = await bootClassroom();
  await api.lab.settle();
  const parts = await api.lab.snapshotParts();
  await api.lab.partsStored();
  const known = new Map(parts.map((p) => [p.key, p.hash]));
  /** Saves what changed (the store then holds it) and names the components it serialised. */
  const serialised = async () => {
    const changes = (await api.lab.changedParts(known))!;
    await api.lab.partsStored();
    for (const p of changes.put) known.set(p.key, p.hash);
    for (const key of changes.drop) known.delete(key);
    return [...new Set(changes.put.filter((p) => isComponentPart(p.key)).map((p) => componentOfPart(p.key)))];
  };
  return { api, serialised };
}

describe('Lab.revision', () => {
  it('stays on reads and dry runs, moves on a change', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const start = api.lab.revision;
    await api.inventory();
    await api.eamAgencies();
    await api.transfers();
    await api.dryRun((d) => d.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 }));
    expect(api.lab.revision).toBe(start);
    await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const afterProbe = api.lab.revision;
    expect(afterProbe).toBeGreaterThan(start);
    await api.wait(1);
    expect(api.lab.revision).toBeGreaterThan(afterProbe);
    const beforeCopy = api.lab.revision;
    api.lab.keepWorkingCopy('firewall', { sections: [] });
    expect(api.lab.revision).toBeGreaterThan(beforeCopy);
    api.lab.dispose();
  });

  it('whenever it stays, the lab a save would store is unchanged; the saves keep up with the lab', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const store = await IncrementalStore.start(api);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 4 }), async (ops) => {
        for (const o of ops) {
          const before = await stored(api);
          const revision = api.lab.revision;
          await play(api, o);
          if (api.lab.revision === revision) expect(await stored(api)).toBe(before);
          await store.save();
          expect(store.components()).toEqual((await api.lab.snapshot()).components);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
    api.lab.dispose();
  });

  it('a REST GET leaves it and the components a save serialises alone; a write (POST, PUT) moves both', async () => {
    const { api, serialised } = await savedClassroom();
    const start = api.lab.revision;
    expect((await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config' })).status).toBe(200);
    await api.rest({ method: 'HEAD', path: '/api/4.0/firewall/globalroot-0/config' });
    expect(api.lab.revision).toBe(start);
    expect(await serialised()).toEqual([]);
    expect((await createTag(api, 'quarantine')).status).toBe(201);
    expect(api.lab.revision).toBeGreaterThan(start);
    expect(await serialised()).toEqual(['manager']);
    const afterPost = api.lab.revision;
    expect((await api.rest({ method: 'PUT', path: `/api/2.1/app/excludelist/${EXCLUDED_VM}` })).status).toBe(200);
    expect(api.lab.revision).toBeGreaterThan(afterPost);
    expect(await serialised()).toContain('manager');
    api.lab.dispose();
  });

  it('a login (each curl request makes one) moves it only when it writes an audit line: not again within the session', async () => {
    const { api, serialised } = await savedClassroom();
    const audited = async () => (await api.lab.snapshot()).events.filter((e) => e.kind === 'audit' && e.data?.operation === 'LOGIN').length;
    const start = api.lab.revision;
    await api.login('admin', 'rest', true);
    const first = api.lab.revision;
    expect(first).toBeGreaterThan(start);
    expect(await audited()).toBe(1);
    expect(await serialised()).toEqual(['manager']);
    await api.login('admin', 'rest', true);
    expect(api.lab.revision).toBe(first);
    expect(await serialised()).toEqual([]);
    await api.login('admin', 'rest', false);
    const failed = api.lab.revision;
    expect(failed).toBeGreaterThan(first);
    expect(await audited()).toBe(2);
    await api.login('auditor', 'rest', true);
    expect(api.lab.revision).toBeGreaterThan(failed);
    await api.wait(61);
    const later = api.lab.revision;
    await api.login('admin', 'rest', true);
    expect(api.lab.revision).toBeGreaterThan(later);
    expect(await audited()).toBe(4);
    api.lab.dispose();
  });
});
