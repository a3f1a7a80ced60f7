import { describe, expect, it } from 'vitest';
import { api, FW, newManager, parse } from './fixtures';

const L3 = `${FW}/config/layer3sections`;
const L2 = `${FW}/config/layer2sections`;

function setup() {
  const m = newManager();
  return { ...m, a: api(m.manager) };
}

const webRule = (name = 'Allow web', extra = '') =>
  `<rule disabled="false" logged="true"><name>${name}</name><action>allow</action>` +
  `<sources excluded="false"><source><value>172.16.10.0/24</value><type>Ipv4Address</type></source></sources>` +
  `<destinations excluded="false"><destination><value>securitygroup-10</value><type>SecurityGroup</type></destination></destinations>` +
  `<services><service><value>application-1</value><type>Application</type></service></services>${extra}</rule>`;

describe('firewall configuration', () => {
  it('starts with the default configuration and its fixed ids', () => {
    const { a } = setup();
    const res = a.get(`${FW}/config`);
    expect(res.status).toBe(200);
    const cfg = parse(res).firewallConfiguration;
    const l3 = cfg.layer3Sections.section;
    expect(l3).toHaveLength(1);
    expect(l3[0]['@id']).toBe('1003');
    expect(l3[0]['@name']).toBe('Default Section Layer3');
    expect(l3[0].rule.map((r: any) => r['@id'])).toEqual(['1003', '1002', '1001']);
    expect(l3[0].rule.map((r: any) => r.action)).toEqual(['allow', 'allow', 'allow']);
    expect(l3[0].rule[2].name).toBe('Default Rule');
    const l2 = cfg.layer2Sections.section[0];
    expect(l2['@id']).toBe('1001');
    expect(l2['@name']).toBe('Default Section Layer2');
    expect(l2.rule[0]['@id']).toBe('1004');
    expect(res.headers.ETag).toBe(cfg.generationNumber);
  });

  it('filters GET /config by ruleType and ruleId', () => {
    const { a } = setup();
    const onlyL2 = parse(a.get(`${FW}/config?ruleType=LAYER2`)).firewallConfiguration;
    expect(onlyL2.layer3Sections).toBe('');
    expect(onlyL2.layer2Sections.section[0]['@id']).toBe('1001');
    const one = parse(a.get(`${FW}/config?ruleType=LAYER3&ruleId=1002`)).firewallConfiguration;
    expect(one.layer3Sections.section[0].rule.map((r: any) => r['@id'])).toEqual(['1002']);
  });

  it('PUT /config needs the config ETag and replaces the configuration', () => {
    const { a } = setup();
    const get = a.get(`${FW}/config`);
    const body = get.body.replace('<name>Default Rule</name><action>allow</action>', '<name>Default Rule</name><action>deny</action>');
    expect(a.put(`${FW}/config`, body).status).toBe(412);
    expect(a.put(`${FW}/config`, body, { 'If-Match': '12345' }).status).toBe(412);
    const ok = a.put(`${FW}/config`, body, { 'If-Match': get.headers.ETag! });
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.ETag)).toBeGreaterThan(Number(get.headers.ETag));
    const rules = parse(a.get(`${FW}/config`)).firewallConfiguration.layer3Sections.section[0].rule;
    expect(rules.find((r: any) => r['@id'] === '1001').action).toBe('deny');
  });

  it('DELETE /config restores the defaults with their ids and answers 204', () => {
    const { a } = setup();
    const created = a.post(L3, '<section name="Apps"/>');
    expect(created.status).toBe(201);
    const res = a.del(`${FW}/config`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    const cfg = parse(a.get(`${FW}/config`)).firewallConfiguration;
    expect(cfg.layer3Sections.section.map((s: any) => s['@id'])).toEqual(['1003']);
    expect(cfg.layer3Sections.section[0].rule.map((r: any) => r['@id'])).toEqual(['1003', '1002', '1001']);
    expect(cfg.layer2Sections.section[0].rule[0]['@id']).toBe('1004');
  });

  it('GET /defaultconfig returns the default configuration', () => {
    const { a } = setup();
    a.post(L3, '<section name="Apps"/>');
    const d = parse(a.get(`${FW}/defaultconfig`)).firewallConfiguration;
    expect(d.layer3Sections.section.map((s: any) => s['@id'])).toEqual(['1003']);
  });
});

