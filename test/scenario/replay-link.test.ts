/**
 * Issue 12 item 7: a lab link carries the preset and the actions the lab ran, and opens to the
 * same lab; a broken one is refused with a reason.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
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
  return { link, same: isDeepStrictEqual(r.lab, await api.lab.snapshot()) };
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

  it('a lab not booted from the preset (opened from storage) has no replay and travels whole', async () => {
    const api = await boot();
    await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    const reopened = await boot(JSON.parse(JSON.stringify(await api.lab.snapshot())));
    expect(replayOf(reopened.lab)).toBeNull();
  });

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
