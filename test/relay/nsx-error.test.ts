import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nsxError } from '../../src/pwa/nsx-error';
import { buildXml, el, leaf, parseXml } from '../../workers/protocol/nsx-xml';

describe("the relay's own NSX error bodies", () => {
  it('are byte for byte what the shared NSX XML builder writes, for any details text', () => {
    const reference = (details: string, code: number) => buildXml(el('error', {}, leaf('details', details), leaf('errorCode', code), leaf('moduleName', 'DFW Lab API')));
    for (const details of ['plain', `quotes " and ' and <tags> & ampersands`, 'User auditor may not PUT /api/4.0/firewall/globalroot-0/config']) {
      expect(nsxError(403, 'forbidden', details).body).toBe(reference(details, 403));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (details) => {
        expect(nsxError(503, 'noTab', details).body).toBe(reference(details, 503));
      }),
    );
  });

  it('parse back to the details they were given', () => {
    const body = nsxError(401, 'unauthenticated', 'a < b & "c"').body;
    const root = parseXml(body);
    expect(root.tag).toBe('error');
    expect(root.children.find((c) => c.tag === 'details')?.text).toBe('a < b & "c"');
  });
});