describe('sections', () => {
  it('creates a section at the top with id 1005, a Location header, an ETag and the assigned ids in the body', () => {
    const { a } = setup();
    const res = a.post(L3, `<section name="Web tier">${webRule()}</section>`);
    expect(res.status).toBe(201);
    expect(res.headers.Location).toBe(`${L3}/1005`);
    const s = parse(res).section[0];
    expect(s['@id']).toBe('1005');
    expect(s.rule[0]['@id']).toBe('1005');
    expect(res.headers.ETag).toBe(s['@generationNumber']);
    const order = parse(a.get(`${FW}/config`)).firewallConfiguration.layer3Sections.section.map((x: any) => x['@id']);
    expect(order).toEqual(['1005', '1003']);
  });

  it('honours insert_before, insert_after and insert_before_default and refuses insert_after the default section', () => {
    const { a } = setup();
    a.post(L3, '<section name="A"/>'); // 1005
    a.post(`${L3}?operation=insert_before_default`, '<section name="Z"/>'); // 1006
    a.post(`${L3}?operation=insert_after&anchorId=1005`, '<section name="B"/>'); // 1007
    a.post(`${L3}?operation=insert_before&anchorId=1005`, '<section name="Top"/>'); // 1008
    const order = parse(a.get(`${FW}/config`)).firewallConfiguration.layer3Sections.section.map((x: any) => x['@name']);
    expect(order).toEqual(['Top', 'A', 'B', 'Z', 'Default Section Layer3']);
    const bad = a.post(`${L3}?operation=insert_after&anchorId=1003`, '<section name="After default"/>');
    expect(bad.status).toBe(400);
    expect(parse(bad).error.details).toMatch(/after the default section/);
  });

  it('reads a section by id and by name (wrapped in <sections>), 404 when unknown', () => {
    const { a } = setup();
    a.post(L3, '<section name="Web tier"/>');
    const byId = a.get(`${L3}/1005`);
    expect(byId.status).toBe(200);
    expect(byId.headers.ETag).toBe(parse(byId).section[0]['@generationNumber']);
    const byName = parse(a.get(`${L3}?name=Web%20tier`));
    expect(byName.sections.section[0]['@id']).toBe('1005');
    expect(a.get(`${L3}?name=Nope`).status).toBe(404);
    const missing = a.get(`${L3}/4242`);
    expect(missing.status).toBe(404);
    expect(parse(missing).error.errorCode).toBeTruthy();
    expect(a.get(`${L2}/1003`).status).toBe(404); // an L3 section is not in the L2 list
  });

  it('updates a section with its ETag; the PowerNSX pattern (PUT the section with a new rule, If-Match = generationNumber) works', () => {
    const { a } = setup();
    const created = parse(a.post(L3, '<section name="Web tier"/>')).section[0];
    const gen = created['@generationNumber'];
    const body = `<section id="1005" name="Web tier" generationNumber="${gen}">${webRule('from powernsx')}</section>`;
    const stale = a.put(`${L3}/1005`, body, { 'If-Match': String(Number(gen) - 1) });
    expect(stale.status).toBe(412);
    expect(parse(stale).error.details).toMatch(/has changed/);
    const ok = a.put(`${L3}/1005`, body, { 'If-Match': gen });
    expect(ok.status).toBe(200);
    const s = parse(ok).section[0];
    expect(s.rule[0]['@id']).toBe('1005');
    expect(s.rule[0].name).toBe('from powernsx');
    expect(Number(ok.headers.ETag)).toBeGreaterThan(Number(gen));
  });

  it('keeps other sections\' ETags valid when one section changes', () => {
    const { a } = setup();
    a.post(L3, '<section name="A"/>');
    const b = a.post(L3, '<section name="B"/>');
    const aTag = a.get(`${L3}/1005`).headers.ETag!;
    a.put(`${L3}/1006`, '<section name="B2"/>', { 'If-Match': b.headers.ETag! });
    expect(a.get(`${L3}/1005`).headers.ETag).toBe(aTag);
    expect(a.put(`${L3}/1005`, '<section name="A2"/>', { 'If-Match': aTag }).status).toBe(200);
  });

  it('deletes a section with its ETag (204) and refuses the default section with 400', () => {
    const { a } = setup();
    const tag = a.post(L3, '<section name="Temp"/>').headers.ETag!;
    expect(a.del(`${L3}/1005`).status).toBe(412);
    expect(a.del(`${L3}/1005`, { 'If-Match': tag }).status).toBe(204);
    expect(a.get(`${L3}/1005`).status).toBe(404);
    const def = a.del(`${L3}/1003`, { 'If-Match': a.get(`${L3}/1003`).headers.ETag! });
    expect(def.status).toBe(400);
    expect(parse(def).error.details).toBe('Cannot delete default section 1003');
    const defL2 = a.del(`${L2}/1001`, { 'If-Match': a.get(`${L2}/1001`).headers.ETag! });
    expect(defL2.status).toBe(400);
    expect(parse(defL2).error.details).toBe('Cannot delete default section 1001');
  });

  it('moves a section with action=revise', () => {
    const { a } = setup();
    a.post(L3, '<section name="A"/>');
    a.post(L3, '<section name="B"/>'); // B above A
    const tag = a.get(`${L3}/1005`).headers.ETag!;
    const res = a.post(`${L3}/1005?action=revise&operation=insert_before&anchorId=1006`, undefined, { 'If-Match': tag });
    expect(res.status).toBe(200);
    const order = parse(a.get(`${FW}/config`)).firewallConfiguration.layer3Sections.section.map((x: any) => x['@name']);
    expect(order).toEqual(['A', 'B', 'Default Section Layer3']);
  });

  it('creates L2 sections that are stateless by default', () => {
    const { a } = setup();
    const res = a.post(L2, '<section name="L2 rules"><rule><name>arp</name><action>allow</action><services><service><value>application-25</value></service></services></rule></section>');
    expect(res.status).toBe(201);
    const s = parse(res).section[0];
    expect(s['@type']).toBe('LAYER2');
    expect(s['@stateless']).toBe('true');
  });
});

