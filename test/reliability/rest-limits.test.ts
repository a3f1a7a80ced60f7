/**
 * Issue 18 items 4, 9 and the id part of 13: hostile or oversized REST bodies are NSX-style 400s
 * that change nothing, and ids are read strictly. Before: 500s for nesting, reserved names and
 * DTDs; a 10 MB name, 60k-rule sections and 200k-rule bodies accepted; `+1003` acted on 1003.
 */
import { describe, expect, it } from 'vitest';
import { FIREWALL_LIMITS } from '../../workers/manager/config/limits';
import { XML_LIMITS } from '../../workers/manager/xml';
import { api, FW, newManager } from '../manager/fixtures';

const L3 = `${FW}/config/layer3sections`;
const rules = (n: number) => '<rule><name>r</name><action>allow</action></rule>'.repeat(n);
const laughs = `<!DOCTYPE s [<!ENTITY lol "lol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><section name="&lol8;"/>`;

const HOSTILE: Record<string, string> = {
  'nesting past 100 levels': `<section name="n">${'<a>'.repeat(150)}${'</a>'.repeat(150)}</section>`,
  '__proto__ element': '<section name="p"><__proto__>x</__proto__></section>',
  'constructor attribute': '<section name="p" constructor="x"/>',
  'prototype element': '<section name="p"><prototype/></section>',
  'SYSTEM entity': '<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><section name="&x;"/>',
  'parameter entity': '<!DOCTYPE s [<!ENTITY % p "x">]><section name="q"/>',
  'billion laughs': laughs,
  'raw ESC and NUL in a name': '<section name="a\u001b[31mb\u0000c"/>',
  'C1 control in a name': '<section name="a\u0085b"/>',
  'ESC as a character reference': '<section name="a&#27;b"/>',
  'a 10 MB name': `<section name="${'n'.repeat(10 * 1024 * 1024)}"/>`,
  'a 300-character name': `<section name="${'n'.repeat(300)}"/>`,
  '1,001 rules in one section': `<section name="big">${rules(FIREWALL_LIMITS.rulesPerSection + 1)}</section>`,
  '200k rules': `<section name="huge">${rules(200_000)}</section>`,
};

describe('hostile REST bodies are 400s with an NSX error body, and change nothing', () => {
  for (const [what, body] of Object.entries(HOSTILE)) {
    it(what, () => {
      const { manager } = newManager();
      const a = api(manager);
      const before = a.get(`${FW}/config`).body;
      const res = a.post(L3, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatch(/^<error><details>[^<]+<\/details><errorCode>\d+<\/errorCode>/);
      expect(a.get(`${FW}/config`).body).toBe(before);
    });
  }

  it('a body over the size limit is refused before it is parsed', () => {
    const { manager } = newManager();
    const res = api(manager).post(L3, `<section name="x">${' '.repeat(XML_LIMITS.bodyChars)}</section>`);
    expect(res.status).toBe(400);
    expect(res.body).toContain(`at most ${XML_LIMITS.bodyChars} are accepted`);
  });

  it('the lab keeps at most 10,000 rules: ten full sections fit, the eleventh is refused', () => {
    const { manager } = newManager();
    const a = api(manager);
    for (let i = 0; i < 10; i++) expect(a.post(L3, `<section name="s${i}">${rules(1000)}</section>`).status).toBe(201);
    const over = a.post(L3, `<section name="one more">${rules(1)}</section>`);
    expect(over.status).toBe(400);
    expect(over.body).toMatch(/would have 10001 rules; at most 10000 are allowed/);
  });

  it('a section at exactly 1,000 rules and a 255-character name are accepted', () => {
    const { manager } = newManager();
    expect(api(manager).post(L3, `<section name="${'n'.repeat(255)}">${rules(1000)}</section>`).status).toBe(201);
  });
});

describe('NSX ids are read strictly (item 13)', () => {
  it('+1003, 1003.0, "1003 " and 0x3eb are not rule section 1003', () => {
    const { manager } = newManager();
    const a = api(manager);
    expect(a.get(`${L3}/1003`).status).toBe(200);
    for (const id of ['+1003', '1003.0', '1003 ', '0x3eb', '01003']) expect(a.get(`${L3}/${encodeURIComponent(id)}`).status, id).toBe(404);
    expect(a.post(`${L3}?operation=insert_before&anchorId=%2B1003`, '<section name="x"/>').status).toBe(400);
  });
});

describe('numbers and booleans in bodies are read strictly (item 13)', () => {
  it('precedence -1e20 and a rule disabled="maybe" are 400s that change nothing', () => {
    const { manager } = newManager();
    const a = api(manager);
    const before = a.get(`${FW}/config`).body;
    const policy = a.post('/api/2.0/services/policy/securitypolicy', '<securityPolicy><name>P</name><precedence>-1e20</precedence></securityPolicy>');
    expect(policy.status).toBe(400);
    expect(policy.body).toContain('precedence must be a whole number');
    const rule = a.post(L3, '<section name="B"><rule disabled="maybe"><name>r</name><action>allow</action></rule></section>');
    expect(rule.status).toBe(400);
    expect(rule.body).toContain('disabled must be true or false');
    expect(a.get(`${FW}/config`).body).toBe(before);
    expect(a.post(L3, '<section name="C"><rule disabled="TRUE"><name>r</name><action>allow</action></rule></section>').status).toBe(201);
  });
});
