/** What real NSX clients send (nsx-reference §1): header spellings, content types, XML forms, paths. */
import { describe, expect, it } from 'vitest';
import { api, FW, newManager, parse } from './fixtures';

const L3 = `${FW}/config/layer3sections`;

function setup() {
  const m = newManager();
  return { ...m, a: api(m.manager) };
}

const rule = '<rule disabled="false" logged="false"><name>curl rule</name><action>deny</action></rule>';

describe('request shapes real clients send', () => {
  it('accepts application/xml with or without a charset, and text/xml', () => {
    const { a } = setup();
    for (const type of ['application/xml', 'application/xml; charset=utf-8', 'Application/XML;charset=UTF-8', 'text/xml']) {
      const res = a.post(L3, `<section name="s ${type}"/>`, { 'Content-Type': type });
      expect(res.status, type).toBe(201);
    }
  });

  it('refuses a JSON body with 415 and an NSX error that says to send XML, changing nothing', () => {
    const { a } = setup();
    const before = a.get(`${FW}/config`).headers.ETag;
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/vnd.vmware+json']) {
      const res = a.post(L3, '{"name":"json section"}', { 'Content-Type': type });
      expect(res.status, type).toBe(415);
      expect(parse(res).error.details).toMatch(/XML/);
    }
    expect(a.get(`${FW}/config`).headers.ETag).toBe(before);
    // A body-less DELETE with a JSON content type is not a JSON body: it still works.
    expect(a.del(`${FW}/config`, { 'Content-Type': 'application/json' }).status).toBe(204);
  });

  it('reads XML with a declaration, a default namespace and prefixed elements', () => {
    const { a } = setup();
    const body =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<ns2:section xmlns:ns2="http://www.vmware.com/vcns/schema" name="Namespaced">' +
      '<ns2:rule disabled="false" logged="false"><ns2:name>ns rule</ns2:name><ns2:action>deny</ns2:action></ns2:rule></ns2:section>';
    const res = a.post(L3, body);
    expect(res.status).toBe(201);
    const section = parse(res).section[0];
    expect(section['@name']).toBe('Namespaced');
    expect(section.rule[0].name).toBe('ns rule');
    expect(section.rule[0].action).toBe('deny');
    const plain = a.post(L3, '<?xml version="1.0"?><section xmlns="http://www.vmware.com/vcns/schema" name="Default ns"/>');
    expect(plain.status).toBe(201);
    expect(plain.body).not.toContain('xmlns');
  });

  it('puts an ETag on every GET of the config, a section (by id or by name) and a rule', () => {
    const { a } = setup();
    const created = a.post(L3, '<section name="Tagged"/>');
    const id = parse(created).section[0]['@id'];
    expect(created.headers.Location).toBe(`${L3}/${id}`);
    const gen = parse(a.get(`${L3}/${id}`)).section[0]['@generationNumber'];
    expect(a.get(`${FW}/config`).headers.ETag).toBeTruthy();
    expect(a.get(`${L3}/${id}`).headers.ETag).toBe(gen);
    expect(a.get(`${L3}?name=Tagged`).headers.ETag).toBe(gen);
    const r = a.post(`${L3}/${id}/rules`, rule, { 'if-match': gen });
    expect(r.status).toBe(201);
    const ruleId = parse(r).rule[0]['@id'];
    expect(r.headers.Location).toBe(`${L3}/${id}/rules/${ruleId}`);
    const newGen = a.get(`${L3}/${id}`).headers.ETag;
    expect(a.get(`${L3}/${id}/rules/${ruleId}`).headers.ETag).toBe(newGen);
  });

  it('takes If-Match in any case and tolerates trailing and doubled slashes on writes', () => {
    const { a } = setup();
    const id = parse(a.post(`${L3}/`, '<section name="Slashes"/>')).section[0]['@id'];
    const etag = a.get(`/api//4.0/firewall/globalroot-0/config/layer3sections/${id}/`).headers.ETag!;
    expect(a.post(`${L3}//${id}/rules/`, rule, { 'IF-MATCH': etag }).status).toBe(201);
    expect(a.post(`${L3}/${id}/rules`, rule, { 'If-Match': etag }).status).toBe(412); // now stale
  });
});