describe('rules', () => {
  function withSection() {
    const s = setup();
    const res = s.a.post(L3, '<section name="Web tier"/>');
    return { ...s, etag: res.headers.ETag! };
  }

  it('creates a rule with the section ETag: 201, Location, body with the assigned id', () => {
    const { a, etag } = withSection();
    const res = a.post(`${L3}/1005/rules`, webRule(), { 'If-Match': etag });
    expect(res.status).toBe(201);
    expect(res.headers.Location).toBe(`${L3}/1005/rules/1005`);
    const r = parse(res).rule[0];
    expect(r['@id']).toBe('1005');
    expect(r.sectionId).toBe('1005');
    expect(r.destinations.destination[0].name).toBe('Web Servers');
    expect(r.services.service[0].name).toBe('HTTP');
  });

  it('refuses a rule without If-Match or with the config ETag instead of the section one', () => {
    const { a } = withSection();
    a.post(L3, '<section name="Other"/>'); // moves the config ETag past the section's
    expect(a.post(`${L3}/1005/rules`, webRule()).status).toBe(412);
    const configTag = a.get(`${FW}/config`).headers.ETag!;
    expect(a.post(`${L3}/1005/rules`, webRule(), { 'If-Match': configTag }).status).toBe(412);
  });

  it('accepts If-match (pynsxv spelling), quoted ETags and the generationNumber from the body', () => {
    const { a, etag } = withSection();
    const r1 = a.post(`${L3}/1005/rules`, webRule('one'), { 'If-match': etag });
    expect(r1.status).toBe(201);
    const r2 = a.post(`${L3}/1005/rules`, webRule('two'), { 'if-match': `"${r1.headers.ETag}"` });
    expect(r2.status).toBe(201);
    const gen = parse(a.get(`${L3}/1005`)).section[0]['@generationNumber'];
    expect(a.post(`${L3}/1005/rules`, webRule('three'), { 'IF-MATCH': gen }).status).toBe(201);
  });

  it('inserts rules at positions and refuses insert_after the default rule', () => {
    const { a, etag } = withSection();
    let tag = etag;
    const add = (name: string, q = '') => {
      const res = a.post(`${L3}/1005/rules${q}`, webRule(name), { 'If-Match': tag });
      tag = res.headers.ETag ?? tag;
      return res;
    };
    add('first'); // 1005
    add('top'); // 1006 on top
    add('after-first', '?operation=insert_after&anchorId=1005'); // 1007
    add('before-first', '?operation=insert_before&anchorId=1005'); // 1008
    const names = parse(a.get(`${L3}/1005`)).section[0].rule.map((r: any) => r.name);
    expect(names).toEqual(['top', 'before-first', 'first', 'after-first']);
    const defTag = a.get(`${L3}/1003`).headers.ETag!;
    const bad = a.post(`${L3}/1003/rules?operation=insert_after&anchorId=1001`, webRule('x'), { 'If-Match': defTag });
    expect(bad.status).toBe(400);
    const ok = a.post(`${L3}/1003/rules`, webRule('in default section'), { 'If-Match': defTag });
    expect(ok.status).toBe(201);
    const ids = parse(a.get(`${L3}/1003`)).section[0].rule.map((r: any) => r['@id']);
    expect(ids[ids.length - 1]).toBe('1001');
  });

  it('reads, updates and deletes a rule with the section ETag', () => {
    const { a, etag } = withSection();
    const created = a.post(`${L3}/1005/rules`, webRule(), { 'If-Match': etag });
    const path = `${L3}/1005/rules/1005`;
    const got = a.get(path);
    expect(got.status).toBe(200);
    expect(got.headers.ETag).toBe(created.headers.ETag);
    const updated = a.put(path, got.body.replace('<action>allow</action>', '<action>reject</action>'), { 'If-Match': got.headers.ETag! });
    expect(updated.status).toBe(200);
    expect(parse(updated).rule[0].action).toBe('reject');
    expect(a.del(path, { 'If-Match': got.headers.ETag! }).status).toBe(412); // stale after the update
    expect(a.del(path, { 'If-Match': updated.headers.ETag! }).status).toBe(204);
    expect(a.get(path).status).toBe(404);
  });

  it('lets the default rule change action but not be deleted', () => {
    const { a } = setup();
    const path = `${L3}/1003/rules/1001`;
    const got = a.get(path);
    const body = got.body.replace('<action>allow</action>', '<action>deny</action>').replace('<name>Default Rule</name>', '<name>renamed</name>');
    const res = a.put(path, body, { 'If-Match': got.headers.ETag! });
    expect(res.status).toBe(200);
    const r = parse(res).rule[0];
    expect(r.action).toBe('deny');
    expect(r.name).toBe('Default Rule');
    const del = a.del(path, { 'If-Match': res.headers.ETag! });
    expect(del.status).toBe(400);
    expect(parse(del).error.details).toMatch(/Cannot delete default rule 1001/);
  });

  it('accepts raw protocol services and PowerNSX value-only services', () => {
    const { a, etag } = withSection();
    const body = '<rule><name>raw</name><action>allow</action><services><service><protocol>6</protocol><destinationPort>8443</destinationPort><subProtocol>6</subProtocol></service><service><protocolName>UDP</protocolName><destinationPort>53</destinationPort></service><service><value>application-3</value></service></services></rule>';
    const res = a.post(`${L3}/1005/rules`, body, { 'If-Match': etag });
    expect(res.status).toBe(201);
    const services = parse(res).rule[0].services.service;
    expect(services[0].protocol).toBe('6');
    expect(services[0].destinationPort).toBe('8443');
    expect(services[1].protocol).toBe('17');
    expect(services[2].type).toBe('Application');
    expect(services[2].name).toBe('SSH');
  });
});

