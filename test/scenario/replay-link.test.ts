/**
 * Issue 12 item 7: a lab link carries the preset and the actions the lab ran, and opens to the
 * same lab; a broken one is refused with a reason.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type LabAction, replayActions } from '../../workers/lab/action-log';
import { Lab } from '../../workers/lab/lab';
import { validateLabDocument } from '../../workers/lab/lab-document';
import { joinParts } from '../../workers/lab/lab-parts';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { LabApi } from '../../workers/lab/lab-api';
import { playScript } from '../../workers/lab/determinism-script';
import { buildLab, CLASSROOM } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { REPLAY_FORMAT, replayOf } from '../../src/share/replay-link';
import { decodeShareLink, encodeShareLink, SHARE_PREFIX } from '../../src/share/share-link';

const boot = async (doc = buildLab(CLASSROOM, 1, 'Shared lab')) => new LabApi(await Lab.boot(doc, inProcessTransport));

/** The link, and whether it opens to the lab's state (deep equality: validation may order keys otherwise). */
async function roundTrip(api: LabApi): Promise<{ link: string; same: boolean }> {
  const replay = replayOf(api.lab);
  if (!replay) throw new Error('a lab booted from the preset has a replay');
  const link = await encodeShareLink(replay, { route: '/nsx/firewall', lesson: 'lockout', step: 2 });
  const r = await decodeShareLink(link);
  if (!r.ok || r.kind !== 'lab') throw new Error(r.ok ? 'not a lab' : r.message);
  expect(r.at).toEqual({ route: '/nsx/firewall', lesson: 'lockout', step: 2 });
  // As JSON: the live history's request bodies may hold keys set to undefined, which a save or a link drops.
  const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
  return { link, same: isDeepStrictEqual(json(r.lab), json(await api.lab.snapshot())) };
}

const VMS = ['web-sv-01a', 'web-sv-01b', 'app-sv-01a', 'db-sv-01a', 'web-sv-02a'];
type Edit = (api: LabApi) => Promise<unknown>;
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ from: fc.constantFrom(...VMS), to: fc.constantFrom(...VMS), port: fc.constantFrom(22, 80, 443, 3306) }).map(({ from, to, port }) => (api: LabApi) => api.probe({ from, to, proto: 'tcp', port })),
  fc.integer({ min: 1, max: 400 }).map((s) => (api: LabApi) => api.wait(s)),
  fc.string({ minLength: 1, maxLength: 12 }).filter((n) => /^[A-Za-z0-9 ]+$/.test(n)).map((n) => (api: LabApi) =>
    api.rest({ method: 'POST', path: '/api/4.0/firewall/globalroot-0/config/layer3sections', body: `<section name="${n}"><rule disabled="false" logged="true"><name>${n}</name><action>deny</action></rule></section>` })),
  fc.constantFrom(...VMS).map((vm) => (api: LabApi) => api.guest(vm, 'service vmware-tools stop')),
  fc.constant((api: LabApi) => api.vmotion('app-sv-01a', 'esxcomp-01b')),
);

