import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { decodeShareLink, encodeShareLink, MAX_JSON_BYTES, SHARE_PREFIX } from '../../src/share/share-link';
import { builtinScenarios } from './builtin-files';
import { scenario } from './helpers';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const linkOf = (value: unknown) => `${SHARE_PREFIX}${b64url(deflateRawSync(Buffer.from(JSON.stringify(value))))}`;
const refused = async (link: string) => {
  const r = await decodeShareLink(link);
  if (r.ok) throw new Error('expected the link to be refused');
  return r.message;
};

describe('share links', () => {
  it('round-trip every built-in scenario', async () => {
    for (const { scenario: s } of builtinScenarios()) {
      const link = await encodeShareLink(s);
      expect(link.startsWith('#/s/1/')).toBe(true);
      const r = await decodeShareLink(`https://lab.example/app/${link}`);
      expect(r.ok, r.ok ? '' : `${s.id}: ${r.message}`).toBe(true);
      if (r.ok && r.kind === 'scenario') expect(r.scenario).toEqual(s);
    }
  });

  it('round-trip a lab snapshot', async () => {
    const lab = buildLab();
    const r = await decodeShareLink(await encodeShareLink(lab));
    expect(r.ok && r.kind === 'lab' && r.lab).toEqual(lab);
  });

  it('refuse bad base64, bad deflate, bad JSON, other versions and other links, with a reason', async () => {
    expect(await refused('#/s/1/!!!not-base64!!!')).toMatch(/not valid base64url/);
    expect(await refused('#/s/1/')).toMatch(/not valid base64url/);
    expect(await refused(`#/s/1/${b64url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00]))}`)).toMatch(/does not decompress/);
    expect(await refused(`#/s/1/${b64url(deflateRawSync(Buffer.from('{"format": nope')))}`)).toMatch(/not JSON/);
    expect(await refused(`#/s/1/${b64url(deflateRawSync(Buffer.from([0xc3, 0x28])))}`)).toMatch(/not JSON/);
    expect(await refused('#/s/2/abc')).toMatch(/share format 2/);
    expect(await refused('#/scenario/x')).toMatch(/not a DFW Lab share link/);
    expect(await refused(linkOf({ hello: 'world' }))).toMatch(/neither a scenario nor a lab/);
    expect(await refused(linkOf({ format: 'dfw-lab/scenario@1', id: 'x' }))).toMatch(/^This scenario is not valid: \$\.title/);
    expect(await refused(linkOf({ ...buildLab(), seed: -1 }))).toMatch(/^This lab is not valid: \$\.seed/);
  });

  it('refuse huge payloads: too long, or a deflate bomb', async () => {
    expect(await refused(`#/s/1/${'A'.repeat(1_600_000)}`)).toMatch(/too long/);
    const bomb = deflateRawSync(Buffer.alloc(MAX_JSON_BYTES + 1000, 0x20));
    expect(b64url(bomb).length).toBeLessThan(20_000);
    expect(await refused(`#/s/1/${b64url(bomb)}`)).toMatch(/unpacks to more than/);
  });

  it('refuse script, raw HTML and outside URLs in what a learner reads', async () => {
    const s = (say: string, extra: Record<string, unknown> = {}) => linkOf({ ...scenario([{ say }]), ...extra });
    expect(await refused(s('hello <script>alert(1)</script>'))).toMatch(/step 1 contains a script/);
    expect(await refused(s('<img src=x onerror=alert(1)>'))).toMatch(/step 1 contains raw HTML/);
    expect(await refused(s('[click](javascript:alert(1))'))).toMatch(/outside URL/);
    expect(await refused(s('![pixel](https://tracker.example/p.png)'))).toMatch(/outside URL/);
    expect(await refused(s('see //evil.example/x'))).toMatch(/outside URL/);
    expect((await decodeShareLink(s('in the console: `curl http://app-sv-01a:8443/`'))).ok).toBe(true);
    expect(await refused(s('ok', { title: '<b>bold</b>' }))).toMatch(/title contains raw HTML/);
    expect(await refused(linkOf({ ...scenario([{ say: 'x', hint: ['<iframe src="x">'] }]) }))).toMatch(/hint 1 contains raw HTML/);
    expect(await refused(linkOf({ ...buildLab(), name: '<img src=x onerror=alert(1)>' }))).toMatch(/name contains HTML/);
    // XML in code spans is fine: lessons show request bodies.
    expect((await decodeShareLink(s('Send `<action>deny</action>` and **publish**.'))).ok).toBe(true);
  });

  it('refuse API paths that point outside the lab', async () => {
    const link = linkOf({ format: 'dfw-lab/scenario@1', id: 'x', title: 'X', summary: '', lab: { preset: 'classroom' }, steps: [{ say: 'x', do: [{ op: 'api', method: 'GET', path: 'https://evil.example/' }] }] });
    expect(await refused(link)).toMatch(/\$\.steps\[0\]\.do\[0\]\.path: an API path starts with \//);
  });
});