describe('transport tolerance and errors', () => {
  it('tolerates double slashes, full URLs, trailing slashes and empty attributes', () => {
    const { a } = setup();
    expect(a.get('/api//4.0/firewall//globalroot-0/config').status).toBe(200);
    expect(a.get('https://nsxmgr-01a.corp.local/api/4.0/firewall/globalroot-0/config/').status).toBe(200);
    const res = a.post(`${L3}`, '<section name="Empty attrs" id="" generationNumber="" timestamp=""><rule id="" disabled="" logged=""><name>x</name><action>allow</action></rule></section>');
    expect(res.status).toBe(201);
    expect(parse(res).section[0].rule[0]['@id']).toBe('1005');
  });

  it('answers malformed XML with 400 naming the problem', () => {
    const { a } = setup();
    const res = a.post(L3, '<section name="x"><rule></section>');
    expect(res.status).toBe(400);
    const err = parse(res).error;
    expect(err.details).toMatch(/could not be read as XML/);
    expect(err.details).toMatch(/closing tag/i);
    expect(err.errorCode).toBeTruthy();
    expect(err.moduleName).toBeTruthy();
    expect(a.post(L3, '').status).toBe(400);
    expect(parse(a.post(L3, '<section/>')).error.details).toMatch(/name is required/);
    expect(parse(a.post(L3, '<section name="s"><rule><action>explode</action></rule></section>')).error.details).toMatch(/Invalid rule action/);
  });

  it('answers unknown paths with 404 and wrong methods with 405 and an Allow header', () => {
    const { a } = setup();
    expect(a.get('/api/4.0/firewall/globalroot-0/nonsense').status).toBe(404);
    const res = a.post(`${FW}/config`, '<x/>');
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe('GET, PUT, DELETE');
    expect(a.put(`${FW}/drafts`, '<x/>').status).toBe(405);
    expect(a.del('/api/2.1/app/excludelist').status).toBe(405);
  });
});