describe('compact lab links', () => {
  it('a lab after the determinism script opens as the same lab, in a link of under 2 kB', async () => {
    const api = await boot();
    await playScript(api);
    const { link, same } = await roundTrip(api);
    expect(same).toBe(true);
    expect(link.length).toBeLessThan(2_000);
    // The whole lab as before, for scale.
    expect((await encodeShareLink(await api.lab.snapshot())).length).toBeGreaterThan(10 * link.length);
  });

  it('any edits round-trip to the same lab state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { maxLength: 6 }), async (edits) => {
        const api = await boot();
        for (const e of edits) await e(api).catch(() => undefined);
        expect((await roundTrip(api)).same).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('a lab reopened from storage (its parts joined) keeps its history: its link opens to the same lab, after more edits too', async () => {
    const api = await boot();
    await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    await api.wait(30);
    const saved = await api.lab.snapshotParts();
    const joined = joinParts(new Map(saved.map((p) => [p.key, p.json!])), 'Shared lab');
    const read = validateLabDocument(joined);
    if (!read.ok) throw new Error(read.message);
    expect(read.doc.history?.actions.length).toBe(api.lab.actionLog.actions.length);
    const reopened = await boot(read.doc);
    await reopened.rest({ method: 'POST', path: '/api/4.0/firewall/globalroot-0/config/layer3sections', body: '<section name="After the reload"/>' });
    await reopened.wait(12);
    reopened.lab.keepWorkingCopy('firewall', { edits: ['kept'] });
    const { link, same } = await roundTrip(reopened);
    expect(same).toBe(true);
    expect(link.length).toBeLessThan(2_000);
  });

  it('a lab not from the preset has no history and travels whole', async () => {
    // The classroom preset writes the history a compact link starts from; a lab without one (from a file, another preset) has none.
    const { history: _fromPreset, ...doc } = buildLab(CLASSROOM, 1, 'Shared lab');
    const changed = await boot({ ...doc, clock: doc.clock + 1 });
    expect(changed.lab.history()).toBeUndefined();
    expect(replayOf(changed.lab)).toBeNull();
    expect((await changed.lab.snapshot()).history).toBeUndefined();
  });

  it('a history past what a link replays (4 h of lab time) sends the whole lab instead', async () => {
    const api = await boot();
    await api.lab.advance(14_400_001);
    expect(api.lab.history()).toBeDefined();
    expect(replayOf(api.lab)).toBeNull();
  });

  it('property: advances merged into one replay as the separate advances did, across worker_threads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 3 }), async (ticks, probeAt) => {
        const separate = await boot();
        const merged = new LabApi(await Lab.boot(buildLab(CLASSROOM, 1, 'Shared lab'), nodeWorkerTransport()));
        try {
          for (const [i, ms] of ticks.entries()) {
            if (i === probeAt) await separate.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
            await separate.lab.advance(ms);
          }
          const log = separate.lab.history()!.actions;
          // Ticks in a row are one advance in the log.
          expect(log.filter((a) => a.do === 'advance').length).toBeLessThanOrEqual(ticks.length > probeAt ? 2 : 1);
          await replayActions(merged.lab, log.map((a) => ({ ...a, at: 0 }) as LabAction));
          expect(merged.lab.now).toBe(separate.lab.now);
          expect(merged.lab.events).toEqual(separate.lab.events);
          expect(JSON.stringify(await merged.lab.snapshot())).toBe(JSON.stringify(await separate.lab.snapshot()));
        } finally {
          merged.lab.dispose();
        }
      }),
      { numRuns: 2 }, // each run boots worker_threads: a few seconds on a quiet machine
    );
  }, 240_000);

  it('a broken replay is refused with a reason', async () => {
    const link = (value: unknown) => `${SHARE_PREFIX}${Buffer.from(deflateRawSync(Buffer.from(JSON.stringify(value)))).toString('base64url')}`;
    const good = { format: REPLAY_FORMAT, preset: 'classroom', seed: 1, name: 'x', actions: [] };
    const refused = async (value: unknown) => {
      const r = await decodeShareLink(link(value));
      if (r.ok) throw new Error('expected a refusal');
      return r.message;
    };
    expect((await decodeShareLink(link(good))).ok).toBe(true);
    expect(await refused({ ...good, preset: 'other' })).toMatch(/lab link is not valid: \$\.preset/);
    expect(await refused({ ...good, actions: [{ do: 'advance', ms: 14_400_001 }] })).toMatch(/not valid/);
    expect(await refused({ ...good, actions: Array.from({ length: 5 }, () => ({ do: 'advance', ms: 3_600_000 })) })).toMatch(/hours of lab time/);
    expect(await refused({ ...good, actions: [{ do: 'format-disk' }] })).toMatch(/not valid/);
    expect(await refused({ ...good, actions: [{ do: 'request', to: 'manager', kind: 'x', body: {}, extra: 1 }] })).toMatch(/not valid/);
  });
});
