import { describe, expect, it } from 'vitest';
import { MAX_AUTOSAVED, MAX_SAVED } from '../../workers/manager/config/drafts';
import { api, FW, newManager, parse } from './fixtures';
import { firewallConfig, savedConfigurations } from './manager-views';

const L3 = `${FW}/config/layer3sections`;

/** The `<config>` content of a saved configuration as a `<firewallConfiguration>` body (what PowerNSX does). */
function configBodyOf(draftXml: string): string {
  const inner = draftXml.slice(draftXml.indexOf('<config'), draftXml.lastIndexOf('</config>') + '</config>'.length);
  return inner.replace(/^<config/, '<firewallConfiguration').replace(/<\/config>$/, '</firewallConfiguration>');
}

describe('REST restore round trip (the vCenter lock-out lesson)', () => {
  it('blocks the default rule, restores defaults with DELETE, puts the saved configuration back', () => {
    const { manager, ctx } = newManager();
    const a = api(manager);
    // The operator's configuration: a web section with a rule, published.
    const tag = a.post(L3, '<section name="Web tier"/>').headers.ETag!;
    a.post(`${L3}/1005/rules`, '<rule><name>web in</name><action>allow</action><destinations><destination><value>securitygroup-10</value><type>SecurityGroup</type></destination></destinations><services><service><value>application-2</value></service></services></rule>', { 'If-Match': tag });
    const original = firewallConfig(manager);
    ctx.advance(60_000);

    // The mistake: the default rule becomes block, and is published.
    const rulePath = `${L3}/1003/rules/1001`;
    const rule = a.get(rulePath);
    expect(a.put(rulePath, rule.body.replace('<action>allow</action>', '<action>deny</action>'), { 'If-Match': rule.headers.ETag! }).status).toBe(200);
    const blocked = manager.publish();
    expect(blocked.hosts.find((h) => h.hostId === 'host-10')!.filters['nic-35611-eth0-vmware-sfw.2']!.l3.at(-1)).toMatchObject({ id: 1001, action: 'deny' });
    ctx.advance(60_000);

    // The way back: DELETE restores the default configuration.
    const del = a.del(`${FW}/config`);
    expect(del.status).toBe(204);
    const afterDelete = firewallConfig(manager);
    expect(afterDelete.layer3Sections.map((s) => s.id)).toEqual([1003]);
    expect(afterDelete.layer3Sections[0]!.rules.find((r) => r.id === 1001)!.action).toBe('allow');

    // Find the last saved configuration that still had the operator's rules and an allowing default rule.
    const drafts = parse(a.get(`${FW}/drafts`)).firewallDrafts.firewallDraft as any[];
    expect(drafts.length).toBeGreaterThanOrEqual(4);
    const timestamps = drafts.map((d) => Number(d['@timestamp']));
    expect(timestamps).toEqual([...timestamps].sort((x, y) => y - x)); // newest first
    const candidates = drafts.map((d) => ({ id: d['@id'], body: a.get(`${FW}/drafts/${d['@id']}`).body }));
    const good = candidates.find(({ body }) => {
      const cfg = parse(body).firewallDraft[0].config[0];
      const sections = cfg.layer3Sections.section as any[];
      const def = sections.find((s) => s['@id'] === '1003').rule.find((r: any) => r['@id'] === '1001');
      return sections.some((s) => s['@name'] === 'Web tier') && def.action === 'allow';
    });
    expect(good).toBeDefined();

    // Put it back with the config's current ETag.
    const etag = a.get(`${FW}/config`).headers.ETag!;
    const put = a.put(`${FW}/config`, configBodyOf(good!.body), { 'If-Match': etag });
    expect(put.status).toBe(200);
    const restored = firewallConfig(manager);
    const strip = (c: typeof original) => [...c.layer3Sections, ...c.layer2Sections].map((s) => ({ ...s, generationNumber: 0, timestamp: 0 }));
    expect(strip(restored)).toEqual(strip(original));
    // And it is what hosts get: the web rule is back above an allowing default rule.
    const hosts = manager.publish().hosts;
    const web = hosts.find((h) => h.hostId === 'host-20')!.filters['nic-35677-eth0-vmware-sfw.2']!;
    expect(web.l3.map((l) => l.id)).toEqual([1005, 1003, 1003, 1002, 1002, 1001]);
    expect(web.l3.at(-1)!.action).toBe('allow');
    // New ids keep counting past everything ever handed out.
    expect(parse(a.post(L3, '<section name="After restore"/>')).section[0]['@id']).toBe('1006');
  });
});