describe('section ETags and redirect sections (issue 14 item 5)', () => {
  it('a section read by name carries its ETag, which a PUT accepts as If-Match', () => {
    const { a } = setup();
    const created = a.post(L3, '<section name="By name"/>');
    const byName = a.get(`${L3}?name=By%20name`);
    expect(byName.status).toBe(200);
    expect(byName.headers.ETag).toBe(created.headers.ETag);
    const id = parse(created).section[0]['@id'];
    expect(a.put(`${L3}/${id}`, '<section name="Renamed"/>', { 'If-Match': byName.headers.ETag! }).status).toBe(200);
    expect(a.get(`${L2}?name=Default%20Section%20Layer2`).headers.ETag).toBe(a.get(`${L2}/1001`).headers.ETag);
  });

  it('layer3redirectsections exist in GET /config and at their own path; redirect rules need a registered partner service', () => {
    const { a } = setup();
    const cfg = parse(a.get(`${FW}/config`)).firewallConfiguration;
    expect(cfg.layer3RedirectSections.section[0]).toMatchObject({ '@id': '1002', '@name': 'Default Section', '@type': 'L3REDIRECT' });
    const list = a.get(`${FW}/config/layer3redirectsections`);
    expect(list.status).toBe(200);
    expect(parse(list).sections.section).toHaveLength(1);
    const one = a.get(`${FW}/config/layer3redirectsections/1002`);
    expect([one.status, one.headers.ETag]).toEqual([200, a.get(`${FW}/config/layer3redirectsections?name=Default%20Section`).headers.ETag]);
    expect(a.get(`${FW}/config/layer3redirectsections/1003`).status).toBe(404);
    expect(a.get(`${FW}/config/layer3redirectsections?name=Nope`).status).toBe(404);
    const refused = a.post(`${FW}/config/layer3redirectsections`, '<section name="SI"><rule><name>r</name><action>redirect</action></rule></section>');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('partner service');
  });
});
