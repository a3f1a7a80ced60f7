import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NsxManager } from '../../workers/manager/manager';
import preset from '../../workers/lab/presets/classroom.json';
import { FW, TestContext, classroomInventory } from './fixtures';

const L3 = `${FW}/config/layer3sections`;
const SVC = '/api/2.0/services';

const ruleXml = (action: string, extra = '') => `<rule><name>r</name><action>${action}</action>${extra}</rule>`;

/** Requests likely to be refused, mixed with ones likely to succeed, so refusals hit varied states. */
const request = fc.oneof(
  fc.record({
    method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH'),
    path: fc.constantFrom(`${FW}/config`, `${L3}`, `${L3}/1003`, `${L3}/1005`, `${L3}/1003/rules`, `${L3}/1003/rules/1001`, `${L3}/1005/rules/1006`, `${FW}/drafts`, '/api/2.1/app/excludelist/vm-12', '/api/2.1/app/excludelist/vm-36', `${SVC}/securitygroup/securitygroup-10`, `${SVC}/ipset/globalroot-0`, `${SVC}/securitytags/tag/securitytag-1`, '/api/4.0/services/spoofguard/policies/spoofguardpolicy-1'),
    body: fc.constantFrom(
      undefined,
      '',
      '<section name="x"><rule></section>',
      '<section name="A"/>',
      '<section/>',
      ruleXml('explode'),
      ruleXml('deny'),
      ruleXml('allow', '<sources><source><value>not-an-ip</value><type>Ipv4Address</type></source></sources>'),
      ruleXml('allow', '<services><service><protocol>6</protocol><destinationPort>99999</destinationPort></service></services>'),
      '<firewallConfiguration><layer3Sections><section name="dup"/><section name="dup"/></layer3Sections></firewallConfiguration>',
      '<ipset><name>i</name><value>1.2.3</value></ipset>',
      '<securitygroup><name>g</name><member><objectId>vm-404</objectId></member></securitygroup>',
      '<spoofguardPolicy><name>p</name><operationMode>MAYBE</operationMode></spoofguardPolicy>',
    ),
    ifMatch: fc.constantFrom(undefined, '', '1', 'stale', '*current*'),
    query: fc.constantFrom('', '?operation=insert_after&anchorId=1003', '?operation=insert_before&anchorId=4242', '?operation=sideways', '?force=false'),
  }),
);

describe('a refused request never changes anything', () => {
  it('holds for random request sequences', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 25 }), (reqs) => {
        const ctx = new TestContext();
        const manager = new NsxManager(NsxManager.initialState(preset, classroomInventory()), ctx);
        for (const r of reqs) {
          ctx.advance(1);
          const current = manager.rest({ method: 'GET', path: r.path.includes('/rules') || /sections\/\d+$/.test(r.path) ? r.path.replace(/\/rules\/\d+$/, '').replace(/\/rules$/, '') : `${FW}/config` }).headers.ETag;
          const ifMatch = r.ifMatch === '*current*' ? current : r.ifMatch;
          const before = manager.snapshot();
          const eventsBefore = ctx.events.length;
          const res = manager.rest({ method: r.method, path: r.path + r.query, body: r.body, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
          if (res.status >= 400) {
            expect(manager.snapshot()).toEqual(before);
            expect(ctx.events.length).toBe(eventsBefore);
            expect(res.body).toMatch(/^<error><details>.+<\/details><errorCode>\d+<\/errorCode><moduleName>.+<\/moduleName><\/error>$/s);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