describe('saved configurations (drafts)', () => {
  const draftBody = (name: string, preserve = false) => `<firewallDraft name="${name}"><description>d</description><preserve>${preserve}</preserve><mode>userdefined</mode></firewallDraft>`;

  it('saves, reads, updates, exports, imports and deletes', () => {
    const { manager } = newManager();
    const a = api(manager);
    const saved = a.post(`${FW}/drafts`, draftBody('before change', true));
    expect(saved.status).toBe(201);
    const id = parse(saved).firewallDraft[0]['@id'];
    expect(saved.headers.Location).toBe(`${FW}/drafts/${id}`);
    const read = parse(a.get(`${FW}/drafts/${id}`)).firewallDraft[0];
    expect(read['@name']).toBe('before change');
    expect(read.preserve).toBe('true');
    expect(read.config[0].layer3Sections.section[0]['@id']).toBe('1003');

    const upd = a.put(`${FW}/drafts/${id}`, '<firewallDraft name="renamed"><preserve>false</preserve></firewallDraft>');
    expect(upd.status).toBe(200);
    expect(parse(a.get(`${FW}/drafts/${id}`)).firewallDraft[0]['@name']).toBe('renamed');

    const exported = a.get(`${FW}/drafts/${id}/action/export`);
    expect(exported.status).toBe(200);
    const imported = a.post(`${FW}/drafts/action/import`, exported.body);
    expect(imported.status).toBe(201);
    expect(parse(imported).firewallDraft[0].mode).toBe('imported');
    expect(a.post(`${FW}/drafts/${id}/action/import`, exported.body).status).toBe(201);

    expect(a.del(`${FW}/drafts/${id}`).status).toBe(204);
    expect(a.get(`${FW}/drafts/${id}`).status).toBe(404);
    expect(a.del(`${FW}/drafts/${id}`).status).toBe(404);
    expect(a.post(`${FW}/drafts`, '<notADraft/>').status).toBe(400);
  });

  it('auto-saves on publish, keeps at most 90 auto-saved and 100 in all, purging the oldest non-preserved', () => {
    const { manager, ctx } = newManager();
    const a = api(manager);
    for (let i = 0; i < 5; i++) expect(a.post(`${FW}/drafts`, draftBody(`kept-${i}`, true)).status).toBe(201);
    for (let i = 0; i < 120; i++) {
      ctx.advance(1000);
      manager.publish();
    }
    let list = savedConfigurations(manager);
    expect(list.filter((d) => d.mode === 'autosaved')).toHaveLength(MAX_AUTOSAVED);
    expect(list.filter((d) => d.preserve).map((d) => d.name).sort()).toEqual(['kept-0', 'kept-1', 'kept-2', 'kept-3', 'kept-4']);
    // The survivors are the newest auto-saves.
    const autos = list.filter((d) => d.mode === 'autosaved').map((d) => d.timestamp);
    expect(Math.min(...autos)).toBe(firewallConfig(manager).generationNumber - 89_000);

    for (let i = 0; i < 10; i++) a.post(`${FW}/drafts`, draftBody(`manual-${i}`));
    list = savedConfigurations(manager);
    expect(list).toHaveLength(MAX_SAVED);
    a.post(`${FW}/drafts`, draftBody('one more'));
    list = savedConfigurations(manager);
    expect(list).toHaveLength(MAX_SAVED);
    expect(list.some((d) => d.name === 'one more')).toBe(true);
    expect(list.filter((d) => d.preserve)).toHaveLength(5);
  });

  it('refuses a new preserved draft when all 100 are preserved, changing nothing', () => {
    const { manager } = newManager();
    const a = api(manager);
    for (let i = 0; i < MAX_SAVED; i++) a.post(`${FW}/drafts`, draftBody(`p${i}`, true));
    const before = manager.snapshot();
    const res = a.post(`${FW}/drafts`, draftBody('too many', true));
    expect(res.status).toBe(400);
    expect(manager.snapshot()).toEqual(before);
  });
});
